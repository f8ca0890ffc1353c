"""The trace test: is a solution set of ``F(.; p)`` complete? (Leykin, Rodriguez and Sottile, 2018.)

Given points claimed to be *all* isolated solutions of the lifted system at data ``p``
(:class:`algeo.model.family.ParameterFamily`), the test works in the augmented family
:class:`algeo.model.family.TraceFamily`::

    F(x; p + lam v) = 0,        (a . x - 1) lam + t = 0

with random complex ``v`` and ``a``. At ``t = 0`` its solutions are the points under
test (``lam = 0``) and the *witnesses* on ``a . x = 1``, which are found by monodromy
(:func:`algeo.tracking.monodromy.populate_by_monodromy` on the augmented family, ``t`` held at
0). Both sets are then tracked to ``t = gamma/2`` and ``t = gamma``. The sum of the
points (all coordinates, ``lam`` included) is an affine function of ``t`` when the
sets are complete, and generically not when a point is missing: the verdict compares
``sigma_3 / sigma_1`` of the ``(n + 2) x 3`` matrix ``[[T_0, T_1, T_2], [1, 1, 1]]``
with a tolerance. The same construction is HomotopyContinuation.jl's
``verify_solution_completeness``.

The verdict is numerical (double precision tracking), not a proof, and it also tests
the witnesses: an incomplete witness set gives ``INCOMPLETE`` even when the points under
test are complete. A path lost while moving ``t`` (also when tracked again with other gammas),
or two paths ending at the same point, gives ``INCONCLUSIVE``.
"""

from __future__ import annotations

import enum
import logging
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy

from ..model.family import ParameterFamily, TraceFamily
from .gamma import homotopy_gamma
from .monodromy import populate_by_monodromy, track_points
from ..model.symmetry import PointSet

__all__ = ["Completeness", "TraceTestResult", "trace_test", "DEFAULT_TRACE_TOLERANCE"]

logger = logging.getLogger(__name__)

#: Largest ``sigma_3 / sigma_1`` called affine. Measured (benchmarks/root_count_rows.py and
#: tests/test_trace.py, docs/sweep.md): complete sets gave 2e-16 to 2e-14; one dropped point 8e-4 to 2e-2.
DEFAULT_TRACE_TOLERANCE = 1e-9


class Completeness(str, enum.Enum):
    COMPLETE = "complete"  # the traces are affine in t
    INCOMPLETE = "incomplete"  # they are not: a solution (or a witness) is missing
    INCONCLUSIVE = "inconclusive"  # a path was lost while moving t; no verdict


@dataclass(frozen=True)
class TraceTestResult:
    verdict: Completeness
    trace_residual: float | None  # sigma_3 / sigma_1 of [[T0, T1, T2], [1, 1, 1]]
    tolerance: float
    solutions: int  # points under test
    witnesses: int  # additional points on a . x = 1
    witness_loops: int
    lost_paths: int  # paths lost while moving t (any makes the verdict inconclusive)
    witness_lost_paths: int  # paths lost during the witness monodromy (counted, not fatal)
    tracked_paths: int
    seconds: float
    seed: int
    witness_passes: int = 1  # monodromy passes for the witnesses (another one after each INCOMPLETE)

    def to_json(self) -> dict:
        return {"method": "trace test", "verdict": self.verdict.value, "trace_residual": self.trace_residual,
                "tolerance": self.tolerance, "solutions": self.solutions, "witnesses": self.witnesses,
                "witness_loops": self.witness_loops, "lost_paths": self.lost_paths,
                "witness_lost_paths": self.witness_lost_paths, "tracked_paths": self.tracked_paths,
                "seconds": self.seconds, "seed": self.seed, "witness_passes": self.witness_passes}


def trace_residual(traces: Sequence[numpy.ndarray]) -> float:
    """``sigma_3 / sigma_1`` of ``[[T_0, T_1, T_2], [1, 1, 1]]``: 0 exactly when the three traces are collinear.

    >>> trace_residual([numpy.array([1.0, 2]), numpy.array([2.0, 3]), numpy.array([3.0, 4])]) < 1e-15
    True
    >>> trace_residual([numpy.array([1.0, 2]), numpy.array([2.0, 3]), numpy.array([3.0, 5])]) > 1e-3
    True
    """
    matrix = numpy.vstack([numpy.column_stack(traces), numpy.ones((1, 3))])
    singular_values = numpy.linalg.svd(matrix, compute_uv=False)
    return float(singular_values[2] / singular_values[0])


