"""``solve``: every isolated critical point of a regularized deep linear network.

Pipeline: build the exact system -> bounds (total degree, mixed volumes) -> PHCpack
blackbox in a child process -> Newton refinement at ``digits`` digits on the exact
system -> distinct points, real / zero-coordinate decisions, loss and Hessian index
-> counts and consistency checks -> :class:`~algeo.results.solve_result.SolveResult`.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import platform
import time
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Sequence

import mpmath
import numpy

from .. import phc
from ..model.architecture import Architecture
from ..classify.points import Tolerances, cluster_points, has_zero_coordinate, hessian_inertia, max_imaginary
from ..model.data import (
    Dataset,
    Regularization,
    RegularizationKind,
    degeneracy_warnings,
    load_instance,
    parse_regularization,
    random_dataset,
)
from ..exceptions import BudgetExceededError, InputError
from ..verify.known_counts import CORRECTED, published_counts
from ..verify.refine import mp_context, mp_rational, refine_point
from ..results.solve_result import Bounds, Counts, CriticalPoint, PathEnd, PathStatus, SolveResult
from ..model.symmetry import missing_images
from ..model.system import CriticalPointSystem, build_system

__all__ = ["solve", "prepare_instance", "path_status", "refine_and_classify", "software_versions", "complex_from_text",
           "DEFAULT_DIGITS", "DEFAULT_MAX_PATHS"]

logger = logging.getLogger(__name__)

DEFAULT_DIGITS = 40
DEFAULT_MAX_PATHS = 50_000


def prepare_instance(
    widths: Architecture | Sequence[int] | str,
    *,
    samples: int | None = None,
    seed: int = 0,
    data: Dataset | str | Path | None = None,
    regularization: Regularization | str = "generic",
) -> tuple[Architecture, Dataset, Regularization]:
    """Resolve the user's options into an architecture, exact data and ``Lambda``."""
    architecture = widths if isinstance(widths, Architecture) else (
        Architecture.parse(widths) if isinstance(widths, str) else Architecture(tuple(widths)))
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("seed", f"is {seed!r}; it must be a non-negative integer")
    file_regularization = None
    if data is None:
        if samples is None:
            raise InputError("samples", "is missing", "give --samples m for random data, or --data FILE")
        dataset = random_dataset(architecture, samples, seed)
    elif isinstance(data, Dataset):
        dataset = data
    else:
        dataset, file_regularization = load_instance(data, architecture)
        if samples is not None and samples != dataset.n_samples:
            raise InputError("samples", f"is {samples} but the data file has {dataset.n_samples} columns",
                             "drop --samples when giving --data")
    dataset.check_against(architecture)
    if file_regularization is not None:
        chosen = file_regularization
    elif isinstance(regularization, Regularization):
        chosen = regularization
    else:
        chosen = parse_regularization(regularization, architecture, seed)
    return architecture, dataset, chosen


def path_status(raw: phc.RawPath) -> PathStatus:
    label = raw.label.lower()
    if raw.outcome == "success" and "regular" in label:
        return PathStatus.REGULAR
    if raw.outcome == "success" and "singular" in label:
        return PathStatus.SINGULAR
    norm = max((abs(z) for z in raw.coordinates), default=0.0)
    if raw.outcome == "failure" and raw.t.real < 1.0 and norm >= 10.0:
        return PathStatus.AT_INFINITY
    if "infinity" in label or "infinity" in raw.outcome:
        return PathStatus.AT_INFINITY
    return PathStatus.FAILED


def software_versions(backend_version: str | None) -> dict:
    import sympy

    from .. import __version__

    versions = {"algeo": __version__, "python": platform.python_version(), "sympy": sympy.__version__,
                "mpmath": mpmath.__version__, "numpy": numpy.__version__, "phcpack": backend_version}
    try:
        import flint

        versions["python-flint"] = flint.__version__
    except ImportError:  # optional
        pass
    return versions


def _text(value, digits: int) -> str:
    return mpmath.nstr(value, digits, strip_zeros=False) if value != 0 else "0"


