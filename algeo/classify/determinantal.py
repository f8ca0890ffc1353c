"""The determinantal variety ``M_r`` and the loss ``l(Wbar) = 1/2 ||Wbar X - Y||^2`` on it.

REFERENCE.md section 4. With ``S = (X X^T)^{1/2}`` (symmetric, invertible) and
``P = Wbar S``, ``l = 1/2 ||P - U||^2 + const`` with ``U = Y X^T S^{-1}``. The
critical points of ``l`` on the rank-e stratum are the ``U_I S^{-1}``,
``U_I = sum_{i in I} sigma_i u_i v_i^T``, ``|I| = e``, for generic data.

This module computes, in mpmath at the caller's precision (call inside
``mpmath.workdps``), everything needed to classify an end-to-end matrix:
its numerical rank with the gap as evidence (:func:`numerical_rank`), the
gradient of ``l`` and its components off the normal space of the stratum
(:func:`stratum_gradient_residual`), the Morse index on the stratum
(:func:`stratum_index`), pure / spurious (:func:`purity`) and the index set ``I``
from an SVD of ``U`` (:func:`match_index_set`). The exact genericity test of the
data is :func:`check_generic_targets` (rational arithmetic, no rounding).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import mpmath
import sympy

from ..model.architecture import Architecture
from ..model.data import Dataset, exact_rank
from ..exceptions import InputError
from ..results.statuses import Decision, Purity

__all__ = [
    "Decision",
    "layers_of",
    "Purity",
    "Whitening",
    "RankDecision",
    "whitening",
    "check_generic_targets",
    "index_sets",
    "numerical_rank",
    "loss_of_product",
    "loss_gradient",
    "stratum_gradient_residual",
    "stratum_index",
    "purity",
    "match_index_set",
    "frobenius",
    "balanced_factorization",
]


def layers_of(architecture: Architecture, theta: Sequence) -> list["mpmath.matrix"]:
    """``W_1, ..., W_H`` from a flat real point (row-major blocks, the system's variable order)."""
    layers, position = [], 0
    for rows, cols in architecture.shapes:
        W = mpmath.matrix(rows, cols)
        for i in range(rows):
            for j in range(cols):
                W[i, j] = theta[position + i * cols + j]
        position += rows * cols
        layers.append(W)
    return layers


def _mp(value: Fraction):
    return mpmath.mpf(value.numerator) / value.denominator


def _matrix(rows: Sequence[Sequence[Fraction]]) -> "mpmath.matrix":
    return mpmath.matrix([[_mp(entry) for entry in row] for row in rows])


def _exact_moments(dataset: Dataset) -> tuple[list[list[Fraction]], list[list[Fraction]], list[list[Fraction]]]:
    X, Y = dataset.X, dataset.Y
    m = dataset.n_samples
    XXt = [[sum((X[i][k] * X[j][k] for k in range(m)), Fraction(0)) for j in range(len(X))] for i in range(len(X))]
    YXt = [[sum((Y[i][k] * X[j][k] for k in range(m)), Fraction(0)) for j in range(len(X))] for i in range(len(Y))]
    YYt = [[sum((Y[i][k] * Y[j][k] for k in range(m)), Fraction(0)) for j in range(len(Y))] for i in range(len(Y))]
    return XXt, YXt, YYt


def frobenius(matrix: "mpmath.matrix"):
    """Frobenius norm (works for real and complex mpmath matrices)."""
    return mpmath.sqrt(sum(abs(matrix[i, j]) ** 2 for i in range(matrix.rows) for j in range(matrix.cols)))


@dataclass(frozen=True)
class Whitening:
    """``XX^T``, ``YX^T`` (mp), ``S = (XX^T)^{1/2}``, ``S^{-1}``, ``U = YX^T S^{-1}`` and its thin SVD.

    ``left[:, i]``, ``sigma[i]``, ``right[i, :]`` are ``u_i``, ``sigma_i``, ``v_i^T`` with
    ``sigma_1 > ... > sigma_q``.
    """

    XXt: "mpmath.matrix"
    YXt: "mpmath.matrix"
    trace_YYt: object
    S: "mpmath.matrix"
    S_inverse: "mpmath.matrix"
    U: "mpmath.matrix"
    left: "mpmath.matrix"
    sigma: tuple
    right: "mpmath.matrix"

    @property
    def q(self) -> int:
        return len(self.sigma)

    def U_I(self, index_set: Sequence[int]) -> "mpmath.matrix":
        """``U_I = sum_{i in I} sigma_i u_i v_i^T`` (0-based indices), in whitened coordinates ``P``."""
        result = mpmath.zeros(self.U.rows, self.U.cols)
        for i in index_set:
            result += self.sigma[i] * self.left[:, i] * self.right[i, :]
        return result

    def product_of(self, index_set: Sequence[int]) -> "mpmath.matrix":
        """The end-to-end matrix ``U_I S^{-1}`` (``Wbar`` coordinates)."""
        return self.U_I(index_set) * self.S_inverse


def whitening(dataset: Dataset) -> Whitening:
    """Whiten the data (at the current mpmath precision); ``XX^T`` must be invertible."""
    XXt_exact, YXt_exact, YYt_exact = _exact_moments(dataset)
    d0 = len(XXt_exact)
    if exact_rank(XXt_exact) < d0:
        raise InputError("data", f"X X^T is singular (rank {exact_rank(XXt_exact)} < d0 = {d0}): U = Y X^T (X X^T)^(-1/2) "
                         "does not exist and the end-to-end matrices of critical points are not finitely many",
                         f"use at least d0 = {d0} samples with X of full row rank")
    XXt, YXt = _matrix(XXt_exact), _matrix(YXt_exact)
    eigenvalues, vectors = mpmath.eigsy(XXt)
    root = mpmath.diag([mpmath.sqrt(eigenvalues[i]) for i in range(d0)])
    inverse_root = mpmath.diag([1 / mpmath.sqrt(eigenvalues[i]) for i in range(d0)])
    S = vectors * root * vectors.T
    S_inverse = vectors * inverse_root * vectors.T
    U = YXt * S_inverse
    left, sigma, right = mpmath.svd_r(U, full_matrices=False)
    trace_YYt = sum((_mp(YYt_exact[i][i]) for i in range(len(YYt_exact))), mpmath.mpf(0))
    return Whitening(XXt, YXt, trace_YYt, S, S_inverse, U, left, tuple(sigma[i] for i in range(len(sigma))), right)


def check_generic_targets(dataset: Dataset, architecture: Architecture) -> None:
    """Exact test that ``U`` has ``q`` distinct nonzero singular values; :class:`InputError` if not.

    The squares ``sigma_i^2`` are the eigenvalues of a rational ``q x q`` matrix ``M``
    (``Y X^T (XX^T)^{-1} X Y^T`` when ``d_H <= d_0``, else ``(XX^T)^{-1} X Y^T Y X^T``), so
    repeated values are a zero discriminant of its characteristic polynomial and a zero
    value is ``det M = 0``: both decided over QQ, without rounding.
    """
    XXt, YXt, _ = _exact_moments(dataset)
    d0 = len(XXt)
    rank = exact_rank(XXt)
    if rank < d0:
        raise InputError("data", f"X X^T is singular (rank {rank} < d0 = {d0}, m = {dataset.n_samples}): "
                         "U = Y X^T (X X^T)^(-1/2) does not exist and the end-to-end matrices of critical points "
                         "form positive-dimensional families", f"use m >= d0 = {d0} samples with X of full row rank")
    A = sympy.Matrix(XXt)
    B = sympy.Matrix(YXt)
    inverse = A.inv()
    M = B * inverse * B.T if architecture.output_width <= architecture.input_width else inverse * B.T * B
    x = sympy.Symbol("x")
    polynomial = sympy.Poly(M.charpoly(x).as_expr(), x)
    if polynomial.eval(0) == 0:
        raise InputError("data", "U = Y X^T (X X^T)^(-1/2) has a zero singular value (rank Y X^T < q): "
                         "the data are not generic and several U_I coincide", "use generic data")
    if sympy.discriminant(polynomial, x) == 0:
        raise InputError("data", "U = Y X^T (X X^T)^(-1/2) has repeated singular values: the critical points "
                         "of l on the rank strata are not isolated, so the end-to-end matrices are not finitely "
                         "many", "use generic data")


def index_sets(q: int, r: int) -> list[tuple[int, ...]]:
    """All ``I`` subset of ``{0..q-1}`` with ``|I| <= r`` (0-based), by size then lexicographically."""
    return [subset for k in range(min(q, r) + 1) for subset in itertools.combinations(range(q), k)]


@dataclass(frozen=True)
class RankDecision:
    """Numerical rank with its evidence; ``rank`` is None when no clear gap separates the values."""

    rank: int | None
    singular_values: tuple
    largest_called_zero: object | None  # relative to max(1, sigma_1)
    smallest_called_nonzero: object | None

    @property
    def decided(self) -> bool:
        return self.rank is not None


def _singular_values(matrix: "mpmath.matrix", *, vectors: bool):
    is_complex = any(mpmath.im(matrix[i, j]) != 0 for i in range(matrix.rows) for j in range(matrix.cols))
    if not is_complex:
        matrix = mpmath.matrix([[mpmath.re(matrix[i, j]) for j in range(matrix.cols)] for i in range(matrix.rows)])
    routine = mpmath.svd_c if is_complex else mpmath.svd_r
    if vectors:
        return routine(matrix, full_matrices=False, compute_uv=True)
    return routine(matrix, compute_uv=False)


def numerical_rank(matrix: "mpmath.matrix", *, zero: float, nonzero: float) -> RankDecision:
    """Rank from a visible gap: values ``<= zero * scale`` are zero, ``>= nonzero * scale`` nonzero.

    ``scale = max(1, sigma_1)``. Any value strictly between the thresholds makes the
    rank undecided.
    """
    values = _singular_values(matrix, vectors=False)
    values = tuple(sorted((mpmath.mpf(abs(values[i])) for i in range(len(values))), reverse=True))
    scale = max(mpmath.mpf(1), values[0]) if values else mpmath.mpf(1)
    relative = [v / scale for v in values]
    zeros = [v for v in relative if v <= zero]
    nonzeros = [v for v in relative if v >= nonzero]
    rank = len(nonzeros) if len(zeros) + len(nonzeros) == len(relative) else None
    return RankDecision(rank, values, max(zeros) if zeros else None, min(nonzeros) if nonzeros else None)


def loss_of_product(product: "mpmath.matrix", whitened: Whitening):
    """``l(Wbar) = 1/2 tr(Wbar XX^T Wbar^T) - tr(Wbar X Y^T) + 1/2 tr(Y Y^T)`` (bilinear, no conjugation)."""
    quadratic = product * whitened.XXt * product.T
    cross = product * whitened.YXt.T
    return (sum(quadratic[i, i] for i in range(quadratic.rows)) / 2
            - sum(cross[i, i] for i in range(cross.rows)) + whitened.trace_YYt / 2)


def loss_gradient(product: "mpmath.matrix", whitened: Whitening) -> "mpmath.matrix":
    """``grad l(Wbar) = Wbar XX^T - Y X^T``."""
    return product * whitened.XXt - whitened.YXt


def _column_and_row_spaces(product: "mpmath.matrix", rank: int):
    left, _, right = _singular_values(product, vectors=True)
    return left[:, :rank] if rank else None, right[:rank, :] if rank else None


def balanced_factorization(architecture: Architecture, product: "mpmath.matrix", rank: int) -> list:
    """A real point ``theta`` (flat, the system's variable order) with ``W_H ... W_1 = Wbar``, built from an SVD.

    ``Wbar = U_e S_e V_e^T`` with ``e = rank``: ``W_1 = [S_e^(1/H) V_e^T; 0]``, every middle layer
    ``[S_e^(1/H) 0; 0 0]`` and ``W_H = [U_e S_e^(1/H) 0]`` (balanced: the layers have equal norms). Needs
    ``e <= r`` (``rank_bound``). When ``Wbar`` is a critical point of ``l`` on its rank-``e`` stratum, the
    result is a critical point of ``L``: every partial gradient ``W_{>i}^T G W_{<i}^T`` (``G = grad l``)
    vanishes, because the columns of ``W_{>i}`` lie in ``span U_e`` and the rows of ``W_{<i}`` in
    ``span V_e^T``, and ``U_e^T G = 0 = G V_e`` at such a point (the gradient is normal to the stratum).
    A real ``Wbar`` gives a real point, also when every path over it ended at a complex point of its fibre.
    Call inside ``mpmath.workdps``.
    """
    if not 0 <= rank <= architecture.rank_bound:
        raise ValueError(f"rank {rank} is outside 0..{architecture.rank_bound}, the ranks of products of {architecture}")
    depth = len(architecture.shapes)
    if depth == 1:  # a single layer is Wbar itself
        return [mpmath.re(product[i, j]) for i in range(product.rows) for j in range(product.cols)]
    if rank:
        left, values, right = _singular_values(product, vectors=True)
        roots = [mpmath.root(mpmath.re(values[i]), depth) for i in range(rank)]
    layers = []
    for h, (rows, cols) in enumerate(architecture.shapes):
        W = mpmath.matrix(rows, cols)
        for a in range(rank):
            if h == 0:
                for j in range(cols):
                    W[a, j] = roots[a] * mpmath.re(right[a, j])
            elif h == depth - 1:
                for i in range(rows):
                    W[i, a] = mpmath.re(left[i, a]) * roots[a]
            else:
                W[a, a] = roots[a]
        layers.append(W)
    return [W[i, j] for W in layers for i in range(W.rows) for j in range(W.cols)]


def stratum_gradient_residual(product: "mpmath.matrix", rank: int, whitened: Whitening):
    """``max(||U_e^H G||, ||G V_e||) / max(1, ||G||)``: the part of ``G = grad l`` tangent to the stratum.

    Zero exactly when ``Wbar`` is a critical point of ``l`` on the rank-``e`` stratum
    (gradient in the normal space ``{N : U_e^T N = 0, N V_e = 0}``). For ``e = 0`` the
    stratum is a point and the residual is 0.
    """
    if rank == 0:
        return mpmath.mpf(0)
    G = loss_gradient(product, whitened)
    U_e, V_e_transposed = _column_and_row_spaces(product, rank)
    left_part = U_e.H * G
    right_part = G * V_e_transposed.H
    scale = max(mpmath.mpf(1), frobenius(G))
    return max(frobenius(left_part), frobenius(right_part)) / scale


def stratum_index(product: "mpmath.matrix", rank: int, whitened: Whitening, *, zero: float):
    """Morse index of ``l`` on the rank-``e`` stratum at a critical point ``Wbar`` (real products).

    Uses the submersion ``(L, R) -> L R^T`` onto the stratum at ``L_0 = U_e Sigma_e``,
    ``R_0 = V_e``: the Hessian of ``l(L R^T)`` is
    ``Q(dL, dR) = 2 <G, dL dR^T> + <D XX^T, D>``, ``D = dL R_0^T + L_0 dR^T``. Its
    negative eigenvalues are the index on the stratum; its kernel contains the
    ``e^2``-dimensional ``GL(e)`` directions, so ``nullity - e^2`` extra zero eigenvalues mean
    a degenerate critical point. Returns ``(index, extra_nullity, eigenvalues)``.
    """
    if rank == 0:
        return 0, 0, ()
    left, values, right = _singular_values(product, vectors=True)
    rows, cols = product.rows, product.cols
    L0 = left[:, :rank] * mpmath.diag([values[i] for i in range(rank)])
    R0 = right[:rank, :].T
    G = loss_gradient(product, whitened)
    basis = []
    for which, shape in (("L", (rows, rank)), ("R", (cols, rank))):
        for i in range(shape[0]):
            for j in range(shape[1]):
                dL, dR = mpmath.zeros(rows, rank), mpmath.zeros(cols, rank)
                (dL if which == "L" else dR)[i, j] = 1
                basis.append((dL, dR))
    n = len(basis)

    def bilinear(a, b):
        dLa, dRa = a
        dLb, dRb = b
        Da = dLa * R0.T + L0 * dRa.T
        Db = dLb * R0.T + L0 * dRb.T
        second = dLa * dRb.T + dLb * dRa.T  # polarization of 2 dL dR^T
        curvature = sum(G[i, j] * second[i, j] for i in range(rows) for j in range(cols))
        DX = Da * whitened.XXt
        quadratic = sum(DX[i, j] * Db[i, j] for i in range(rows) for j in range(cols))
        return curvature + quadratic

    hessian = mpmath.matrix(n, n)
    for i in range(n):
        for j in range(i, n):
            hessian[i, j] = hessian[j, i] = mpmath.re(bilinear(basis[i], basis[j]))
    eigenvalues = mpmath.eigsy(hessian, eigvals_only=True)
    eigenvalues = sorted(eigenvalues[i] for i in range(n))
    scale = max(mpmath.mpf(1), max(abs(v) for v in eigenvalues))
    negative = sum(1 for v in eigenvalues if v < -zero * scale)
    nullity = sum(1 for v in eigenvalues if abs(v) <= zero * scale)
    return negative, nullity - rank * rank, tuple(eigenvalues)


def purity(product: "mpmath.matrix", rank: int | None, rank_bound: int, whitened: Whitening, *,
           zero: float, nonzero: float) -> tuple[Purity, object | None]:
    """Pure or spurious over ``M_r`` with the project's convention (REFERENCE.md section 4).

    ``e = r`` (smooth point of ``M_r``): pure iff the gradient lies in the normal space.
    ``e < r`` (singular point): the tangent cone spans the whole space, so pure iff
    ``grad l = 0``. Returns the decision and the relative residual it rests on.
    """
    if rank is None:
        return Purity.UNDECIDED, None
    if rank == rank_bound:
        residual = stratum_gradient_residual(product, rank, whitened)
    else:
        G = loss_gradient(product, whitened)
        residual = frobenius(G) / max(mpmath.mpf(1), frobenius(whitened.YXt))
    if residual <= zero:
        return Purity.PURE, residual
    if residual >= nonzero:
        return Purity.SPURIOUS, residual
    return Purity.UNDECIDED, residual


def match_index_set(product: "mpmath.matrix", whitened: Whitening) -> tuple[tuple[int, ...], object]:
    """The index set ``I`` read off an SVD of ``U``, and ``||Wbar - U_I S^{-1}||_F``.

    ``c_i = u_i^T (Wbar S) v_i``; ``i`` is in ``I`` when ``c_i`` is nearer ``sigma_i`` than 0.
    The distance is the independent check that ``Wbar`` really is ``U_I S^{-1}``.
    """
    P = product * whitened.S
    chosen = []
    for i, sigma in enumerate(whitened.sigma):
        c = (whitened.left[:, i].T * P * whitened.right[i, :].T)[0, 0]
        if abs(c - sigma) < abs(c):
            chosen.append(i)
    difference = product - whitened.product_of(chosen)
    return tuple(chosen), frobenius(difference)
