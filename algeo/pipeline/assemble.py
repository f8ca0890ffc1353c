"""Assembly of a solve's result: path statuses, refinement and classification, counts, checks.

Shared by every method (parameter homotopy, blackbox, completion runs): a
:class:`~algeo.phc.BackendRun` in, a :class:`~algeo.results.solve_result.SolveResult` out,
with every consistency check as a ``problem`` and the exact cross-check
(:mod:`algeo.pipeline.crosscheck`) recorded in ``counts``.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import replace
from typing import Sequence

from .. import phc
from ..classify.points import refine_and_classify
from ..model.data import RegularizationKind, degeneracy_warnings
from ..model.family import family_mode, tracking_family
from ..model.symmetry import missing_images
from ..model.system import CriticalPointSystem
from ..results.provenance import software_versions
from ..results.solve_result import Bounds, Counts, CriticalPoint, PathEnd, PathStatus, SolveResult, to_fraction
from ..startsets.store import StartSet, find_start_set
from ..verify.known_counts import CORRECTED, published_counts
from .crosscheck import ExactCount, cross_check
from .options import SolveOptions

__all__ = ["assemble"]

logger = logging.getLogger(__name__)

ENTRYWISE = (RegularizationKind.GENERIC, RegularizationKind.GIVEN)


def assemble(system: CriticalPointSystem, run: phc.BackendRun, volumes: dict, *, method: dict, seed: int,
              options: SolveOptions, started: float, start_set: StartSet | None = None,
              exact: ExactCount | None = None, merged: bool = False, classify: bool = True) -> SolveResult:
    """Path statuses, refinement, classification, counts and checks: shared by both methods.

    ``start_set``: the stored start set of the system's family when the caller has it
    (the homotopy); otherwise the library's is loaded for the count check. ``exact``: msolve's
    count of this system (:mod:`algeo.pipeline.crosscheck`), which supersedes the start set's.
    ``merged``: ``run`` joins several runs (completion), so two paths ending at one point is expected.
    ``classify=False``: the points only start continuations (the unregularized mode's ``Lambda_0``
    system): no loss, Hessian or real refinement (:func:`algeo.classify.points.refine_and_classify`).
    """
    architecture, dataset, reg = system.architecture, system.dataset, system.regularization
    digits, tolerances = options.digits, options.tolerances
    stable = volumes.get("stable_mixed_volume")
    statuses = [raw.status for raw in run.paths]
    finite = [(i, raw) for i, (raw, status) in enumerate(zip(run.paths, statuses))
              if status in (PathStatus.REGULAR, PathStatus.SINGULAR)]
    if classify:
        points, point_of_path, evidence = refine_and_classify(system, finite, digits, tolerances, classify)
        points, point_of_path, evidence, recovered = _close_under_symmetry(system, run, finite, points, point_of_path,
                                                                           evidence, digits, tolerances, classify)
    else:  # start points (tens of thousands): the missing images from the path ends, one refinement for all
        points, point_of_path, evidence, recovered = _close_under_symmetry(system, run, finite, None, None, None,
                                                                           digits, tolerances, classify)
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
    exact_complete = exact is not None and exact.complete
    exact_agrees = exact_complete and exact.counts.distinct == counts.complex
    stored = start_set if start_set is not None else _stored_start_set(architecture, dataset, reg)
    unconfirmed = stored is not None and not stored.confirmed
    if unconfirmed:  # a lower bound, not a count: nothing is checked against it
        warnings.append(f"the start set ({stored.size} points) is not confirmed complete: "
                        f"{stored.check['unconfirmed']}; N_C is not checked against it")
        stored = None
    consistency = _consistency_problems(run, counts, stable, points, architecture, dataset, reg, stored,
                                        exact_complete=exact_complete)
    if exact_agrees and counts.failed:  # every solution was found: a failed path lost nothing
        warnings += [p for p in consistency if "paths failed" in p]
        consistency = [p for p in consistency if "paths failed" not in p]
    if stored is not None and not exact_complete and counts.complex == stored.size:
        # the distinct points reach the confirmed generic count, which bounds the isolated solutions of every member
        # of the family (counted with multiplicity): the paths no gamma brought to a regular end lost nothing
        # (integers 3,2,3, m = 3, seed 1: 2 of 653 orbit paths, while the symmetry images gave all 2,537 points)
        warnings += [f"{p}; the {counts.complex} distinct points reach the confirmed start set's count (the generic "
                     "count, an upper bound): no solution is missing" for p in consistency
                     if p.startswith(ATTEMPTS_FAILED)]
        consistency = [p for p in consistency if not p.startswith(ATTEMPTS_FAILED)]
    if unconfirmed and not classify:  # start points of the unregularized mode from a set that claims no count:
        # paths no gamma brought in are counted and reported; the products are checked exactly downstream
        warnings += [f"{p} (start set unconfirmed: these paths are reported, and the products are checked "
                     "exactly)" for p in consistency if p.startswith(ATTEMPTS_FAILED)]
        consistency = [p for p in consistency if not p.startswith(ATTEMPTS_FAILED)]
    problems += consistency
    exact_record = None
    if exact is not None:
        size = stored.size if stored is not None else None
        check = cross_check(exact, points, complex_count=counts.complex, nonzero=counts.nonzero, real=counts.real,
                            start_set_size=size, start_set_confirmed_by=tuple(
                                stored.check.get("confirmed_by") or ()) if stored is not None else ())
        exact_record = check.extra["exact"]
        counts = replace(counts, extra={**counts.extra, **{k: v for k, v in check.extra.items() if k != "exact"}})
        problems += check.problems
        warnings += check.warnings
        if exact.complete and size is not None and size != exact.counts.distinct:
            warnings.append(f"msolve counts {exact.counts.distinct} solutions, the verified start set of this family "
                            f"has {size}: the data are not generic (or the start set is wrong)")
    if certification is not None:
        problems += _certification_problems(counts, points)
    for point in points if not merged else ():
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
        **({"exact_count": exact_record} if exact_record is not None else {}),
        "options": options.to_json(),
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


def _close_under_symmetry(system, run, finite, points, point_of_path, evidence, digits, tolerances, classify=True):
    """Add the symmetry images of found points that PHCpack missed (algeo.model.symmetry).

    The images are refined on the exact system together with the path end points, so
    they go through the same decisions; their (synthetic) path indices are dropped. ``points``
    None: nothing is refined yet, and the images are those of the path ends (one refinement).
    """
    ends = [raw.coordinates for _, raw in finite] if points is None else [p.coordinates for p in points]
    images = missing_images(system.architecture, ends, tolerances.same_point)
    if not images:
        if points is None:  # nothing refined yet
            points, point_of_path, evidence = refine_and_classify(system, finite, digits, tolerances, classify)
        return points, point_of_path, evidence, 0
    first = len(run.paths)
    synthetic = [(first + k, phc.RawPath.known_solution(image, "symmetry image")) for k, image in enumerate(images)]
    points, point_of_path, evidence = refine_and_classify(system, finite + synthetic, digits, tolerances, classify)
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


#: the problem of a run none of whose attempts succeeded (matched by this prefix where it is demoted to a warning)
ATTEMPTS_FAILED = "every PHCpack attempt failed"


def _consistency_problems(run, counts: Counts, stable, points, architecture, dataset, reg, start_set=None, *,
                          exact_complete: bool = False) -> list[str]:
    problems = []
    if not run.succeeded:
        tried = "; ".join(f"{a.backend} seed {a.seed}: {a.outcome.value} {a.detail}".strip() for a in run.attempts)
        problems.append(f"{ATTEMPTS_FAILED} ({tried})")
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
    if published is not None and reg.kind in ENTRYWISE:
        note = f" ({CORRECTED[architecture.widths]})" if architecture.widths in CORRECTED else ""
        for key, found in (("N_C", counts.complex), ("N_C*", counts.nonzero)):
            if found != published[key] and exact_complete:  # the exact count decides (cross_check)
                continue
            if found != published[key]:
                problems.append(f"{key} = {found} differs from the generic count {published[key]} "
                                f"(Bharadwaj & Hosten {published['source']}{note}): the data are not generic, "
                                "or solutions were lost")
        if stable is not None and stable != published["BKK"]:
            problems.append(f"stable mixed volume {stable} differs from the published BKK {published['BKK']}")
    if not exact_complete:  # msolve's count of this very system supersedes the generic one
        problems += _start_set_count_problems(counts, start_set)
    return problems


def _stored_start_set(architecture, dataset, reg) -> StartSet | None:
    """The library's verified start set for this instance's family (the user's, then the shipped one), if any."""
    if reg.kind not in ENTRYWISE:
        return None
    found, _ = find_start_set(tracking_family(architecture, dataset.n_samples, family_mode(reg)))
    return found


def _start_set_count_problems(counts: Counts, stored: StartSet | None) -> list[str]:
    """A stored start set knows the generic N_C of this family: fewer points than that means lost solutions.

    (Measured: PHCpack's blackbox lost two whole symmetry orbits, 193 of 225 points, on
    widths 2,2,2, m = 2, seed 887662790 without failing a path; docs/sweep.md.)
    """
    if stored is None or counts.complex >= stored.size:
        return []
    return [f"N_C = {counts.complex} is below the generic count {stored.size} of the stored start set "
            f"(confirmed by {', '.join(stored.check.get('confirmed_by', [])) or 'nothing'}): solutions were lost, "
            "or the data are not generic; rerun with another --seed or use the parameter homotopy"]