def refine_and_classify(system: CriticalPointSystem, finite: list[tuple[int, phc.RawPath]], digits: int, tol: Tolerances):
    """Refine finite path ends, group them into distinct points, classify each point."""
    polynomials = system.polynomial_system
    with mp_context(digits):
        refined = [refine_point(polynomials, raw.coordinates, digits=digits) for _, raw in finite]
        labels, evidence = cluster_points([r.point for r in refined], tol.same_point)
        groups: dict[int, list[int]] = {}
        for position, label in enumerate(labels):
            groups.setdefault(label, []).append(position)
        points = []
        imaginary_real, imaginary_complex = [], []
        zero_small, nonzero_small = [], []
        for label in sorted(groups):
            members = groups[label]
            best = min(members, key=lambda k: refined[k].residual)
            refinement = refined[best]
            imaginary = max_imaginary(refinement.point)
            is_real = imaginary <= tol.real
            (imaginary_real if is_real else imaginary_complex).append(imaginary)
            if is_real:
                real_refinement = refine_point(polynomials, [complex(z.real) for z in refinement.point],
                                               digits=digits, real=True)
                if real_refinement.converged or not refinement.converged:
                    refinement = real_refinement
            zero, smallest = has_zero_coordinate(refinement.point, tol.zero_coordinate)
            (zero_small if zero else nonzero_small).append(smallest)
            point = [complex(z) for z in refinement.point]
            jacobian = numpy.array(polynomials.evaluate_jacobian(point), dtype=complex)
            condition = float(numpy.linalg.cond(jacobian))
            entry = dict(
                index=len(points),
                coordinates=tuple(point),
                coordinates_text=tuple((_text(mpmath.re(z), digits), _text(mpmath.im(z), digits))
                                       for z in refinement.point),
                is_real=is_real,
                has_zero_coordinate=zero,
                residual=float(refinement.residual),
                newton_step=float(refinement.last_step),
                converged=refinement.converged,
                condition=condition,
                singular=not numpy.isfinite(condition) or condition > 1e12,
                paths=tuple(finite[k][0] for k in members),
                max_imaginary=imaginary,
            )
            if is_real:
                loss = system.loss_polynomial.value_at(refinement.point, coerce=mp_rational, zero=mpmath.mpf(0),
                                                       one=mpmath.mpf(1))
                hessian = mpmath.matrix(polynomials.evaluate_jacobian(
                    refinement.point, coerce=mp_rational, zero=mpmath.mpf(0), one=mpmath.mpf(1)))
                eigenvalues, negative, hessian_singular = hessian_inertia(hessian, tol.hessian_zero)
                entry.update(loss=float(loss), loss_text=_text(loss, digits),
                             hessian_eigenvalues=tuple(float(v) for v in eigenvalues),
                             index_of_hessian=negative, hessian_singular=hessian_singular, _loss=loss)
            points.append(entry)
        real_losses = [p["_loss"] for p in points if p["is_real"]]
        if real_losses:
            least = min(real_losses)
            for p in points:
                if p["is_real"]:
                    p["is_global"] = bool(p["_loss"] - least <= tol.same_loss * max(1, abs(least)))
    evidence.update(
        largest_imaginary_called_real=max(imaginary_real, default=None),
        smallest_imaginary_called_complex=min(imaginary_complex, default=None),
        largest_coordinate_called_zero=max(zero_small, default=None),
        smallest_coordinate_called_nonzero=min(nonzero_small, default=None),
    )
    critical_points = tuple(CriticalPoint(**{k: v for k, v in p.items() if k != "_loss"}) for p in points)
    point_of_path = {finite[k][0]: labels[k] for k in range(len(finite))}
    return critical_points, point_of_path, evidence


