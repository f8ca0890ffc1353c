"""The gradient system at high precision, from matrix products instead of its expanded terms.

:func:`algeo.model.system.build_system` writes equation ``(l, i, j)`` as the expanded entry
``(i, j)`` of ``U_l^T (Wbar S - T) V_l^T + Lambda_l o W_l`` (``S = X X^T``, ``T = Y X^T``,
``U_l = W_H ... W_{l+1}``, ``V_l = W_{l-1} ... W_1``; REFERENCE.md section 1). Evaluating the
expanded terms at 40 digits costs a few hundred complex multiplications per point (widths
2,3,3: about 420, counted under cProfile) and a conversion of every rational coefficient; the
products, with ``S``, ``T`` and ``Lambda`` rounded once per precision, took 0.42 ms against 4.2 ms
per point at widths 2,3,3 and 0.36 ms against 15 ms at 2,2,2,3 (one timing script, both on the
same points). Same equations, same order
(layer by layer, row-major), same exact data: the refinement at ``tau = 0`` uses it
(:func:`algeo.tracking.continuation.refine_on_critical_set`), and the tests compare it with the
expanded system.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

import mpmath

from .architecture import Architecture

__all__ = ["MatrixGradient"]


def _product(A: list, B: list) -> list:
    """``A B`` for matrices as lists of rows (mpmath numbers)."""
    columns = list(zip(*B))
    return [[mpmath.fdot(row, column) for column in columns] for row in A]


def _transpose(A: list) -> list:
    return [list(row) for row in zip(*A)]


class MatrixGradient:
    """``point -> F(point)`` at the current mpmath precision, for the system of ``(S, T, Lambda)`` (exact)."""

    def __init__(self, architecture: Architecture, X: Sequence[Sequence[Fraction]], Y: Sequence[Sequence[Fraction]],
                 Lambda: Sequence[Sequence[Sequence[Fraction]]] | None = None):
        self.architecture = architecture
        X = [[Fraction(v) for v in row] for row in X]
        Y = [[Fraction(v) for v in row] for row in Y]
        self._S = [[sum((a * b for a, b in zip(r, s)), Fraction(0)) for s in X] for r in X]
        self._T = [[sum((a * b for a, b in zip(r, s)), Fraction(0)) for s in X] for r in Y]
        self._Lambda = None if Lambda is None or not any(v for M in Lambda for row in M for v in row) else \
            [[[Fraction(v) for v in row] for row in M] for M in Lambda]
        self._rounded: dict[int, tuple] = {}

    def _data(self) -> tuple:
        """``S``, ``T``, ``Lambda`` rounded at the current precision (once per precision)."""
        prec = mpmath.mp.prec
        if prec not in self._rounded:
            to_mp = lambda M: [[mpmath.mpf(v.numerator) / v.denominator for v in row] for row in M]
            self._rounded[prec] = (to_mp(self._S), to_mp(self._T),
                                   None if self._Lambda is None else [to_mp(M) for M in self._Lambda])
        return self._rounded[prec]

    def __call__(self, point: Sequence) -> list:
        S, T, Lambda = self._data()
        Ws, position = [], 0
        for rows, cols in self.architecture.shapes:
            Ws.append([list(point[position + r * cols: position + (r + 1) * cols]) for r in range(rows)])
            position += rows * cols
        H = len(Ws)
        # prefixes V[l] = W_{l-1} ... W_1 (None: the identity), suffixes U[l] = W_H ... W_{l+1}
        V: list = [None] * H
        for l in range(1, H):
            V[l] = Ws[0] if l == 1 else _product(Ws[l - 1], V[l - 1])
        U: list = [None] * H
        for l in range(H - 2, -1, -1):
            U[l] = Ws[H - 1] if l == H - 2 else _product(U[l + 1], Ws[l + 1])
        Wbar = Ws[0] if H == 1 else _product(Ws[H - 1], V[H - 1])
        moment = _product(Wbar, S)
        R = [[a - b for a, b in zip(r, t)] for r, t in zip(moment, T)]
        values = []
        for l in range(H):
            G = R if U[l] is None else _product(_transpose(U[l]), R)
            if V[l] is not None:
                G = _product(G, _transpose(V[l]))
            if Lambda is not None:
                G = [[g + lam * w for g, lam, w in zip(grow, lrow, wrow)]
                     for grow, lrow, wrow in zip(G, Lambda[l], Ws[l])]
            values.extend(v for row in G for v in row)
        return values
