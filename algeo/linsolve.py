"""One small linear system per path, ``J[k] y[k] = rhs[k]``: batched LU with partial pivoting.

:func:`solve` is what the batched tracker (:mod:`algeo.tracking.batch`) calls for every
predictor stage and Newton step. Compiled (:mod:`algeo._jit`) it is one loop over the
batch; otherwise ``numpy.linalg.solve``, which raises for the whole batch when one matrix is
exactly singular, so that one is solved row by row. Either way a row whose matrix is exactly
singular or whose result is not finite comes back as nan and ``False`` in ``ok``.
"""

from __future__ import annotations

import numpy

from ._jit import jit_enabled, njit

__all__ = ["solve", "lu_solve_inplace"]


@njit
def lu_solve_inplace(A, y) -> bool:
    """Solve ``A z = y`` for one square ``A``, overwriting both (``y`` becomes ``z``); False when
    ``A`` or ``y`` has a non-finite entry, a pivot is exactly zero or ``z`` is not finite."""
    n = len(y)
    probe = 0.0  # x * 0 is 0 for a finite x, nan for an infinite or nan one
    for i in range(n):
        probe += (y[i].real + y[i].imag) * 0.0
        for j in range(n):
            probe += (A[i, j].real + A[i, j].imag) * 0.0
    if probe != 0.0:
        return False
    for c in range(n):  # elimination with the largest pivot of column c, by LAPACK's |re| + |im|
        pivot, size = c, abs(A[c, c].real) + abs(A[c, c].imag)
        for i in range(c + 1, n):
            size_i = abs(A[i, c].real) + abs(A[i, c].imag)
            if size_i > size:
                pivot, size = i, size_i
        if size == 0.0:
            return False
        if pivot != c:
            for j in range(c, n):
                A[c, j], A[pivot, j] = A[pivot, j], A[c, j]
            y[c], y[pivot] = y[pivot], y[c]
        inverse = 1.0 / A[c, c]
        for i in range(c + 1, n):
            factor = A[i, c] * inverse
            if factor != 0:
                for j in range(c + 1, n):
                    A[i, j] -= factor * A[c, j]
                y[i] -= factor * y[c]
    for i in range(n - 1, -1, -1):
        acc = y[i]
        for j in range(i + 1, n):
            acc -= A[i, j] * y[j]
        y[i] = acc / A[i, i]
        probe += (y[i].real + y[i].imag) * 0.0
    return probe == 0.0


@njit
def _lu_solve(J, rhs, out, ok):
    B, n = rhs.shape
    A = numpy.empty((n, n), dtype=numpy.complex128)
    y = numpy.empty(n, dtype=numpy.complex128)
    for row in range(B):
        for i in range(n):
            y[i] = rhs[row, i]
            for j in range(n):
                A[i, j] = J[row, i, j]
        good = lu_solve_inplace(A, y)
        ok[row] = good
        for i in range(n):
            out[row, i] = y[i] if good else complex(numpy.nan, numpy.nan)


def solve(J: numpy.ndarray, rhs: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """``J[k]^{-1} rhs[k]`` for every row; rows with a singular or non-finite system are nan, flagged ``False``."""
    if jit_enabled():
        J = numpy.ascontiguousarray(J, dtype=numpy.complex128)
        rhs = numpy.ascontiguousarray(rhs, dtype=numpy.complex128)
        out = numpy.empty(rhs.shape, dtype=numpy.complex128)
        ok = numpy.empty(len(rhs), dtype=numpy.bool_)
        if len(rhs):
            _lu_solve(J, rhs, out, ok)
        return out, ok
    return _numpy_solve(J, rhs)


def _numpy_solve(J: numpy.ndarray, rhs: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    good = numpy.all(numpy.isfinite(J), axis=(1, 2)) & numpy.all(numpy.isfinite(rhs), axis=1)
    out = numpy.full(rhs.shape, numpy.nan, dtype=complex)
    if numpy.any(good):
        try:
            out[good] = numpy.linalg.solve(J[good], rhs[good][..., None])[..., 0]
        except numpy.linalg.LinAlgError:  # one singular matrix spoils the batch: solve one by one
            for k in numpy.flatnonzero(good):
                try:
                    out[k] = numpy.linalg.solve(J[k], rhs[k])
                except numpy.linalg.LinAlgError:
                    good[k] = False
    ok = good & numpy.all(numpy.isfinite(out), axis=1)
    return out, ok