def solve(
    widths: Architecture | Sequence[int] | str,
    *,
    samples: int | None = None,
    seed: int = 0,
    data: Dataset | str | Path | None = None,
    regularization: Regularization | str = "generic",
    digits: int = DEFAULT_DIGITS,
    backend: str = "auto",
    timeout: float = 3600.0,
    max_attempts: int = 3,
    max_paths: int = DEFAULT_MAX_PATHS,
    tolerances: Tolerances = Tolerances(),
    progress: bool = False,
    certify: bool = False,
    start_set: str | Path = "auto",
    build_start_set: bool = False,
) -> SolveResult:
    """Enumerate every isolated critical point of the regularized squared loss.

    Parameters
    ----------
    widths : ``"2,2,2"``, a sequence of ints or an :class:`Architecture`
        ``d_0, d_1, ..., d_H``.
    samples, seed : random data with ``samples`` columns drawn with ``seed`` (and
        ``Lambda`` too when ``regularization="generic"``).
    data : a :class:`Dataset` or the path of a JSON file ``{"X", "Y", "Lambda"?}``.
    regularization : ``"generic"``, a positive scalar such as ``"1/10"``, a
        :class:`Regularization`, or ``"none"``: then the critical set is not isolated and
        the result is an :class:`~algeo.pipeline.unregularized.UnregularizedSolveResult` grouping
        critical points by end-to-end matrix (docs/unregularized.md).
    digits : precision of the Newton refinement on the exact system.
    backend : ``"auto"`` (``phc``, then phcpy), ``"phc"`` or ``"phcpy"``.
    timeout, max_attempts : per PHCpack attempt; a crash or time-out is retried
        with another PHCpack seed and recorded in ``provenance.backend.attempts``.
    max_paths : refuse systems whose stable mixed volume exceeds this budget.
    certify : prove each point with Krawczyk's test on the exact system
        (:func:`algeo.verify.certify.certify_points`): per-point ``certificate`` and counts
        ``certified``, ``certified_real``, ``certified_distinct``, ``certified_minima``.
    start_set : ``"auto"``: a parameter homotopy from the start-set library
        (docs/sweep.md) for an entrywise ``Lambda``; ``"none"``: the blackbox only;
        or the path of a start set file. When the homotopy loses a path, the
        blackbox is run instead and ``provenance.method`` says why.
    build_start_set : with ``start_set="auto"``, make a missing start set (once;
        ``algeo sweep`` does). Off by default: a plain solve uses a stored set when
        one exists and the blackbox otherwise.

    Returns
    -------
    SolveResult
        ``result.ok`` is False when a consistency check failed (see ``problems``).

    Examples
    --------
    >>> result = solve("1,1,1", samples=1, seed=3)          # doctest: +SKIP
    >>> result.counts.complex, result.counts.nonzero          # doctest: +SKIP
    (5, 4)
    """
    started = time.monotonic()
    architecture, dataset, reg = prepare_instance(widths, samples=samples, seed=seed, data=data,
                                                  regularization=regularization)
    if not isinstance(digits, int) or digits < 20:
        raise InputError("digits", f"is {digits!r}; use an integer of at least 20")
    if reg.kind is RegularizationKind.NONE:  # positive-dimensional critical set: docs/unregularized.md
        from .unregularized import solve_unregularized

        return solve_unregularized(architecture, dataset, seed=seed, digits=digits, description=reg.description,
                                   solve_options=dict(backend=backend, timeout=timeout, max_attempts=max_attempts,
                                                      max_paths=max_paths, tolerances=tolerances, progress=progress))
    system = build_system(architecture, dataset, reg)
    options = dict(seed=seed, backend=backend, digits=digits, tolerances=tolerances, started=started,
                   certify=certify)
    fallback = None
    if str(start_set) != "none" and reg.kind in (RegularizationKind.GENERIC, RegularizationKind.GIVEN):
        result, fallback = _solve_by_homotopy(system, start_set=start_set, build=build_start_set,
                                              timeout=timeout, progress=progress, options=options)
        if result is not None:
            return result
        level = logging.INFO if fallback.startswith("no usable start set") else logging.WARNING
        logger.log(level, "parameter homotopy not used: %s; running the blackbox", fallback)
    names = system.variable_names
    volumes = phc.mixed_volumes(system.polynomial_system, names)
    stable = volumes.get("stable_mixed_volume")
    if stable is not None and stable > max_paths:
        raise BudgetExceededError(f"widths {architecture}: the stable mixed volume is {stable} paths, over the "
                                  f"budget of {max_paths} (raise --max-paths if you mean it)")
    with _path_progress(progress, "PHCpack: start system", total=stable, running="PHCpack: tracking paths") as report:
        run = phc.blackbox_solve(system.polynomial_system, names, seed=seed, backend=backend, timeout=timeout,
                                 max_attempts=max_attempts, expected_paths=stable, progress=report)
    method = {"name": "blackbox"}
    if fallback is not None:
        method["fallback_from"] = "parameter_homotopy"
        method["fallback_reason"] = fallback
    return _assemble(system, run, volumes, method=method, **options)


