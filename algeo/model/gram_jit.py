"""The Gram family's ``G(W; p)`` and ``dG/dW`` as one compiled loop per point (numba).

The same formulas as :mod:`algeo.model.gram_eval` (its module docstring), evaluated path by
path in compiled code instead of as numpy operations over the whole batch: at widths 2,3,2,2
numpy spends about 14 us per point on a value and Jacobian, almost all of it per-call overhead
and temporaries. :class:`algeo.model.gram_eval.GramEvaluator` calls :func:`evaluate` when
:func:`algeo._jit.jit_enabled`; the tests compare both to rounding.

Layout (as the systems' variables): ``W_l`` (``widths[l+1] x widths[l]``) row-major from
``offsets[l]``; parameters ``p = (S upper triangle, row by row; T row-major; Lambda as W)``.
Partial products ``W_t ... W_b`` are kept in ``C[t + 1, b]`` (the identity of size
``widths[b]`` in ``C[b, b]``), so ``U_l = C[H, l + 1]``, ``V_l = C[l, 0]`` and the ``M`` of the
cross terms is ``C[k, l + 1]`` (``k > l``) or ``C[l, k + 1]`` (``k < l``).

The small products are written out as loops rather than calls of one product helper on 2-D views:
with the helper (three of them, for the transposes) two fused solves of 1,926 points of 2,3,2,2
took 24.5 ms against 21.1 ms so (each view is reference-counted).
"""

from __future__ import annotations

import numpy

from .._jit import njit
from ..linsolve import lu_solve_inplace

__all__ = ["evaluate", "solve"]


@njit
def _point(x, p, widths, offsets, H, d0, dh, jacobian, F, J, C, UtR, N, UU, VS, VSV, S, R):
    """Value (and Jacobian) at one point ``x`` with parameters ``p``; scratch arrays are the caller's."""
    mw = C.shape[2]
    # S from its upper triangle, T and Lambda read in place
    position = 0
    for i in range(d0):
        for j in range(i, d0):
            S[i, j] = p[position]
            S[j, i] = p[position]
            position += 1
    t_at = position
    lam_at = position + dh * d0
    # partial products C[t + 1, b] = W_t ... W_b; identities C[b, b]
    for b in range(H + 1):
        for i in range(mw):
            for j in range(mw):
                C[b, b, i, j] = 0.0
        for i in range(widths[b]):
            C[b, b, i, i] = 1.0
    for b in range(H):
        nb = widths[b]
        for t in range(b, H):
            rows, cols, o = widths[t + 1], widths[t], offsets[t]
            for i in range(rows):
                for j in range(nb):
                    s = 0j
                    for k in range(cols):
                        s += x[o + i * cols + k] * C[t, b, k, j]
                    C[t + 1, b, i, j] = s
    # R = Wbar S - T
    for a in range(dh):
        for b in range(d0):
            s = 0j
            for k in range(d0):
                s += C[H, 0, a, k] * S[k, b]
            R[a, b] = s - p[t_at + a * d0 + b]
    # UtR[l] = U_l^T R (rows_l x d0); N[k, l] = U_k^T R V_l^T (rows_k x cols_l)
    for l in range(H):
        rows = widths[l + 1]
        for a in range(rows):
            for b in range(d0):
                s = 0j
                for k in range(dh):
                    s += C[H, l + 1, k, a] * R[k, b]
                UtR[l, a, b] = s
    for k in range(H):
        rows_k = widths[k + 1]
        for l in range(H):
            cols_l = widths[l]
            for a in range(rows_k):
                for b in range(cols_l):
                    s = 0j
                    for c in range(d0):
                        s += UtR[k, a, c] * C[l, 0, b, c]
                    N[k, l, a, b] = s
    # the value: G_l = N[l, l] + Lambda_l o W_l
    for l in range(H):
        rows, cols, o = widths[l + 1], widths[l], offsets[l]
        for a in range(rows):
            for b in range(cols):
                r = o + a * cols + b
                F[r] = N[l, l, a, b] + p[lam_at + r] * x[r]
    if not jacobian:
        return
    # UU[l, k] = U_l^T U_k (rows_l x rows_k); VS[k] = V_k S (cols_k x d0); VSV[k, l] = V_k S V_l^T
    for l in range(H):
        rows_l = widths[l + 1]
        for k in range(H):
            rows_k = widths[k + 1]
            for a in range(rows_l):
                for i in range(rows_k):
                    s = 0j
                    for c in range(dh):
                        s += C[H, l + 1, c, a] * C[H, k + 1, c, i]
                    UU[l, k, a, i] = s
    for k in range(H):
        cols_k = widths[k]
        for j in range(cols_k):
            for b in range(d0):
                s = 0j
                for c in range(d0):
                    s += C[k, 0, j, c] * S[c, b]
                VS[k, j, b] = s
    for k in range(H):
        cols_k = widths[k]
        for l in range(H):
            cols_l = widths[l]
            for j in range(cols_k):
                for b in range(cols_l):
                    s = 0j
                    for c in range(d0):
                        s += VS[k, j, c] * C[l, 0, b, c]
                    VSV[k, l, j, b] = s
    # J[(l, a, b), (k, i, j)] = UU[l, k][a, i] VSV[k, l][j, b] + the cross term + Lambda on the diagonal
    for l in range(H):
        rows_l, cols_l, ol = widths[l + 1], widths[l], offsets[l]
        for k in range(H):
            rows_k, cols_k, ok = widths[k + 1], widths[k], offsets[k]
            for a in range(rows_l):
                for b in range(cols_l):
                    r = ol + a * cols_l + b
                    for i in range(rows_k):
                        for j in range(cols_k):
                            value = UU[l, k, a, i] * VSV[k, l, j, b]
                            if k > l:  # M = W_{k-1} ... W_{l+1} = C[k, l + 1]; M[j, a] N[k, l][i, b]
                                value += C[k, l + 1, j, a] * N[k, l, i, b]
                            elif k < l:  # M = W_{l-1} ... W_{k+1} = C[l, k + 1]; N[l, k][a, j] M[b, i]
                                value += N[l, k, a, j] * C[l, k + 1, b, i]
                            J[r, ok + i * cols_k + j] = value
        for r in range(ol, ol + rows_l * cols_l):
            J[r, r] += p[lam_at + r]


