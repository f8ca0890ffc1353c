"""Monodromy: populate a start set by loops in parameter space, without the blackbox.

The lifted family (:mod:`algeo.family`) is affine in the parameters, so a first
solution comes for free: pick a random complex point ``x`` and solve the *linear*
equations ``F(x; p) = 0`` for data ``p`` (a random solution of an underdetermined
linear system). Then loops ``p0 -> p1 -> p2 -> p0`` through random complex data (each
leg a :func:`algeo.phc.track` run with its own ``gamma``) permute the solutions of
``F(.; p0)``; every end point not yet known is added. The population stops when
``stable_loops`` loops in a row found nothing new.

Completeness is **not** proven by the loops: the count is checked afterwards as for
any start set (:func:`algeo.startset.make_start_set`'s checks: the blackbox on a real
instance, or the published count). A trace test is not implemented.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

import numpy

from . import phc
from .family import ParameterFamily
from .homotopy import homotopy_gamma

__all__ = ["MonodromyResult", "first_solution", "populate_by_monodromy"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MonodromyResult:
    parameters: tuple[complex, ...]
    points: tuple[tuple[complex, ...], ...]
    loops: int
    counts_after_each_loop: tuple[int, ...]
    failed_paths: int  # path ends that were not solutions (dropped, counted)


def _linear_parts(family: ParameterFamily, point: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
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


def dead_unit_masks(family: ParameterFamily) -> list[numpy.ndarray]:
    """Which coordinates may be nonzero, for each choice of dead hidden units.

    A dead hidden unit ``i`` of layer ``k`` has row ``i`` of ``W_k`` and column ``i``
    of ``W_{k+1}`` zero; the gradient equations of those weights then vanish
    identically, so each choice is an invariant coordinate subspace holding its own
    solutions (the critical points of the smaller network), and loops never leave it.
    Choices that kill a whole hidden layer all give the origin ``W = 0`` and appear once,
    as the all-dead mask.
    """
    import itertools

    architecture = family.architecture
    hidden = architecture.widths[1:-1]
    n_residuals = len(family.residual_names)
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
        masks.append(numpy.array(free + [True] * n_residuals))
    origin = numpy.array([False] * architecture.n_parameters + [True] * n_residuals)
    return masks + [origin]


def first_solution(family: ParameterFamily, seed: int, mask: numpy.ndarray | None = None
                   ) -> tuple[numpy.ndarray, numpy.ndarray]:
    """A random point ``x`` (zero outside ``mask``) and random data ``p`` with ``F(x; p) = 0``."""
    rng = numpy.random.default_rng(seed)
    n = len(family.variable_names)
    point = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    if mask is not None:
        point = numpy.where(mask, point, 0)
    A, b = _linear_parts(family, point)
    particular = numpy.linalg.lstsq(A, -b, rcond=None)[0]
    _, singular_values, vh = numpy.linalg.svd(A)
    rank = int((singular_values > 1e-10 * singular_values[0]).sum())
    null = vh[rank:].conj().T
    coefficients = rng.standard_normal(null.shape[1]) + 1j * rng.standard_normal(null.shape[1])
    parameters = particular + null @ coefficients
    residual = float(numpy.abs(family.evaluate(parameters, point)).max())
    if residual > 1e-9:
        raise ArithmeticError(f"the first monodromy solution has residual {residual:.1e}")
    return parameters, point


def _track(family, source, target, points, gamma) -> tuple[list[numpy.ndarray], int]:
    run = phc.track(family.coefficients(target), family.coefficients(source), points, family.variable_names,
                    gammas=[gamma])
    ends = [numpy.array(p.coordinates) for p in run.paths if p.outcome == "success" and "regular" in p.label]
    return ends, len(points) - len(ends)


def _add_new(known: list[numpy.ndarray], candidates: list[numpy.ndarray], tolerance: float = 1e-6) -> int:
    added = 0
    for candidate in candidates:
        scale = max(1.0, float(numpy.abs(candidate).max()))
        if all(float(numpy.abs(candidate - other).max()) > tolerance * scale for other in known):
            known.append(candidate)
            added += 1
    return added


def _orbit(family, parameters, point, *, seed, stable_loops, max_loops, progress, offset):
    """Loops at ``parameters`` from ``point`` until ``stable_loops`` loops add nothing."""
    known = [point]
    counts, failed, quiet, loop = [], 0, 0, 0
    rng = numpy.random.default_rng(seed + 1)
    n_parameters = len(family.parameter_names)
    while quiet < stable_loops and loop < max_loops:
        loop += 1
        p1, p2 = (rng.standard_normal(n_parameters) + 1j * rng.standard_normal(n_parameters) for _ in range(2))
        current = [tuple(x) for x in known]
        for leg, (source, target) in enumerate(((parameters, p1), (p1, p2), (p2, parameters))):
            ends, lost = _track(family, source, target, current, homotopy_gamma(seed, 3 * loop + leg))
            failed += lost
            current = [tuple(x) for x in ends]
        added = _add_new(known, [numpy.array(x) for x in current])
        counts.append(len(known))
        quiet = 0 if added else quiet + 1
        if progress is not None:
            progress(offset + len(known))
    return known, loop, counts, failed


def populate_by_monodromy(
    family: ParameterFamily,
    *,
    seed: int = 0,
    stable_loops: int = 3,
    max_loops: int = 200,
    progress: Callable[[int], None] | None = None,
) -> MonodromyResult:
    """Every solution of ``F(.; p0)`` reachable by loops, one orbit per dead-unit pattern.

    For each pattern (:func:`dead_unit_masks`) a first solution is made at its own data,
    grown by loops until ``stable_loops`` loops add nothing, and tracked to the common
    random data ``p0 = family.random_parameters(seed)``.
    """
    base = family.random_parameters(seed)
    found: list[numpy.ndarray] = []
    all_counts: list[int] = []
    loops = failed = 0
    for number, mask in enumerate(dead_unit_masks(family)):
        parameters, point = first_solution(family, seed + 1000 * (number + 1), mask)
        if mask[: family.architecture.n_parameters].any():
            orbit, used, counts, lost = _orbit(family, parameters, point, seed=seed + number, stable_loops=stable_loops,
                                               max_loops=max_loops, progress=progress, offset=len(found))
        else:  # the origin: one solution for every p
            orbit, used, counts, lost = [point], 0, [1], 0
        ends, lost_to_base = _track(family, parameters, base, [tuple(x) for x in orbit],
                                    homotopy_gamma(seed, 10_000 + number))
        _add_new(found, ends)
        loops += used
        failed += lost + lost_to_base
        all_counts.extend(counts)
        logger.info("dead-unit pattern %d: %d solutions in %d loops", number, len(orbit), used)
    return MonodromyResult(tuple(complex(z) for z in base), tuple(tuple(complex(z) for z in x) for x in found),
                           loops, tuple(all_counts), failed)
