"""Monodromy: populate a start set by loops in parameter space, without the blackbox.

The lifted family (:mod:`algeo.model.family`) is affine in the parameters, so a first
solution comes for free: pick a random complex point ``x`` and solve the *linear*
equations ``F(x; p) = 0`` for data ``p`` (a random solution of an underdetermined
linear system). Then loops ``p0 -> p1 -> p2 -> p0`` through random complex data (each
leg a :func:`algeo.phc.track` run with its own ``gamma``) permute the solutions of
``F(.; p0)``; every end point not yet known is added, together with its images under
the hidden-unit sign flips (solutions at the same data). The population stops when
``stable_loops`` loops in a row found nothing new.

The loops prove nothing by themselves: completeness is decided afterwards, by the
trace test (:mod:`algeo.tracking.trace`) or an independent count, and the result says which.
The same code populates the witness sets of the trace test (any family with
``terms``, ``sample_parameters`` and ``fixed_parameters``: :class:`algeo.model.family.TraceFamily`).
"""

from __future__ import annotations

import itertools
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import numpy

from .. import phc
from .gamma import homotopy_gamma
from ..model.symmetry import PointSet

__all__ = ["MonodromyResult", "first_solution", "populate_by_monodromy", "dead_unit_masks", "track_points"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MonodromyResult:
    parameters: tuple[complex, ...]
    points: tuple[tuple[complex, ...], ...]
    loops: int
    counts_after_each_loop: tuple[int, ...]
    failed_paths: int  # path ends that were not solutions (dropped, counted)
    tracked_paths: int = 0
    seconds: float = 0.0
    added_by_symmetry: int = 0
    passes: int = 1  # passes over the dead-unit patterns (more than 1 only when a target count was not reached)
    target: int | None = None  # the count the population aimed at (an independent count), if any


def _linear_parts(family, point: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """``F(point; p) = A p + b``: the matrix ``A`` and the vector ``b`` at ``point``."""
    n_parameters = len(family.parameter_names)
    A = numpy.zeros((len(family.terms), n_parameters), dtype=complex)
    b = numpy.zeros(len(family.terms), dtype=complex)
    for row, equation in enumerate(family.terms):
        for exponents, (constant, linear) in equation:
            monomial = numpy.prod(point ** numpy.array(exponents))
            b[row] += constant * monomial
            for k, factor in linear:
                A[row, k] += factor * monomial
    return A, b


def dead_unit_masks(family) -> list[numpy.ndarray]:
    """Which coordinates may be nonzero, for each choice of dead hidden units.

    A dead hidden unit ``i`` of layer ``k`` has row ``i`` of ``W_k`` and column ``i``
    of ``W_{k+1}`` zero; the gradient equations of those weights then vanish
    identically, so each choice is an invariant coordinate subspace holding its own
    solutions (the critical points of the smaller network), and loops never leave it.
    Choices that kill a whole hidden layer all give the origin ``W = 0`` and appear once,
    as the all-dead mask (left out when ``family.origin_is_a_solution`` is false). Coordinates
    after the weights (residuals, the trace test's ``lam``) are always free.
    """
    architecture = family.architecture
    hidden = architecture.widths[1:-1]
    n_other = len(family.variable_names) - architecture.n_parameters
    masks = []
    for alive in itertools.product(*[list(itertools.product((False, True), repeat=width)) for width in hidden]):
        if any(not any(layer) for layer in alive):
            continue
        free = []
        for l, (rows, cols) in enumerate(architecture.shapes):
            for i in range(rows):
                for j in range(cols):
                    row_alive = l == architecture.depth - 1 or alive[l][i]
                    column_alive = l == 0 or alive[l - 1][j]
                    free.append(row_alive and column_alive)
        masks.append(numpy.array(free + [True] * n_other))
    if not getattr(family, "origin_is_a_solution", True):
        return masks
    origin = numpy.array([False] * architecture.n_parameters + [True] * n_other)
    return masks + [origin]


def first_solution(family, seed: int, mask: numpy.ndarray | None = None) -> tuple[numpy.ndarray, numpy.ndarray]:
    """A random point ``x`` (zero outside ``mask``) and random parameters ``p`` with ``F(x; p) = 0``.

    Parameters in ``family.fixed_parameters`` keep their values; the others solve the
    linear equations (a random solution of the underdetermined system).
    """
    rng = numpy.random.default_rng(seed)
    n = len(family.variable_names)
    point = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    if mask is not None:
        point = numpy.where(mask, point, 0)
    A, b = _linear_parts(family, point)
    fixed = dict(family.fixed_parameters)
    free = [k for k in range(A.shape[1]) if k not in fixed]
    for k, value in fixed.items():
        b = b + A[:, k] * value
    A = A[:, free]
    particular = numpy.linalg.lstsq(A, -b, rcond=None)[0]
    _, singular_values, vh = numpy.linalg.svd(A)
    rank = int((singular_values > 1e-10 * singular_values[0]).sum())
    null = vh[rank:].conj().T
    coefficients = rng.standard_normal(null.shape[1]) + 1j * rng.standard_normal(null.shape[1])
    parameters = numpy.zeros(len(family.parameter_names), dtype=complex)
    parameters[free] = particular + null @ coefficients
    for k, value in fixed.items():
        parameters[k] = value
    residual = float(numpy.abs(family.evaluate(parameters, point)).max())
    if residual > 1e-9:
        raise ArithmeticError(f"the first monodromy solution has residual {residual:.1e}")
    return parameters, point


#: seconds a monodromy leg may take before it is killed and tracked again (plus 0.5 s per path)
LEG_TIMEOUT = 30.0


def track_points(family, source, target, points, gamma: complex, *, workers: int = 1,
                 retry_gammas: tuple[complex, ...] = ()) -> tuple[list[numpy.ndarray | None], int]:
    """Track ``points`` from ``F(.; source)`` to ``F(.; target)``: ends (None when lost) and the number lost.

    The points are split over ``workers`` phcpy child processes run at once. A path that
    does not end at a solution is tracked again with each of ``retry_gammas`` in turn
    (:func:`algeo.phc.track`); ends reached with different gammas may then coincide,
    which the caller must check when it needs the whole solution set.
    """
    points = [tuple(complex(z) for z in x) for x in points]
    if not points:
        return [], 0
    target_system, start_system = family.coefficients(target), family.coefficients(source)
    chunks = [points[k::workers] for k in range(workers)] if workers > 1 and len(points) >= 2 * workers else [points]

    def run(chunk):
        # a leg of a few paths takes about a second; PHCpack can hang (PHCPACK.md, and measured on
        # tests/tracking/test_trace.py, widths 1,2,1): kill it early, the next gamma tracks the leg again
        return phc.track(target_system, start_system, chunk, family.variable_names, gammas=[gamma, *retry_gammas],
                         timeout=LEG_TIMEOUT + 0.5 * len(chunk))

    if len(chunks) == 1:
        runs = [run(chunks[0])]
    else:
        with ThreadPoolExecutor(len(chunks)) as pool:
            runs = list(pool.map(run, chunks))
    ends: list[numpy.ndarray | None] = [None] * len(points)
    for k, (chunk, tracked) in enumerate(zip(chunks, runs)):
        positions = range(k, len(points), len(chunks))
        if len(tracked.paths) != len(chunk):  # the worker crashed or timed out: every path of the chunk lost
            continue
        for position, path in zip(positions, tracked.paths):
            if path.outcome == "success" and "regular" in path.label:
                ends[position] = numpy.array(path.coordinates)
    return ends, sum(e is None for e in ends)


def _orbit(family, parameters, point, *, seed, stable_loops, max_loops, workers, progress, offset):
    """Loops at ``parameters`` from ``point`` until ``stable_loops`` loops add nothing."""
    flips = family.sign_flips()
    known = PointSet()
    by_symmetry = 0

    def add(candidate) -> int:
        nonlocal by_symmetry
        added = int(known.add(candidate))
        if added and flips is not None:
            for signs in flips[1:]:
                if known.add(signs * candidate):
                    added += 1
                    by_symmetry += 1
        return added

    add(point)
    counts, failed, tracked, quiet, loop = [], 0, 0, 0, 0
    rng = numpy.random.default_rng(seed + 1)
    while quiet < stable_loops and loop < max_loops:
        loop += 1
        p1, p2 = family.sample_parameters(rng), family.sample_parameters(rng)
        current = list(known.points)
        for leg, (source, target) in enumerate(((parameters, p1), (p1, p2), (p2, parameters))):
            tracked += len(current)
            ends, lost = track_points(family, source, target, current, homotopy_gamma(seed, 3 * loop + leg),
                                      workers=workers)
            failed += lost
            current = [x for x in ends if x is not None]
        added = sum(add(x) for x in current)
        counts.append(len(known))
        quiet = 0 if added else quiet + 1
        logger.info("monodromy loop %d: %d points (+%d)", loop, len(known), added)
        if progress is not None:
            progress(offset + len(known))
    return known.points, loop, counts, failed, tracked, by_symmetry


def populate_by_monodromy(
    family,
    *,
    seed: int = 0,
    base: numpy.ndarray | None = None,
    stable_loops: int = 5,
    max_loops: int = 200,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    target: int | None = None,
    passes: int = 1,
) -> MonodromyResult:
    """Every solution of ``F(.; base)`` reachable by loops, one orbit per dead-unit pattern.

    For each pattern (:func:`dead_unit_masks`) a first solution is made at its own data,
    grown by loops until ``stable_loops`` loops add nothing, and tracked to the common
    data ``base`` (default: ``family.random_parameters(seed)``, random complex). Paths
    that do not end at a regular solution are counted in ``failed_paths``: patterns whose
    solutions do not persist for generic data lose their paths there.

    With ``target`` (an independent count, e.g. :func:`algeo.verify.exact.singular_counts` mod p)
    the population stops as soon as ``target`` points are known, and when a pass ends
    short of it another pass (new first solutions, loops and gammas, same ``base``) runs,
    up to ``passes`` in all; the union is returned. Reaching the target proves nothing
    by itself either: the caller compares the two counts.
    """
    started = time.monotonic()
    if base is None:
        base = family.sample_parameters(numpy.random.default_rng(seed))
    base = numpy.asarray(base, dtype=complex)
    found = PointSet()
    all_counts: list[int] = []
    loops = failed = tracked = by_symmetry = 0
    masks = dead_unit_masks(family)
    for attempt in range(passes):
        pass_seed = seed + 7919 * attempt  # a new pass: new first solutions, loops and gammas
        for number, mask in enumerate(masks):
            if target is not None and len(found) >= target:
                break  # every solution is known: the other patterns can only repeat them
            parameters, point = first_solution(family, pass_seed + 1000 * (number + 1), mask)
            if mask[: family.architecture.n_parameters].any():
                orbit, used, counts, lost, paths, symmetric = _orbit(
                    family, parameters, point, seed=pass_seed + number, stable_loops=stable_loops,
                    max_loops=max_loops, workers=workers, progress=progress, offset=len(found))
            else:  # the origin: one solution for every p
                orbit, used, counts, lost, paths, symmetric = [point], 0, [1], 0, 0, 0
            ends, lost_to_base = track_points(family, parameters, base, orbit,
                                              homotopy_gamma(pass_seed, 10_000 + number), workers=workers)
            for end in ends:
                if end is not None:
                    found.add(end)
            loops += used
            failed += lost + lost_to_base
            tracked += paths + len(orbit)
            by_symmetry += symmetric
            all_counts.extend(counts)
            logger.info("dead-unit pattern %d: %d solutions in %d loops (%d lost to the base data)", number,
                        len(orbit), used, lost_to_base)
        if target is None or len(found) >= target:
            break
        if attempt + 1 < passes:
            logger.warning("monodromy pass %d found %d of %d solutions; another pass with a new seed", attempt + 1,
                           len(found), target)
    return MonodromyResult(tuple(complex(z) for z in base), tuple(tuple(complex(z) for z in x) for x in found.points),
                           loops, tuple(all_counts), failed, tracked, round(time.monotonic() - started, 3), by_symmetry,
                           attempt + 1, target)
