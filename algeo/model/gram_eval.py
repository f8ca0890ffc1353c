"""The Gram family's gradient and its Jacobian in closed form, for a batch of points at once.

:class:`algeo.model.family.GramFamily` writes the gradient system as sparse terms (for
PHCpack); a batched tracker needs the values instead, for thousands of points per call.
Here they come from matrix products (REFERENCE.md section 1)::

    G_l(W; S, T, Lambda) = U_l^T R V_l^T + Lambda_l o W_l,    R = Wbar S - T,

with ``U_l = W_H ... W_{l+1}``, ``V_l = W_{l-1} ... W_1``. The Jacobian block of ``G_l`` in
``W_k`` is a sum of outer products of small matrices, one per place ``W_k`` occurs:
``(U_l^T U_k)[a, i] (V_k S V_l^T)[j, b]`` from ``R``; for ``k > l`` (``W_k`` inside ``U_l``)
``M[j, a] (U_k^T R V_l^T)[i, b]`` with ``M = W_{k-1} ... W_{l+1}``; for ``k < l`` (inside
``V_l``) ``(U_l^T R V_k^T)[a, j] M[b, i]`` with ``M = W_{l-1} ... W_{k+1}``; and
``Lambda_l`` on the diagonal when ``k = l``. ``G`` is linear in the parameter
vector ``p = (S upper triangle, T, Lambda)`` (no term is free of it), so the derivative
along a parameter direction ``v`` is ``G(W; v)``: a homotopy's ``dH/dt`` costs one more
evaluation. Parameters are in ``GramFamily.parameter_names`` order, one vector per
point or one for all. The tests compare with the family's sparse terms. :class:`GramEvaluator`
runs the compiled kernel of :mod:`algeo.model.gram_jit` when :func:`algeo._jit.jit_enabled`
(the numpy code here otherwise; the tests compare the two).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy

from .. import linsolve
from .._jit import jit_enabled
from . import gram_jit
from .architecture import Architecture

__all__ = ["GramEvaluator", "LiftedEvaluator"]

_IDENTITIES: dict[int, numpy.ndarray] = {}


def _identity(size: int) -> numpy.ndarray:
    return _IDENTITIES.setdefault(size, numpy.eye(size, dtype=complex)[None])


def _layer_offsets(architecture: Architecture) -> list[int]:
    """Where each ``W_l`` starts in a flat point (row-major blocks, as the systems' variables)."""
    offsets, position = [], 0
    for rows, cols in architecture.shapes:
        offsets.append(position)
        position += rows * cols
    return offsets


def _split_lambdas(p: numpy.ndarray, position: int, architecture: Architecture) -> list[numpy.ndarray]:
    """The ``Lambda_l`` blocks of parameter vectors ``p`` (``(B, P)``), starting at ``position``."""
    lambdas = []
    for rows, cols in architecture.shapes:
        lambdas.append(p[:, position:position + rows * cols].reshape(-1, rows, cols))
        position += rows * cols
    return lambdas


def _mm(A: numpy.ndarray, C: numpy.ndarray) -> numpy.ndarray:
    """Batched product of small matrices as a sum of broadcast outer products (faster than matmul here)."""
    out = A[..., :, 0:1] * C[..., 0:1, :]
    for j in range(1, A.shape[-1]):
        out = out + A[..., :, j:j + 1] * C[..., j:j + 1, :]
    return out


class _Chains:
    """The partial products of one batch of weights: ``W_top ... W_bottom``, ``U_l`` and ``V_l``."""

    def __init__(self, architecture: Architecture, x: numpy.ndarray, offsets: list[int]):
        self.widths, self.depth = architecture.widths, architecture.depth
        self.Ws = [x[:, o:o + r * c].reshape(-1, r, c) for o, (r, c) in zip(offsets, architecture.shapes)]
        self._products: dict[tuple[int, int], numpy.ndarray] = {}
        H = self.depth
        self.U = [self.product(H - 1, l + 1) for l in range(H)]
        self.V = [self.product(l - 1, 0) for l in range(H)]
        self.Ut = [numpy.swapaxes(m, 1, 2) for m in self.U]
        self.Vt = [numpy.swapaxes(m, 1, 2) for m in self.V]
        self._cache: dict[tuple, numpy.ndarray] = {}  # products shared by the gradient and the Jacobian blocks

    def _cached(self, key: tuple, make) -> numpy.ndarray:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def _UtR(self, k: int, R: numpy.ndarray) -> numpy.ndarray:
        """``U_k^T R``."""
        return self._cached(("UtR", k, id(R)), lambda: _mm(self.Ut[k], R))

    def _UtRVt(self, k: int, l: int, R: numpy.ndarray) -> numpy.ndarray:
        """``U_k^T R V_l^T``."""
        return self._cached(("UtRVt", k, l, id(R)), lambda: _mm(self._UtR(k, R), self.Vt[l]))

    def _VSVt(self, k: int, l: int, S: numpy.ndarray) -> numpy.ndarray:
        """``V_k S V_l^T``."""
        VS = self._cached(("VS", k, id(S)), lambda: _mm(self.V[k], S))
        return _mm(VS, self.Vt[l])

    def product(self, top: int, bottom: int) -> numpy.ndarray:
        """``W_top ... W_bottom`` (0-based layers); the identity of size ``d_bottom`` when ``top < bottom``."""
        if top < bottom:
            return _identity(self.widths[bottom])
        if (top, bottom) not in self._products:
            self._products[(top, bottom)] = (self.Ws[top] if top == bottom
                                             else _mm(self.Ws[top], self.product(top - 1, bottom)))
        return self._products[(top, bottom)]

    def gradient_blocks(self, R: numpy.ndarray, lambdas: list[numpy.ndarray]) -> list[numpy.ndarray]:
        """``U_l^T R V_l^T + Lambda_l o W_l`` for every layer, flattened row by row."""
        blocks = []
        for l in range(self.depth):
            gradient = self._UtRVt(l, l, R) + lambdas[l] * self.Ws[l]
            blocks.append(gradient.reshape(gradient.shape[0], -1))
        return blocks

    def weight_jacobian(self, J: numpy.ndarray, R: numpy.ndarray, lambdas: list[numpy.ndarray], offsets: list[int],
                        row: int, S: numpy.ndarray | None = None) -> None:
        """Fill the blocks of ``U_l^T R V_l^T + Lambda_l o W_l`` (rows from ``row``) in the weights.

        ``S`` given: ``R = Wbar S - T`` depends on the weights (the Gram family); None: ``R``
        does not (the lifted family's ``Z X^T``). Module docstring: the formulas.
        """
        widths = self.widths
        for l in range(self.depth):
            rows_l, cols_l = widths[l + 1], widths[l]
            r0 = row + offsets[l]
            for k in range(self.depth):
                rows_k, cols_k = widths[k + 1], widths[k]
                block = None
                if S is not None:  # dR = U_k dW_k V_k S: (U_l^T U_k)[a, i] (V_k S V_l^T)[j, b]
                    L1 = _mm(self.Ut[l], self.U[k])
                    R1 = self._VSVt(k, l, S)
                    block = L1[:, :, None, :, None] * numpy.swapaxes(R1, 1, 2)[:, None, :, None, :]
                cross = None
                if k > l:  # U_l contains W_k: M = W_{k-1} ... W_{l+1}, N = U_k^T R V_l^T; M[j, a] N[i, b]
                    M = self.product(k - 1, l + 1)
                    N = self._UtRVt(k, l, R)
                    cross = numpy.swapaxes(M, 1, 2)[:, :, None, None, :] * numpy.swapaxes(N, 1, 2)[:, None, :, :, None]
                elif k < l:  # V_l contains W_k: M = W_{l-1} ... W_{k+1}, N = U_l^T R V_k^T; N[a, j] M[b, i]
                    M = self.product(l - 1, k + 1)
                    N = self._UtRVt(l, k, R)
                    cross = N[:, :, None, None, :] * M[:, None, :, :, None]
                if cross is not None:
                    block = cross if block is None else block + cross
                if block is not None:
                    J[:, r0:r0 + rows_l * cols_l, offsets[k]:offsets[k] + rows_k * cols_k] = block.reshape(
                        -1, rows_l * cols_l, rows_k * cols_k)
            diagonal = numpy.arange(rows_l * cols_l)
            J[:, r0 + diagonal, offsets[l] + diagonal] += numpy.broadcast_to(
                lambdas[l].reshape(lambdas[l].shape[0], -1), (J.shape[0], rows_l * cols_l))


def _stack(blocks: list[numpy.ndarray], batch: int) -> numpy.ndarray:
    return numpy.concatenate([numpy.broadcast_to(b, (batch, b.shape[1])) for b in blocks], axis=1)


@dataclass(frozen=True)
class GramEvaluator:
    """Batched ``G(W; p)`` and ``dG/dW`` of one architecture's Gram family (complex double)."""

    architecture: Architecture

    @cached_property
    def n(self) -> int:
        return self.architecture.n_parameters

    @cached_property
    def n_parameters(self) -> int:
        d0, dh = self.architecture.input_width, self.architecture.output_width
        return d0 * (d0 + 1) // 2 + dh * d0 + self.n

    @cached_property
    def _offsets(self) -> list[int]:
        return _layer_offsets(self.architecture)

    def split_parameters(self, p: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray, list[numpy.ndarray]]:
        """``(S, T, [Lambda_l])`` with a leading batch axis, from ``p`` of shape ``(P,)`` or ``(B, P)``."""
        a = self.architecture
        d0, dh = a.input_width, a.output_width
        p = numpy.atleast_2d(numpy.asarray(p, dtype=complex))
        rows, cols = numpy.triu_indices(d0)
        k = len(rows)
        S = numpy.zeros((p.shape[0], d0, d0), dtype=complex)
        S[:, rows, cols] = p[:, :k]
        S[:, cols, rows] = p[:, :k]
        T = p[:, k:k + dh * d0].reshape(-1, dh, d0)
        return S, T, _split_lambdas(p, k + dh * d0, a)

    def value(self, x: numpy.ndarray, p: numpy.ndarray) -> numpy.ndarray:
        """``G(x; p)`` for ``x`` of shape ``(B, n)``: shape ``(B, n)``."""
        value, _ = self._evaluate(numpy.asarray(x, dtype=complex), p, jacobian=False)
        return value

    def value_and_jacobian(self, x: numpy.ndarray, p: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
        """``G(x; p)`` (``(B, n)``) and ``dG/dx`` (``(B, n, n)``, row = equation, column = unknown)."""
        return self._evaluate(numpy.asarray(x, dtype=complex), p, jacobian=True)

    def solve_jacobian(self, x: numpy.ndarray, p: numpy.ndarray,
                       q: numpy.ndarray | None = None) -> tuple[numpy.ndarray, numpy.ndarray]:
        """``dG/dx(x; p)^{-1} G(x; q)`` per point (``q=None``: ``G(x; p)``, a Newton step) and which are good.

        A point whose Jacobian is exactly singular or whose numbers are not finite gives nan and
        ``False`` (:func:`algeo.linsolve.solve`). Compiled, no ``(B, n, n)`` array is formed.
        """
        x = numpy.asarray(x, dtype=complex)
        if jit_enabled():
            return gram_jit.solve(x, p, q, *self._kernel_shape)
        value, J = self.value_and_jacobian(x, p)
        return linsolve.solve(J, value if q is None else self.value(x, q))

    @cached_property
    def _kernel_shape(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        return (numpy.array(self.architecture.widths, dtype=numpy.int64),
                numpy.array(self._offsets, dtype=numpy.int64))

    def _evaluate(self, x: numpy.ndarray, p, *, jacobian: bool):
        if jit_enabled():  # the same formulas, compiled point by point (algeo.model.gram_jit)
            return gram_jit.evaluate(x, p, *self._kernel_shape, jacobian)
        S, T, lambdas = self.split_parameters(p)
        chains = _Chains(self.architecture, x, self._offsets)
        R = _mm(chains.product(self.architecture.depth - 1, 0), S) - T  # Wbar S - T
        value = _stack(chains.gradient_blocks(R, lambdas), x.shape[0])
        if not jacobian:
            return value, None
        J = numpy.zeros((x.shape[0], self.n, self.n), dtype=complex)
        chains.weight_jacobian(J, R, lambdas, self._offsets, 0, S)
        return value, J


@dataclass(frozen=True)
class LiftedEvaluator:
    """Batched value and Jacobian of the lifted family (``m < d_0``; :class:`algeo.model.family.ParameterFamily`).

    Unknowns ``(W, Z)`` (weights, then the residual ``Z = Wbar X - Y`` row by row), parameters
    ``p = (X, Y, Lambda)``, equations::

        Z - W_H ... W_1 X + Y = 0,        U_l^T Z X^T V_l^T + Lambda_l o W_l = 0.

    The system is affine, not linear, in ``p`` (the ``Z`` term has no parameter), so a
    homotopy's ``dH/dt`` is :meth:`parameter_derivative`, ``F(x; p') - F(x; 0)``, and a gamma
    path must stay inside the family (:func:`algeo.tracking.batch.gamma_path` with ``affine=True``).
    """

    architecture: Architecture
    samples: int

    @cached_property
    def n_weights(self) -> int:
        return self.architecture.n_parameters

    @cached_property
    def n(self) -> int:
        return self.n_weights + self.architecture.output_width * self.samples

    @cached_property
    def n_parameters(self) -> int:
        a, m = self.architecture, self.samples
        return (a.input_width + a.output_width) * m + a.n_parameters

    @cached_property
    def _offsets(self) -> list[int]:
        return _layer_offsets(self.architecture)

    def split_parameters(self, p):
        """``(X, Y, [Lambda_l])`` with a leading batch axis, from ``p`` of shape ``(P,)`` or ``(B, P)``."""
        a, m = self.architecture, self.samples
        p = numpy.atleast_2d(numpy.asarray(p, dtype=complex))
        d0, dh = a.input_width, a.output_width
        X = p[:, :d0 * m].reshape(-1, d0, m)
        Y = p[:, d0 * m:(d0 + dh) * m].reshape(-1, dh, m)
        return X, Y, _split_lambdas(p, (d0 + dh) * m, a)

    def value(self, x, p):
        return self._evaluate(numpy.asarray(x, dtype=complex), p, jacobian=False)[0]

    def value_and_jacobian(self, x, p):
        return self._evaluate(numpy.asarray(x, dtype=complex), p, jacobian=True)

    def parameter_derivative(self, x, p, dp):
        """``dF/dp . dp`` at ``x``: ``F(x; dp) - F(x; 0)`` (the parameter-free ``Z`` term cancels)."""
        x = numpy.asarray(x, dtype=complex)
        return self.value(x, dp) - self.value(x, numpy.zeros(self.n_parameters))

    def _evaluate(self, x, p, *, jacobian: bool):
        a, m = self.architecture, self.samples
        H, B, widths, dh = a.depth, x.shape[0], a.widths, a.output_width
        X, Y, lambdas = self.split_parameters(p)
        chains = _Chains(a, x, self._offsets)
        Z = x[:, self.n_weights:].reshape(-1, dh, m)
        R = _mm(Z, numpy.swapaxes(X, 1, 2))  # Z X^T, in place of the Gram family's Wbar S - T
        first = Z - _mm(chains.product(H - 1, 0), X) + Y
        value = _stack([first.reshape(first.shape[0], -1)] + chains.gradient_blocks(R, lambdas), B)
        if not jacobian:
            return value, None
        J = numpy.zeros((B, self.n, self.n), dtype=complex)
        n_first, nw = dh * m, self.n_weights
        # d(first)/dZ = I; d(first)/dW_k = -(U_k dW_k V_k X): entry [(a, c), (i, j)] = -U_k[a, i] (V_k X)[j, c]
        diagonal = numpy.arange(n_first)
        J[:, diagonal, nw + diagonal] = 1.0
        for k in range(H):
            rows_k, cols_k = widths[k + 1], widths[k]
            VX = _mm(chains.V[k], X)
            block = -(chains.U[k][:, :, None, :, None] * numpy.swapaxes(VX, 1, 2)[:, None, :, None, :])
            J[:, :n_first, self._offsets[k]:self._offsets[k] + rows_k * cols_k] = block.reshape(
                -1, n_first, rows_k * cols_k)
        for l in range(H):  # d/dZ of U_l^T Z X^T V_l^T: entry [(a, b), (i, c)] = U_l[i, a] (V_l X)[b, c]
            rows_l, cols_l = widths[l + 1], widths[l]
            r0 = n_first + self._offsets[l]
            VX = _mm(chains.V[l], X)
            block = chains.Ut[l][:, :, None, :, None] * VX[:, None, :, None, :]
            J[:, r0:r0 + rows_l * cols_l, nw:] = block.reshape(-1, rows_l * cols_l, n_first)
        chains.weight_jacobian(J, R, lambdas, self._offsets, n_first)  # R = Z X^T does not depend on W
        return value, J
