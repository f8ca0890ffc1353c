"""The Jacobian of a one-hidden-layer ReLU network in an activation region (Khatri-Rao form).

Karhadkar, Murray, Tseran, Montufar (arXiv 2305.19510): with the output layer ``v`` fixed
(all entries nonzero), the Jacobian of the outputs ``F(x_j)`` with respect to the first
layer has row ``j`` equal to ``(v o a_j) (x) x~_j``. Multiplying the column block of neuron
``i`` by ``1/v_i`` does not change the rank, so the rank equals that of ``A . X`` whose row
``j`` is ``a_j (x) x~_j`` (the Khatri-Rao product of the pattern ``A`` and the augmented data):
it does not depend on ``v``. Ranks are exact over QQ: rows are scaled to integers and the
rank is computed by python-flint (a rank modulo a large prime that is already ``n``
proves full rank; otherwise the exact integer rank is computed).
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from typing import Sequence

import flint

__all__ = ["khatri_rao_rows", "jacobian_rank", "has_full_rank", "integer_points"]

_PRIME = 2**61 - 1


def khatri_rao_rows(pattern: Sequence[Sequence[int]], points: Sequence[Sequence[Fraction]]) -> list[list[Fraction]]:
    """Row ``j`` is ``(a_1j x~_j, ..., a_{d1} j x~_j)``; ``pattern[i][j]`` is ``A_ij`` in {0, 1}.

    >>> from fractions import Fraction as F
    >>> khatri_rao_rows([(1, 0), (1, 1)], [(F(2), F(1)), (F(3), F(1))])
    [[Fraction(2, 1), Fraction(1, 1), Fraction(2, 1), Fraction(1, 1)], [0, 0, Fraction(3, 1), Fraction(1, 1)]]
    """
    n = len(points)
    return [[entry if row[j] else 0 for row in pattern for entry in points[j]] for j in range(n)]


def integer_points(points: Sequence[Sequence[Fraction]]) -> list[list[int]]:
    """Each ``x~_j`` times the lcm of its denominators: row ``j`` of the Khatri-Rao matrix only
    involves ``x~_j``, so this row scaling leaves every rank unchanged."""
    scaled = []
    for point in points:
        denominator = lcm(*(Fraction(v).denominator for v in point)) if point else 1
        scaled.append([int(Fraction(v) * denominator) for v in point])
    return scaled


def jacobian_rank(pattern: Sequence[Sequence[int]], points: Sequence[Sequence[Fraction]]) -> int:
    """Exact rank over QQ of the Khatri-Rao matrix of ``pattern`` and ``points``.

    >>> from fractions import Fraction as F
    >>> jacobian_rank([(1, 1, 1)], [(F(1),), (F(2),), (F(3),)])        # one neuron, no bias: rank 1
    1
    """
    rows = khatri_rao_rows(pattern, integer_points(points))
    n, columns = len(rows), len(rows[0]) if rows else 0
    if n == 0 or columns == 0:
        return 0
    flat = [v for row in rows for v in row]
    modular = flint.nmod_mat(n, columns, [v % _PRIME for v in flat], _PRIME).rank()
    if modular == min(n, columns):
        return modular  # rank mod p is a lower bound of the rank over QQ, and this is the maximum
    return int(flint.fmpz_mat(n, columns, flat).rank())


def has_full_rank(pattern: Sequence[Sequence[int]], points: Sequence[Sequence[Fraction]]) -> bool:
    """Whether the rank is ``n`` (the number of samples)."""
    return jacobian_rank(pattern, points) == len(points)