def trace_test(
    family: ParameterFamily,
    parameters: Sequence[complex],
    points: Sequence[Sequence[complex]],
    *,
    seed: int = 0,
    tolerance: float = DEFAULT_TRACE_TOLERANCE,
    stable_loops: int = 5,
    max_attempts: int = 3,
    witness_passes: int = 3,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> TraceTestResult:
    """Test whether ``points`` are all the regular solutions of ``family`` at ``parameters``.

    The witnesses come from monodromy; when the verdict is INCOMPLETE, up to
    ``witness_passes`` passes in all add witnesses (new seeds) and test again, since a
    missing witness alone makes the traces non-affine. A pass that adds nothing ends this.
    """
    started = time.monotonic()
    augmented = TraceFamily(family)
    rng = numpy.random.default_rng(seed)
    n_p = len(family.parameter_names)
    base = augmented.sample_parameters(rng)
    base[:n_p] = numpy.asarray(parameters, dtype=complex)
    start = [numpy.append(numpy.asarray(x, dtype=complex), 0j) for x in points]
    known = PointSet()
    loops = witness_lost = tracked = 0
    for witness_pass in range(witness_passes):
        # An INCOMPLETE verdict may be the witnesses' fault: another monodromy pass (new seed),
        # united with the witnesses known so far, then the test again.
        found = populate_by_monodromy(augmented, seed=seed + 7 + 7919 * witness_pass, base=base,
                                      stable_loops=stable_loops, workers=workers, progress=progress)
        loops, witness_lost, tracked = loops + found.loops, witness_lost + found.failed_paths, \
            tracked + found.tracked_paths
        added = sum(known.add(numpy.asarray(w)) for w in found.points)
        if witness_pass and not added:
            break  # the new pass found nothing new: the verdict stands
        verdict, residual, lost, paths = _trace_verdict(augmented, base, start + list(known.points), seed=seed,
                                                        tolerance=tolerance, max_attempts=max_attempts,
                                                        workers=workers)
        tracked += paths
        if verdict is not Completeness.INCOMPLETE:
            break
        logger.info("trace test: incomplete with %d witnesses (pass %d, residual %.1e)", len(known),
                    witness_pass + 1, residual)
    logger.info("trace test: %d solutions, %d witnesses, residual %s: %s", len(points), len(known),
                residual, verdict.value)
    return TraceTestResult(verdict, residual, tolerance, len(points), len(known), loops, lost,
                           witness_lost, tracked, round(time.monotonic() - started, 3), seed, witness_pass + 1)


def _trace_verdict(augmented: TraceFamily, base, start, *, seed, tolerance, max_attempts, workers
                   ) -> tuple[Completeness, float | None, int, int]:
    """Track ``start`` (points and witnesses at t = 0) to t = gamma/2 and gamma: verdict, residual, lost, paths."""
    moved, sets, lost, tracked = base, [start], 0, 0
    for step in (0.5, 1.0):
        target = base.copy()
        target[augmented.t_position] = step * homotopy_gamma(seed, 20_000)
        gammas = [homotopy_gamma(seed, 20_000 + 10 * attempt + int(2 * step)) for attempt in range(max_attempts)]
        for gamma in gammas:  # a lost path: the whole leg again with the next gamma (one gamma: a bijection)
            ends, lost = track_points(augmented, moved, target, sets[-1], gamma, workers=workers)
            tracked += len(sets[-1])
            if not lost:
                break
            logger.info("trace test: %d of %d paths lost moving t to %s", lost, len(sets[-1]), step)
        if lost and len(gammas) > 1:  # last resort: the lost paths alone with the next gammas
            ends, lost = track_points(augmented, moved, target, sets[-1], gammas[0], workers=workers,
                                      retry_gammas=tuple(gammas[1:]))
            tracked += len(sets[-1])
        if lost:
            break
        distinct = PointSet()
        if sum(distinct.add(end) for end in ends) < len(ends):  # a retried path jumped onto another
            logger.info("trace test: two paths ended at the same point moving t to %s", step)
            lost = len(ends) - len(distinct)
            break
        sets.append(ends)
        moved = target
    if lost:
        return Completeness.INCONCLUSIVE, None, lost, tracked
    residual = trace_residual([numpy.sum(numpy.array(s), axis=0) for s in sets])
    return (Completeness.COMPLETE if residual <= tolerance else Completeness.INCOMPLETE), residual, lost, tracked