@njit
def _scratch(widths):
    H = len(widths) - 1
    mw = 0
    for w in widths:
        mw = max(mw, w)
    shape4, shape3 = (H + 1, H + 1, mw, mw), (H, mw, mw)
    return (numpy.zeros(shape4, dtype=numpy.complex128), numpy.zeros(shape3, dtype=numpy.complex128),
            numpy.zeros(shape4, dtype=numpy.complex128), numpy.zeros(shape4, dtype=numpy.complex128),
            numpy.zeros(shape3, dtype=numpy.complex128), numpy.zeros(shape4, dtype=numpy.complex128),
            numpy.zeros((widths[0], widths[0]), dtype=numpy.complex128),
            numpy.zeros((widths[H], widths[0]), dtype=numpy.complex128))


@njit
def _evaluate(x, p, widths, offsets, jacobian, F, J):
    B, n = x.shape
    H = len(widths) - 1
    C, UtR, N, UU, VS, VSV, S, R = _scratch(widths)
    shared = p.shape[0] == 1
    for row in range(B):
        q = p[0] if shared else p[row]
        _point(x[row], q, widths, offsets, H, widths[0], widths[H], jacobian, F[row], J[row] if jacobian else J[0],
               C, UtR, N, UU, VS, VSV, S, R)


@njit
def _solve(x, p, q, same, widths, offsets, out, ok):
    B, n = x.shape
    H = len(widths) - 1
    C, UtR, N, UU, VS, VSV, S, R = _scratch(widths)
    F = numpy.empty(n, dtype=numpy.complex128)
    J = numpy.empty((n, n), dtype=numpy.complex128)
    shared_p, shared_q = p.shape[0] == 1, q.shape[0] == 1
    for row in range(B):
        prow = p[0] if shared_p else p[row]
        if not same:  # the right-hand side F(x; q) first: the Jacobian's call below overwrites F
            _point(x[row], q[0] if shared_q else q[row], widths, offsets, H, widths[0], widths[H], False, F, J,
                   C, UtR, N, UU, VS, VSV, S, R)
            for i in range(n):
                out[row, i] = F[i]
        _point(x[row], prow, widths, offsets, H, widths[0], widths[H], True, F, J, C, UtR, N, UU, VS, VSV, S, R)
        if same:
            for i in range(n):
                out[row, i] = F[i]
        ok[row] = lu_solve_inplace(J, out[row])
        if not ok[row]:
            for i in range(n):
                out[row, i] = complex(numpy.nan, numpy.nan)


def evaluate(x: numpy.ndarray, p: numpy.ndarray, widths: numpy.ndarray, offsets: numpy.ndarray,
             jacobian: bool) -> tuple[numpy.ndarray, numpy.ndarray | None]:
    """``G(x; p)`` (``(B, n)``) and, with ``jacobian``, ``dG/dx`` (``(B, n, n)``).

    ``x``: ``(B, n)`` complex; ``p``: ``(B, P)`` or ``(1, P)`` (one for all); ``widths`` and
    ``offsets``: int64 arrays of the architecture.
    """
    x = numpy.ascontiguousarray(x, dtype=numpy.complex128)
    p = numpy.ascontiguousarray(numpy.atleast_2d(p), dtype=numpy.complex128)
    B, n = x.shape
    F = numpy.empty((B, n), dtype=numpy.complex128)
    J = numpy.empty((B, n, n) if jacobian else (1, 1, 1), dtype=numpy.complex128)
    _evaluate(x, p, widths, offsets, jacobian, F, J)
    return F, (J if jacobian else None)


def solve(x: numpy.ndarray, p: numpy.ndarray, q: numpy.ndarray | None, widths: numpy.ndarray,
          offsets: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """``dG/dx(x; p)^{-1} G(x; q)`` per row (``q=None``: ``q = p``, a Newton step), and which rows are good.

    A row whose Jacobian is exactly singular or whose numbers are not finite is nan, ``False``
    (as :func:`algeo.linsolve.solve`). Nothing of size ``(B, n, n)`` is formed.
    """
    x = numpy.ascontiguousarray(x, dtype=numpy.complex128)
    p = numpy.ascontiguousarray(numpy.atleast_2d(p), dtype=numpy.complex128)
    same = q is None
    q = p if same else numpy.ascontiguousarray(numpy.atleast_2d(q), dtype=numpy.complex128)
    out = numpy.empty(x.shape, dtype=numpy.complex128)
    ok = numpy.empty(len(x), dtype=numpy.bool_)
    if len(x):
        _solve(x, p, q, same, widths, offsets, out, ok)
    return out, ok