@contextlib.contextmanager
def _path_progress(enabled: bool, description: str, *, total: int | None = None, running: str | None = None):
    """A progress bar over the path count a PHCpack child process reports; yields the callback.

    No bar (callback ``None``) when ``enabled`` is false; ``disable=None`` also hides it when
    stderr is not a terminal (logs, CI). ``running`` replaces the description once paths move.
    """
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=total, desc=description, unit="path", delay=2.0, leave=False, disable=None, mininterval=1.0)

    def report(done: int) -> None:
        if done != bar.n:
            if running is not None:
                bar.set_description(running, refresh=False)
            bar.update((min(done, total) if total else done) - bar.n)

    try:
        yield report
    finally:
        bar.close()


def _solve_by_homotopy(system: CriticalPointSystem, *, start_set, build: bool, timeout: float, progress: bool,
                       options: dict) -> tuple[SolveResult | None, str | None]:
    """The parameter homotopy's result, or (None, why it cannot be used)."""
    from ..tracking.homotopy import parameter_homotopy

    with _path_progress(progress, "building the start set (first use)") as report:
        homotopy = parameter_homotopy(system, start_set=start_set, build=build, seed=options["seed"],
                                      timeout=timeout, progress=report)
    if homotopy.reason is not None:
        return None, homotopy.reason
    chosen = homotopy.start_set
    bounds = chosen.check.get("weight_system_bounds") or {}
    method = {"name": "parameter_homotopy", "start_set": {
        "key": chosen.key, "path": homotopy.start_set_path, "size": chosen.size, "seed": chosen.provenance["seed"],
        "confirmed_by": chosen.check.get("confirmed_by")},
        "gamma": [homotopy.gamma.real, homotopy.gamma.imag] if homotopy.gamma is not None else "several",
        "tracking_attempts": [a.to_json() for a in homotopy.run.attempts],
        "tracked_paths": homotopy.tracked_paths, "paths_by_sign_flip": chosen.size - homotopy.tracked_paths}
    result = _assemble(system, homotopy.run, bounds, method=method, start_set=chosen, **options)
    statuses = [p.status for p in result.paths]
    if result.counts.complex != chosen.size or any(s is not PathStatus.REGULAR for s in statuses):
        return None, (f"{result.counts.complex} distinct points from {chosen.size} paths "
                      f"({result.counts.regular} regular, {result.counts.singular} singular, "
                      f"{result.counts.at_infinity} at infinity, {result.counts.failed} failed)")
    if not result.ok:
        return None, "; ".join(result.problems)
    return result, None


