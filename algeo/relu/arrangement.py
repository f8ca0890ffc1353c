"""Exact enumeration of the sign vectors of a central hyperplane arrangement.

One ReLU neuron with parameters ``theta`` (``w`` or ``(w, b)``) activates on sample ``j``
when ``theta . x~_j > 0``. Its realizable activation rows are the sign vectors
``s in {+1,-1}^n`` for which the strict system ``s_j x~_j . theta > 0`` (all ``j``) is
feasible: the chambers of the arrangement ``{theta : theta . x~_j = 0}``.

Each decision is exact:

- *feasible*: a linear program (``scipy.optimize.linprog``, HiGHS) maximizes a margin
  ``t`` in ``s_j x~_j . theta >= t``, ``|theta_k| <= 1``; its solution is rounded to a
  rational ``theta`` and the strict inequalities are verified with Fractions;
- *infeasible*: Gordan's alternative. The strict system is infeasible iff some
  ``y >= 0, y != 0`` has ``sum_j y_j s_j x~_j = 0``. A second LP finds the support of
  such a ``y``; ``y`` is then solved for exactly on that support and checked.

When neither exact check succeeds the sign vector is reported *undecided* (never
dropped). Sign vectors are built sample by sample; a prefix with a witness decides one
extension for free (the witness's own sign on the next sample), so only the other
extension needs a linear program.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy
from scipy.optimize import linprog

__all__ = ["Decision", "Chamber", "ArrangementChambers", "chambers", "decide_signs", "strict_margin"]

logger = logging.getLogger(__name__)

#: an LP margin at or below this is treated as "maybe infeasible" (then Gordan's certificate is sought)
MARGIN_TOLERANCE = 1e-9
_HIGHS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


class Decision(str, enum.Enum):
    """Outcome for one sign vector."""

    FEASIBLE = "feasible"  # exact rational witness verified
    INFEASIBLE = "infeasible"  # exact Gordan certificate verified
    UNDECIDED = "undecided"  # neither exact check succeeded


@dataclass(frozen=True)
class Chamber:
    """A realizable activation row: ``signs[j]`` is +1 (active) or -1, with a verified witness."""

    signs: tuple[int, ...]
    witness: tuple[Fraction, ...]

    @property
    def pattern(self) -> tuple[int, ...]:
        """The activation row as 0/1."""
        return tuple(1 if s > 0 else 0 for s in self.signs)


@dataclass(frozen=True)
class ArrangementChambers:
    """All chambers of one neuron's arrangement, plus what could not be decided."""

    chambers: tuple[Chamber, ...]
    undecided: tuple[tuple[int, ...], ...]  # sign-vector prefixes left undecided (their extensions unknown)
    linear_programs: int
    infeasible_certificates: int

    @property
    def complete(self) -> bool:
        return not self.undecided


def strict_margin(signs: Sequence[int], points: Sequence[Sequence[Fraction]], theta: Sequence[Fraction]) -> Fraction:
    """``min_j s_j x~_j . theta`` exactly; positive iff ``theta`` is a witness."""
    return min(s * sum((a * b for a, b in zip(x, theta)), Fraction(0)) for s, x in zip(signs, points))


def _rational_candidates(values: numpy.ndarray):
    exact = [Fraction(float(v)) for v in values]
    for limit in (10**2, 10**4, 10**6, 10**9):
        yield [v.limit_denominator(limit) for v in exact]
    yield exact


def _witness_lp(signs, points) -> tuple[float, numpy.ndarray | None]:
    m = len(points[0])
    A = numpy.array([[-s * float(c) for c in x] + [1.0] for s, x in zip(signs, points)])
    cost = numpy.zeros(m + 1)
    cost[-1] = -1.0
    bounds = [(-1.0, 1.0)] * m + [(None, 1.0)]
    result = linprog(cost, A_ub=A, b_ub=numpy.zeros(len(points)), bounds=bounds, method="highs", options=_HIGHS)
    if result.status != 0:
        return 0.0, None
    return float(result.x[-1]), result.x[:-1]


