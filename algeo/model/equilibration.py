"""An exact change of input coordinates that brings badly scaled data to unit size (unregularized loss only).

Without a regularizer the loss ``L(W) = 1/2 ||W_H ... W_1 X - Y||^2`` is equivariant under
``X -> D X`` for any invertible ``D`` and ``Y -> Y / c``: with ``X' = D X`` and ``Y' = Y / c``,

    L'(W') = 1/2 ||W'_H ... W'_1 X' - Y'||^2 = L(W) / c^2,   W_1 = W'_1 D,  W_H = c W'_H

(``W_1 = c W'_1 D`` when ``H = 1``; the other layers are unchanged). So the critical points of
``L'`` are those of ``L`` under a linear change of variables: the same number, losses times
``1/c^2``, the same ranks of ``W̄ = W̄' D c``, Hessian inertia (congruence) and strata. (A
regularizer is not equivariant, which is why only the unregularized mode uses this.)

``D`` is exact and rational: ``S = X X^T = L Δ L^T`` (``L`` unit lower triangular, ``Δ``
diagonal, both rational since ``S`` is positive definite), then ``D = P L^{-1}`` with ``P`` a
diagonal of powers of two, so ``X' X'^T = P Δ P`` is diagonal with entries near ``m / 3`` (the
random law's size), and ``c`` is a power of two bringing ``Y`` near that size too. Data with
entries from 1e-3 to 1e3 (the "decimals" law, widths 3,2,2, m = 3, seed 1) went from 376
failed continuation paths in 160 s to none in 5.5 s this way (``algeo solve --widths 3,2,2 --data FILE
--regularization none --exact-budget 0``; docs/unregularized.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from .architecture import Architecture
from .data import Dataset, Matrix, matrix_to_json

__all__ = ["InputEquilibration", "equilibrate", "FAR"]

#: data are rescaled when a row's size, the spread of ``X X^T``'s pivots or the size of ``Y`` is more
#: than ``2^FAR`` away from the random law's
FAR = 3


@dataclass(frozen=True)
class InputEquilibration:
    """``X' = D X`` and ``Y' = Y / c`` (exact); :meth:`to_original` maps critical points back."""

    dataset: Dataset  # the equilibrated data X', Y'
    D: Matrix
    c: Fraction

    def to_original(self, architecture: Architecture, point) -> tuple:
        """The original problem's weights from the equilibrated one's, at mpmath's working precision
        (``D`` and ``c`` exact)."""
        import mpmath

        value = lambda q: mpmath.mpf(q.numerator) / q.denominator
        point = [mpmath.mpc(z) for z in point]
        rows, cols = architecture.shapes[0]
        first = [[sum(point[i * cols + k] * value(self.D[k][j]) for k in range(cols)) for j in range(cols)]
                 for i in range(rows)]
        point[: rows * cols] = [z for row in first for z in row]
        last_rows, last_cols = architecture.shapes[-1]
        start = len(point) - last_rows * last_cols
        point[start:] = [z * value(self.c) for z in point[start:]]
        return tuple(point)

    def to_json(self) -> dict:
        return {"X_prime": "D X", "Y_prime": "Y / c", "D": matrix_to_json(self.D), "c": str(self.c),
                "weights": "W_1 = W'_1 D, W_H = c W'_H (both when H = 1)"}


def _ldl(S: list[list[Fraction]]) -> tuple[list[list[Fraction]], list[Fraction]]:
    n = len(S)
    L = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    pivots = [Fraction(0)] * n
    for j in range(n):
        pivots[j] = S[j][j] - sum(L[j][k] ** 2 * pivots[k] for k in range(j))
        if pivots[j] <= 0:
            raise ValueError("X X^T is not positive definite")
        for i in range(j + 1, n):
            L[i][j] = (S[i][j] - sum(L[i][k] * L[j][k] * pivots[k] for k in range(j))) / pivots[j]
    return L, pivots


def _unit_lower_inverse(L: list[list[Fraction]]) -> list[list[Fraction]]:
    n = len(L)
    inverse = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    for i in range(n):
        for j in range(i):
            inverse[i][j] = -sum(L[i][k] * inverse[k][j] for k in range(j, i))
    return inverse


def _log2_ratio(value: float, size: float) -> float:
    return math.log2(value / size) if value > 0 else math.inf


def equilibrate(architecture: Architecture, dataset: Dataset) -> InputEquilibration | None:
    """The exact rescaling of ``dataset`` to the random law's size, or None when it is already about there.

    Needs ``X X^T`` invertible (``m >= d_0``, as the unregularized mode does); None otherwise.
    """
    X = [[Fraction(v) for v in row] for row in dataset.X]
    Y = [[Fraction(v) for v in row] for row in dataset.Y]
    m = dataset.n_samples
    size = m / 3  # squared row norm of the random law's X (entries uniform in [-1, 1])
    S = [[sum(a * b for a, b in zip(X[i], X[j])) for j in range(len(X))] for i in range(len(X))]
    try:
        L, pivots = _ldl(S)
    except ValueError:
        return None
    y_square = sum(float(v) ** 2 for row in Y for v in row) / len(Y)  # squared norm of Y's mean row
    rows_far = any(abs(_log2_ratio(float(S[i][i]), size)) > 2 * FAR for i in range(len(X)))
    pivots_far = _log2_ratio(float(max(pivots)), float(min(pivots))) > 2 * FAR
    y_far = abs(_log2_ratio(y_square, size)) > 2 * FAR
    if not (rows_far or pivots_far or y_far):
        return None
    inverse = _unit_lower_inverse(L)
    powers = [Fraction(2) ** -round(_log2_ratio(float(p), size) / 2) for p in pivots]
    D = tuple(tuple(powers[i] * inverse[i][j] for j in range(len(X))) for i in range(len(X)))
    c = Fraction(2) ** round(_log2_ratio(y_square, size) / 2) if y_square > 0 else Fraction(1)
    X_prime = tuple(tuple(sum(D[i][k] * X[k][col] for k in range(len(X))) for col in range(m)) for i in range(len(X)))
    Y_prime = tuple(tuple(v / c for v in row) for row in Y)
    return InputEquilibration(Dataset(X_prime, Y_prime, f"{dataset.source}, equilibrated"), D, c)
