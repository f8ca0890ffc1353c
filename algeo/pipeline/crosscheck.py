"""The exact cross-check of every solve: msolve's counts of the instance's own rational system.

msolve runs in a child process beside the numerical solve (:func:`start_exact_count`), time
limited by ``SolveOptions.exact_budget``. Its answer (N_C, N_R, N_C* from the exact
parametrization, an isolating box per real solution) is compared with the numerical result
(:func:`cross_check`): N_C and N_R must agree, and every numerical real point must lie in its
own box. When msolve ran out of budget (or is missing), the independent check is the size of
the verified start set or the modular count, and the result says which
(``counts.independent_check``).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from ..exceptions import BackendUnavailableError
from ..model.system import CriticalPointSystem
from ..results.solve_result import CriticalPoint
from ..verify.msolve import MsolveCounts, MsolveStatus, match_real_points, msolve_available, msolve_counts
from ..verify.parametrization import nonzero_count

__all__ = ["ExactCount", "start_exact_count", "cross_check", "CrossCheck"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExactCount:
    """msolve's answer for one system, with N_C* from its parametrization (None when not COMPLETE)."""

    counts: MsolveCounts | None  # None: msolve not run (missing, or budget 0)
    nonzero: int | None
    reason: str = ""  # why there are no counts

    @property
    def complete(self) -> bool:
        return self.counts is not None and self.counts.status is MsolveStatus.COMPLETE

    def to_json(self) -> dict:
        if self.counts is None:
            return {"method": "msolve", "status": "not_run", "detail": self.reason}
        return {**self.counts.to_json(), "N_C*": self.nonzero}


def _exact_count(system: CriticalPointSystem, budget: float, threads: int = 1) -> ExactCount:
    try:
        counts = msolve_counts(system.polynomial_system, system.variable_names, timeout=budget, threads=threads)
    except BackendUnavailableError as error:
        return ExactCount(None, None, str(error))
    nonzero = None
    if counts.status is MsolveStatus.COMPLETE and counts.parametrization is not None:
        nonzero = nonzero_count(counts.parametrization, system.variable_names)
    return ExactCount(counts, nonzero)


def start_exact_count(system: CriticalPointSystem, budget: float, threads: int = 1, skip: str | None = None) -> Future:
    """msolve on ``system`` in the background (a thread waiting on its child process); a Future of ExactCount.

    ``skip``: not run, for this reason (the caller's).
    """
    reason = skip or ("exact_budget is 0" if budget <= 0 else None if msolve_available() else
                      "msolve is not installed (run ./setup.sh)")
    if reason is not None:
        future: Future = Future()
        future.set_result(ExactCount(None, None, reason))
        return future
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="algeo-msolve")
    future = executor.submit(_exact_count, system, budget, threads)
    executor.shutdown(wait=False)  # the thread ends with msolve (time-limited)
    return future


@dataclass(frozen=True)
class CrossCheck:
    """What the exact count says of a numerical result: counts to record, problems, warnings."""

    extra: dict = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def cross_check(exact: ExactCount, points: tuple[CriticalPoint, ...], *, complex_count: int, nonzero: int,
                real: int, start_set_size: int | None, modular: int | None = None,
                start_set_confirmed_by: tuple[str, ...] = ()) -> CrossCheck:
    """Compare the numerical counts (and real points) with the exact ones, or with the fallback check."""
    extra: dict = {"exact": exact.to_json()}
    problems: list[str] = []
    warnings: list[str] = []
    if exact.complete:
        counts = exact.counts
        extra.update(exact_complex=counts.distinct, exact_real=counts.real, exact_nonzero=exact.nonzero,
                     exact_method="msolve over QQ", exact_seconds=round(counts.seconds, 3),
                     independent_check="msolve")
        if counts.distinct != counts.complex:
            warnings.append(f"msolve: the ideal is not radical ({counts.complex} solutions with multiplicity, "
                            f"{counts.distinct} distinct): the data are not generic")
        if complex_count != counts.distinct:
            problems.append(f"N_C = {complex_count} but msolve counts {counts.distinct} distinct complex solutions "
                            "of the exact system: solutions were lost or split")
        if exact.nonzero is not None and nonzero != exact.nonzero:
            problems.append(f"N_C* = {nonzero} but msolve's parametrization gives {exact.nonzero}")
        if real != counts.real:
            problems.append(f"N_R = {real} but msolve isolates {counts.real} real solutions")
        real_points = [p for p in points if p.is_real]
        match = match_real_points(counts.real_boxes, [p.refined for p in real_points])
        extra["real_points_in_boxes"] = sum(b is not None for b in match.box_of)
        if not match.bijective:
            problems.append(
                f"real points against msolve's isolating boxes: points {[real_points[k].index for k in match.unmatched_points]} "
                f"in no box, {[real_points[k].index for k in match.ambiguous_points]} in several, boxes "
                f"{list(match.unmatched_boxes)} empty, {list(match.shared_boxes)} shared")
        return CrossCheck(extra, tuple(problems), tuple(warnings))
    why = exact.reason or (f"msolve {exact.counts.status.value} after {exact.counts.seconds:.1f} s"
                           f"{': ' + exact.counts.detail if exact.counts.detail else ''}")
    extra["exact_status"] = why
    if start_set_size is not None:
        extra.update(independent_check="verified start-set size", start_set_size=start_set_size,
                     start_set_confirmed_by=list(start_set_confirmed_by))
        confirmed = f" (confirmed by {', '.join(start_set_confirmed_by)})" if start_set_confirmed_by else ""
        warnings.append(f"no exact count ({why}); N_C checked against the verified start set's {start_set_size} "
                        f"points{confirmed} instead (the generic count; non-generic data may have fewer)")
    elif modular is not None:
        extra["independent_check"] = "modular count"
        if complex_count != modular:
            problems.append(f"N_C = {complex_count} but the modular count of this instance is {modular}")
    else:
        extra["independent_check"] = "none"
        warnings.append(f"no exact count ({why}) and no verified start set: N_C has no independent check; "
                        "raise --exact-budget")
    return CrossCheck(extra, tuple(problems), tuple(warnings))
