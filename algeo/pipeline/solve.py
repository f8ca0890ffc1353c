"""``solve``: every isolated critical point of a regularized deep linear network.

Pipeline: resolve the instance (:mod:`algeo.pipeline.instance`) -> build the exact
system (:mod:`algeo.model.system`) -> the parameter homotopy from a verified start set
(:mod:`algeo.tracking.homotopy`, the set read here from :mod:`algeo.startsets`) or
PHCpack's blackbox (:mod:`algeo.phc`) -> refinement and classification on the exact
system (:mod:`algeo.classify.points`) -> counts and consistency checks ->
:class:`~algeo.results.solve_result.SolveResult`. ``Lambda = 0`` goes on to
:mod:`algeo.pipeline.unregularized` with the result at a generic ``Lambda_0``.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Sequence


from .. import phc
from ..classify.points import refine_and_classify
from ..exceptions import BudgetExceededError, InputError
from ..model.architecture import Architecture
from ..model.data import Dataset, Regularization, RegularizationKind, degeneracy_warnings
from ..model.family import ParameterFamily, family_mode, tracking_family
from ..model.symmetry import missing_images
from ..model.system import CriticalPointSystem, build_system
from ..results.provenance import software_versions
from ..results.solve_result import Bounds, Counts, CriticalPoint, PathEnd, PathStatus, SolveResult, to_fraction
from ..startsets.build import InstanceCheck, ensure_start_set
from ..startsets.store import StartSet, load_start_set, start_set_path
from ..tracking.homotopy import parameter_homotopy
from ..verify.known_counts import CORRECTED, published_counts
from .instance import parse_architecture, prepare_instance
from .options import DEFAULT_DIGITS, DEFAULT_MAX_PATHS, HomotopyFallback, SolveOptions

__all__ = ["solve", "solve_system", "instance_check", "DEFAULT_DIGITS", "DEFAULT_MAX_PATHS"]

logger = logging.getLogger(__name__)

ENTRYWISE = (RegularizationKind.GENERIC, RegularizationKind.GIVEN)


def solve(
    widths: Architecture | Sequence[int] | str,
    *,
    samples: int | None = None,
    seed: int = 0,
    data: Dataset | str | Path | None = None,
    regularization: Regularization | str = "generic",
    options: SolveOptions | None = None,
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
        the result is an :class:`~algeo.results.unregularized.UnregularizedSolveResult`
        grouping critical points by end-to-end matrix (docs/unregularized.md).
    options : how to solve (:class:`~algeo.pipeline.options.SolveOptions`: precision,
        backend, time limits, certification, start sets).

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
    options = options if options is not None else SolveOptions()
    if not isinstance(options, SolveOptions):
        raise InputError("options", f"is a {type(options).__name__}", "give a SolveOptions")
    parse_architecture(widths).check_budget(max_unknowns=options.max_unknowns)  # before any symbolic work
    architecture, dataset, reg = prepare_instance(widths, samples=samples, seed=seed, data=data,
                                                  regularization=regularization)
    if reg.kind is RegularizationKind.NONE:  # positive-dimensional critical set: docs/unregularized.md
        from .unregularized import solve_unregularized, start_regularization

        start_reg = start_regularization(architecture, dataset, seed)
        base = solve_system(build_system(architecture, dataset, start_reg), seed=seed, options=options,
                            started=started)
        return solve_unregularized(base, architecture, dataset, start_reg, seed=seed, digits=options.digits,
                                   description=reg.description, started=started)
    return solve_system(build_system(architecture, dataset, reg), seed=seed, options=options, started=started)


def solve_system(system: CriticalPointSystem, *, seed: int, options: SolveOptions,
                 started: float | None = None) -> SolveResult:
    """Solve a built system: the parameter homotopy when a start set serves, else the blackbox."""
    started = time.monotonic() if started is None else started
    reg = system.regularization
    fallback: tuple[HomotopyFallback, str] | None = None
    if options.uses_start_sets and reg.kind in ENTRYWISE:
        result, fallback = _solve_by_homotopy(system, seed=seed, options=options, started=started)
        if result is not None:
            return result
        level = logging.INFO if fallback[0] is HomotopyFallback.NO_START_SET else logging.WARNING
        logger.log(level, "parameter homotopy not used (%s: %s); running the blackbox", fallback[0].value,
                   fallback[1])
    names = system.variable_names
    volumes = phc.mixed_volumes(system.polynomial_system, names)
    stable = volumes.get("stable_mixed_volume")
    if stable is not None and stable > options.max_paths:
        raise BudgetExceededError(f"widths {system.architecture}: the stable mixed volume is {stable} paths, over "
                                  f"the budget of {options.max_paths} (raise --max-paths if you mean it)")
    with _path_progress(options.progress, "PHCpack: start system", total=stable,
                        running="PHCpack: tracking paths") as report:
        run = phc.blackbox_solve(system.polynomial_system, names, seed=seed, backend=options.backend,
                                 timeout=options.timeout, max_attempts=options.max_attempts, expected_paths=stable,
                                 progress=report)
    method: dict = {"name": "blackbox"}
    if fallback is not None:
        method.update(fallback_from="parameter_homotopy", fallback=fallback[0].value, fallback_reason=fallback[1])
    return _assemble(system, run, volumes, method=method, seed=seed, options=options, started=started)


def instance_check(family: ParameterFamily) -> InstanceCheck:
    """The blackbox solve of a real instance of ``family`` that confirms a new start set's count."""

    def check(seed: int) -> tuple[int, bool, dict]:
        result = solve(family.architecture.widths, samples=family.samples, seed=seed,
                       options=SolveOptions(start_set="none"))
        return result.counts.complex, result.ok, result.bounds.to_json()

    return check


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