def _gordan_certificate(signs, points) -> tuple[Fraction, ...] | None:
    """Exact ``y >= 0``, ``sum y = 1``, ``sum_j y_j s_j x~_j = 0``, or ``None``."""
    n, m = len(points), len(points[0])
    columns = [[s * c for c in x] for s, x in zip(signs, points)]
    A_eq = numpy.array([[float(columns[j][k]) for j in range(n)] for k in range(m)] + [[1.0] * n])
    b_eq = numpy.zeros(m + 1)
    b_eq[-1] = 1.0
    result = linprog(numpy.zeros(n), A_eq=A_eq, b_eq=b_eq, bounds=[(0, None)] * n, method="highs-ds",
                     options={"primal_feasibility_tolerance": 1e-10})
    if result.status != 0:
        return None
    support = [j for j in range(n) if result.x[j] > 1e-12]
    rows = [[columns[j][k] for j in support] + [Fraction(0)] for k in range(m)]
    rows.append([Fraction(1)] * len(support) + [Fraction(1)])
    guess = [Fraction(float(result.x[j])) for j in support]
    solution = _solve_exactly(rows, guess)
    if solution is None or any(v < 0 for v in solution):
        return None
    y = [Fraction(0)] * n
    for j, v in zip(support, solution):
        y[j] = v
    # verify the certificate exactly
    if sum(y) != 1 or any(sum(y[j] * columns[j][k] for j in range(n)) != 0 for k in range(m)):
        return None
    return tuple(y)


def _solve_exactly(augmented: list[list[Fraction]], guess: list[Fraction]) -> list[Fraction] | None:
    """A solution of ``[M | r]``; free variables take the (rounded) LP values ``guess``."""
    rows = [list(r) for r in augmented]
    n_cols = len(rows[0]) - 1
    pivots, rank = [], 0
    for col in range(n_cols):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        head = rows[rank][col]
        rows[rank] = [v / head for v in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank])]
        pivots.append(col)
        rank += 1
    if any(all(v == 0 for v in row[:-1]) and row[-1] != 0 for row in rows):
        return None
    solution = list(guess)
    free = [c for c in range(n_cols) if c not in pivots]
    for r, col in enumerate(pivots):
        solution[col] = rows[r][-1] - sum(rows[r][f] * solution[f] for f in free)
    return solution


def decide_signs(signs: Sequence[int], points: Sequence[Sequence[Fraction]]) -> tuple[Decision, tuple | None, int]:
    """Decide one sign vector; returns the decision, the witness or certificate, and LPs used."""
    margin, theta = _witness_lp(signs, points)
    lps = 1
    if theta is not None and margin > MARGIN_TOLERANCE:
        for candidate in _rational_candidates(theta):
            if strict_margin(signs, points, candidate) > 0:
                return Decision.FEASIBLE, tuple(candidate), lps
    certificate = _gordan_certificate(signs, points)
    lps += 1
    if certificate is not None:
        return Decision.INFEASIBLE, certificate, lps
    logger.warning("sign vector %s undecided (LP margin %.3g)", signs, margin)
    return Decision.UNDECIDED, None, lps


def chambers(points: Sequence[Sequence[Fraction]]) -> ArrangementChambers:
    """Every chamber of the central arrangement ``{theta : theta . x~_j = 0}``, exactly.

    >>> from fractions import Fraction as F
    >>> result = chambers([(F(1), F(1)), (F(2), F(1)), (F(3), F(1))])   # 1-D data 1, 2, 3 with bias
    >>> len(result.chambers), result.complete                           # 2n = 6
    (6, True)
    """
    points = [tuple(Fraction(c) for c in x) for x in points]
    if not points:
        return ArrangementChambers((), (), 0, 0)
    m = len(points[0])
    frontier: list[tuple[tuple[int, ...], tuple[Fraction, ...]]] = [((), tuple(Fraction(0) for _ in range(m)))]
    undecided: list[tuple[int, ...]] = []
    lps = certificates = 0
    for k, x in enumerate(points):
        extended = []
        for prefix, witness in frontier:
            value = sum((a * b for a, b in zip(x, witness)), Fraction(0)) if prefix else Fraction(0)
            free_sign = 1 if value > 0 else -1 if value < 0 else 0
            for sign in (1, -1):
                signs = prefix + (sign,)
                if sign == free_sign:
                    extended.append((signs, witness))
                    continue
                decision, evidence, used = decide_signs(signs, points[: k + 1])
                lps += used
                if decision is Decision.FEASIBLE:
                    extended.append((signs, evidence))
                elif decision is Decision.INFEASIBLE:
                    certificates += 1
                else:
                    undecided.append(signs)
        frontier = extended
    found = tuple(Chamber(signs, witness) for signs, witness in sorted(frontier, reverse=True))
    return ArrangementChambers(found, tuple(undecided), lps, certificates)