def _assemble(system: CriticalPointSystem, run: phc.BackendRun, volumes: dict, *, method: dict, seed: int,
              backend: str, digits: int, tolerances: Tolerances, started: float, certify: bool,
              start_set=None) -> SolveResult:
    """Path statuses, refinement, classification, counts and checks: shared by both methods.

    ``start_set``: the stored start set of the system's family when the caller has it
    (the homotopy); otherwise the library's is loaded for the count check.
    """
    architecture, dataset, reg = system.architecture, system.dataset, system.regularization
    stable = volumes.get("stable_mixed_volume")
    statuses = [path_status(raw) for raw in run.paths]
    finite = [(i, raw) for i, (raw, status) in enumerate(zip(run.paths, statuses))
              if status in (PathStatus.REGULAR, PathStatus.SINGULAR)]
    points, point_of_path, evidence = refine_and_classify(system, finite, digits, tolerances)
    points, point_of_path, evidence, recovered = _close_under_symmetry(system, run, finite, points, point_of_path,
                                                                       evidence, digits, tolerances)
    certification = _certify(system, points, digits) if certify else None
    if certification is not None:
        points = tuple(replace(p, certificate=c) for p, c in zip(points, certification.certificates))
    paths = tuple(
        PathEnd(i, raw.phase, status, raw.label, raw.t.real, raw.multiplicity, raw.err, raw.rco, raw.res,
                point_of_path.get(i))
        for i, (raw, status) in enumerate(zip(run.paths, statuses))
    )
    warnings = list(degeneracy_warnings(dataset, reg))
    problems: list[str] = []
    tally = {status: statuses.count(status) for status in PathStatus}
    if not run.paths_observed and run.succeeded:
        inferred = max(run.declared_paths - len(run.paths), 0)
        tally[PathStatus.AT_INFINITY] += inferred
        warnings.append(f"backend phcpy returns finite solutions only: {inferred} paths counted at infinity are "
                        "inferred (root count minus solutions), not observed")
    counts = Counts(
        complex=len(points),
        nonzero=sum(not p.has_zero_coordinate for p in points),
        real=sum(p.is_real for p in points),
        paths=run.declared_paths,
        regular=tally[PathStatus.REGULAR],
        singular=tally[PathStatus.SINGULAR],
        at_infinity=tally[PathStatus.AT_INFINITY],
        failed=tally[PathStatus.FAILED],
        local_minima=sum(p.is_local_minimum for p in points),
        index=_index_histogram(points),
        extra=certification.counts if certification is not None else {},
    )
    if recovered:
        counts = replace(counts, extra={**counts.extra, "recovered_by_symmetry": recovered})
        warnings.append(
            f"PHCpack missed {recovered} solutions that are images of found ones under the symmetries of the "
            "system (hidden-unit sign flips, complex conjugation); they were recovered, refined on the exact "
            "system and included (recovered_by_symmetry). Whole orbits can be missed the same way: cross-check "
            "with another --seed")
    problems += _consistency_problems(run, counts, stable, points, architecture, dataset, reg, start_set)
    if certification is not None:
        problems += _certification_problems(counts, points)
    for point in points:
        if sum(run.paths[k].outcome == "success" and statuses[k] is PathStatus.REGULAR for k in point.paths) > 1 \
                and not point.singular:
            warnings.append(f"{len(point.paths)} paths ended at the regular point {point.index}: a path may have "
                            "jumped, so a solution may be missing")
    provenance = {
        "widths": list(architecture.widths),
        "samples": dataset.n_samples,
        "seed": seed,
        "data": dataset.to_json(),
        "regularization": reg.to_json(),
        "backend": {"name": run.backend, "requested": str(backend), "phc_seed": run.seed,
                    "paths_observed": run.paths_observed, "root_counts": run.root_counts,
                    "attempts": [a.to_json() for a in run.attempts]},
        "method": method,
        "digits": digits,
        **({"certification": certification.to_json()} if certification is not None else {}),
        "tolerances": tolerances.to_json(),
        "versions": software_versions(run.version),
        "wall_time_seconds": round(time.monotonic() - started, 3),
        "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    bounds = Bounds(architecture.total_degree, volumes.get("mixed_volume"), stable)
    if method["name"] != "blackbox":
        bounds_note = "bounds of the weight system from the start set's check instance (same supports)"
        evidence = dict(evidence, bounds_source=bounds_note)
    for message in problems:
        logger.error("%s", message)
    return SolveResult(architecture.widths, counts, bounds, points, paths, provenance, tuple(warnings),
                       tuple(problems), evidence)


def _close_under_symmetry(system, run, finite, points, point_of_path, evidence, digits, tolerances):
    """Add the symmetry images of found points that PHCpack missed (algeo.model.symmetry).

    The images are refined on the exact system together with the path end points, so
    they go through the same decisions; their (synthetic) path indices are dropped.
    """
    images = missing_images(system.architecture, [p.coordinates for p in points], tolerances.same_point)
    if not images:
        return points, point_of_path, evidence, 0
    first = len(run.paths)
    synthetic = [(first + k, phc.RawPath(0, tuple(complex(z) for z in image), 1 + 0j, 1, 0.0, 1.0, 0.0,
                                         "success", "symmetry image"))
                 for k, image in enumerate(images)]
    points, point_of_path, evidence = refine_and_classify(system, finite + synthetic, digits, tolerances)
    points = tuple(replace(p, paths=tuple(k for k in p.paths if k < first),
                           recovered_by_symmetry=all(k >= first for k in p.paths)) for p in points)
    point_of_path = {k: v for k, v in point_of_path.items() if k < first}
    return points, point_of_path, evidence, sum(p.recovered_by_symmetry for p in points)


def _certify(system: CriticalPointSystem, points: Sequence[CriticalPoint], digits: int):
    """Certify the refined points, read back exactly from their ``digits``-digit text."""
    from ..verify.certify import certify_points

    centers = [[Fraction(re) if im == "0" else complex_from_text(re, im, digits) for re, im in p.coordinates_text]
               for p in points]
    return certify_points(system, centers, digits=digits, real=[p.is_real for p in points])


def complex_from_text(real_part: str, imaginary_part: str, digits: int):
    """``mpc`` from decimal text at ``digits + 10`` digits."""
    with mp_context(digits + 10):
        return mpmath.mpc(real_part, imaginary_part)


def _certification_problems(counts: Counts, points: Sequence[CriticalPoint]) -> list[str]:
    extra = counts.extra
    problems = []
    if extra["certified"] != counts.complex or extra["certified_distinct"] != counts.complex:
        missing = [p.index for p in points if not (p.certificate.unique and p.certificate.distinct)]
        problems.append(f"certification: {extra['certified']} of {counts.complex} points proven, "
                        f"{extra['certified_distinct']} proven distinct; not proven: points {missing}")
    if extra["certified_real"] != counts.real or extra["certified_not_real"] != counts.complex - counts.real:
        problems.append(f"certification: {extra['certified_real']} points proven real and "
                        f"{extra['certified_not_real']} proven non-real, but N_R = {counts.real} of "
                        f"N_C = {counts.complex}")
    disagree = [p.index for p in points if p.certificate.hessian_index is not None
                and p.certificate.hessian_index != p.index_of_hessian]
    if disagree:
        problems.append(f"certification: the proven Hessian index differs from the numerical one at points {disagree}")
    return problems


def _index_histogram(points: Sequence[CriticalPoint]) -> dict[int, int]:
    histogram: dict[int, int] = {}
    for point in points:
        if point.is_real and point.index_of_hessian is not None:
            histogram[point.index_of_hessian] = histogram.get(point.index_of_hessian, 0) + 1
    return histogram


def _consistency_problems(run, counts: Counts, stable, points, architecture, dataset, reg, start_set=None
                          ) -> list[str]:
    problems = []
    if not run.succeeded:
        tried = "; ".join(f"{a.backend} seed {a.seed}: {a.outcome.value} {a.detail}".strip() for a in run.attempts)
        problems.append(f"every PHCpack attempt failed ({tried})")
        return problems
    accounted = counts.regular + counts.singular + counts.at_infinity + counts.failed
    if accounted != counts.paths:
        problems.append(f"path accounting: {counts.regular} regular + {counts.singular} singular + "
                        f"{counts.at_infinity} at infinity + {counts.failed} failed = {accounted}, "
                        f"but {counts.paths} paths were tracked")
    if counts.failed:
        problems.append(f"{counts.failed} paths failed (neither a finite solution nor divergent): solutions may be "
                        "missing; rerun with another --seed or a larger --timeout")
    if stable is not None and counts.complex > stable:
        problems.append(f"N_C = {counts.complex} exceeds the stable mixed volume {stable}: impossible for an "
                        "isolated solution set; tolerances may have split a point")
    not_converged = [p.index for p in points if not p.converged and not p.singular]
    if not_converged:
        problems.append(f"Newton refinement on the exact system did not converge at points {not_converged}")
    published = published_counts(architecture.widths, dataset.n_samples)
    if published is not None and reg.kind in (RegularizationKind.GENERIC, RegularizationKind.GIVEN):
        note = f" ({CORRECTED[architecture.widths]})" if architecture.widths in CORRECTED else ""
        for key, found in (("N_C", counts.complex), ("N_C*", counts.nonzero)):
            if found != published[key]:
                problems.append(f"{key} = {found} differs from the generic count {published[key]} "
                                f"(Bharadwaj & Hosten {published['source']}{note}): the data are not generic, "
                                "or solutions were lost")
        if stable is not None and stable != published["BKK"]:
            problems.append(f"stable mixed volume {stable} differs from the published BKK {published['BKK']}")
    problems += _start_set_count_problems(counts, architecture, dataset, reg, start_set)
    return problems


def _start_set_count_problems(counts: Counts, architecture, dataset, reg, stored=None) -> list[str]:
    """A stored start set knows the generic N_C of this family: fewer points than that means lost solutions.

    (Measured: PHCpack's blackbox lost two whole symmetry orbits, 193 of 225 points, on
    widths 2,2,2, m = 2, seed 887662790 without failing a path; docs/sweep.md.)
    """
    if reg.kind not in (RegularizationKind.GENERIC, RegularizationKind.GIVEN):
        return []
    if stored is None:  # not given by the caller: the library's, if any
        from ..model.family import family_mode, tracking_family
        from ..startsets.store import load_start_set

        stored = load_start_set(tracking_family(architecture, dataset.n_samples, family_mode(reg)))
    if stored is None or counts.complex >= stored.size:
        return []
    return [f"N_C = {counts.complex} is below the generic count {stored.size} of the stored start set "
            f"(confirmed by {', '.join(stored.check.get('confirmed_by', [])) or 'nothing'}): solutions were lost, "
            "or the data are not generic; rerun with another --seed or use the parameter homotopy"]