def _start_set(system: CriticalPointSystem, options: SolveOptions) -> tuple[StartSet | None, Path]:
    """The start set of ``system``'s family: the library's (made first when asked) or a given file."""
    family = tracking_family(system.architecture, system.dataset.n_samples, family_mode(system.regularization))
    if str(options.start_set) == "auto":
        with _path_progress(options.progress, "building the start set (first use)") as report:
            chosen = ensure_start_set(family, build=options.build_start_set, progress=report,
                                      check_instance=instance_check(family))
        return chosen, start_set_path(family)
    path = Path(options.start_set)
    if not path.is_file():
        raise InputError("start_set", f"{str(path)!r} is not a file", "give a start set file, auto or none")
    chosen = load_start_set(family, path)
    if chosen is None:
        raise InputError("start_set", f"{str(path)!r} is not a start set of widths {system.architecture}, "
                         f"m = {system.dataset.n_samples} (its key differs or it is unreadable)",
                         "use auto, none, or the matching file")
    return chosen, path


def _solve_by_homotopy(system: CriticalPointSystem, *, seed: int, options: SolveOptions, started: float
                       ) -> tuple[SolveResult | None, tuple[HomotopyFallback, str] | None]:
    """The parameter homotopy's result, or (None, why it cannot be used)."""
    chosen, path = _start_set(system, options)
    if chosen is None:
        return None, (HomotopyFallback.NO_START_SET, f"no usable start set at {path}")
    homotopy = parameter_homotopy(system, chosen.parameters, chosen.points, seed=seed, timeout=options.timeout,
                                  max_attempts=options.max_attempts)
    if not homotopy.succeeded:
        return None, (HomotopyFallback.TRACKING_FAILED, "tracking failed: " + homotopy.failure_detail())
    bounds = chosen.check.get("weight_system_bounds") or {}
    method = {"name": "parameter_homotopy", "start_set": {
        "key": chosen.key, "path": str(path), "size": chosen.size, "seed": chosen.provenance["seed"],
        "confirmed_by": chosen.check.get("confirmed_by")},
        "gamma": [homotopy.gamma.real, homotopy.gamma.imag] if homotopy.gamma is not None else "several",
        "tracking_attempts": [a.to_json() for a in homotopy.run.attempts],
        "tracked_paths": homotopy.tracked_paths, "paths_by_sign_flip": chosen.size - homotopy.tracked_paths}
    result = _assemble(system, homotopy.run, bounds, method=method, seed=seed, options=options, started=started,
                       start_set=chosen)
    statuses = [p.status for p in result.paths]
    if result.counts.complex != chosen.size or any(s is not PathStatus.REGULAR for s in statuses):
        return None, (HomotopyFallback.COUNT_SHORT,
                      f"{result.counts.complex} distinct points from {chosen.size} paths "
                      f"({result.counts.regular} regular, {result.counts.singular} singular, "
                      f"{result.counts.at_infinity} at infinity, {result.counts.failed} failed)")
    if not result.ok:
        return None, (HomotopyFallback.CHECK_FAILED, "; ".join(result.problems))
    return result, None


def _assemble(system: CriticalPointSystem, run: phc.BackendRun, volumes: dict, *, method: dict, seed: int,
              options: SolveOptions, started: float, start_set: StartSet | None = None) -> SolveResult:
    """Path statuses, refinement, classification, counts and checks: shared by both methods.

    ``start_set``: the stored start set of the system's family when the caller has it
    (the homotopy); otherwise the library's is loaded for the count check.
    """
    architecture, dataset, reg = system.architecture, system.dataset, system.regularization
    digits, tolerances = options.digits, options.tolerances
    stable = volumes.get("stable_mixed_volume")
    statuses = [raw.status for raw in run.paths]
    finite = [(i, raw) for i, (raw, status) in enumerate(zip(run.paths, statuses))
              if status in (PathStatus.REGULAR, PathStatus.SINGULAR)]
    points, point_of_path, evidence = refine_and_classify(system, finite, digits, tolerances)
    points, point_of_path, evidence, recovered = _close_under_symmetry(system, run, finite, points, point_of_path,
                                                                       evidence, digits, tolerances)
    certification = _certify(system, points, digits) if options.certify else None
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
        "backend": {"name": run.backend, "requested": options.backend, "phc_seed": run.seed,
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
    synthetic = [(first + k, phc.RawPath.known_solution(image, "symmetry image")) for k, image in enumerate(images)]
    points, point_of_path, evidence = refine_and_classify(system, finite + synthetic, digits, tolerances)
    points = tuple(replace(p, paths=tuple(k for k in p.paths if k < first),
                           recovered_by_symmetry=all(k >= first for k in p.paths)) for p in points)
    point_of_path = {k: v for k, v in point_of_path.items() if k < first}
    return points, point_of_path, evidence, sum(p.recovered_by_symmetry for p in points)


def _certify(system: CriticalPointSystem, points: Sequence[CriticalPoint], digits: int):
    """Certify the refined points: real coordinates as their exact binary rationals, others as ``mpc``."""
    from ..verify.certify import certify_points

    centers = [[to_fraction(z.real) if z.imag == 0 else z for z in p.refined] for p in points]
    return certify_points(system, centers, digits=digits, real=[p.is_real for p in points])


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
        stored = load_start_set(tracking_family(architecture, dataset.n_samples, family_mode(reg)))
    if stored is None or counts.complex >= stored.size:
        return []
    return [f"N_C = {counts.complex} is below the generic count {stored.size} of the stored start set "
            f"(confirmed by {', '.join(stored.check.get('confirmed_by', [])) or 'nothing'}): solutions were lost, "
            "or the data are not generic; rerun with another --seed or use the parameter homotopy"]
