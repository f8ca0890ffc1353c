"""The gradient system of a regularized deep linear network, built symbolically (sympy).

The gradient comes from the closed form of REFERENCE.md section 1,

    dL/dW_l = U_l^T (Wbar X X^T - Y X^T) V_l^T + Lambda_l o W_l,

with ``U_l = W_H ... W_{l+1}`` and ``V_l = W_{l-1} ... W_1``; the test suite checks it
against sympy's differentiation of the loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import sympy

from .architecture import Architecture
from .data import Dataset, Matrix, Regularization, RegularizationKind
from .polynomial import Polynomial, PolynomialSystem

__all__ = ["CriticalPointSystem", "build_system", "weight_matrices"]


def _sympy_matrix(matrix: Matrix) -> sympy.Matrix:
    return sympy.Matrix([[sympy.Rational(e.numerator, e.denominator) for e in row] for row in matrix])


def weight_matrices(architecture: Architecture) -> tuple[sympy.Matrix, ...]:
    """Symbolic ``W_1, ..., W_H`` with entries named ``w{l}_{i}_{j}`` (1-based)."""
    return tuple(
        sympy.Matrix(rows, cols, lambda i, j, l=l: sympy.Symbol(f"w{l + 1}_{i + 1}_{j + 1}"))
        for l, (rows, cols) in enumerate(architecture.shapes)
    )


def _chain(matrices, size: int) -> sympy.Matrix:
    """``M_k ... M_1`` for matrices listed in order ``M_1, ..., M_k``; identity when empty."""
    product = sympy.eye(size)
    for matrix in matrices:
        product = matrix * product
    return product


@dataclass(frozen=True)
class CriticalPointSystem:
    """Variables, gradient equations and loss of one instance, exact over QQ."""

    architecture: Architecture
    dataset: Dataset
    regularization: Regularization
    variables: tuple[sympy.Symbol, ...]
    equations: tuple[sympy.Expr, ...]
    loss: sympy.Expr

    @property
    def n_variables(self) -> int:
        return len(self.variables)

    @property
    def variable_names(self) -> tuple[str, ...]:
        return tuple(str(v) for v in self.variables)

    @cached_property
    def polynomial_system(self) -> PolynomialSystem:
        """The gradient as exact sparse polynomials, with its Jacobian (the Hessian of the loss)."""
        return PolynomialSystem.from_polynomials(
            [Polynomial.from_sympy(e, self.variables) for e in self.equations]
        )

    @cached_property
    def loss_polynomial(self) -> Polynomial:
        return Polynomial.from_sympy(self.loss, self.variables)

    def weights_at(self, point) -> list[list[list]]:
        """Split a flat point into the weight matrices ``[W_1, ..., W_H]`` as nested lists."""
        matrices, position = [], 0
        for rows, cols in self.architecture.shapes:
            matrices.append([list(point[position + i * cols : position + (i + 1) * cols]) for i in range(rows)])
            position += rows * cols
        return matrices

    def __repr__(self) -> str:
        return (
            f"CriticalPointSystem(widths={self.architecture}, samples={self.dataset.n_samples}, "
            f"regularization={self.regularization.kind.value}, unknowns={self.n_variables})"
        )


def build_system(architecture: Architecture, dataset: Dataset, regularization: Regularization) -> CriticalPointSystem:
    """Build the gradient equations ``dL/dW_l = 0`` of the regularized squared loss.

    >>> from algeo.model.data import random_dataset, generic_regularization
    >>> arch = Architecture((1, 1, 1))
    >>> system = build_system(arch, random_dataset(arch, 1, seed=0), generic_regularization(arch, seed=0))
    >>> system.variable_names, [sympy.Poly(e, *system.variables).total_degree() for e in system.equations]
    (('w1_1_1', 'w2_1_1'), [3, 3])
    """
    dataset.check_against(architecture)
    if len(regularization.Lambda) != architecture.depth:
        from ..exceptions import InputError

        raise InputError("Lambda", f"needs {architecture.depth} matrices, got {len(regularization.Lambda)}")
    X, Y = _sympy_matrix(dataset.X), _sympy_matrix(dataset.Y)
    XXt, YXt = X * X.T, Y * X.T
    Ws = weight_matrices(architecture)
    Lambdas = [_sympy_matrix(matrix) for matrix in regularization.Lambda]
    H = architecture.depth
    Wbar = _chain(Ws, architecture.input_width)
    residual_moment = Wbar * XXt - YXt
    equations = []
    for l in range(H):
        U = _chain(Ws[l + 1 :], architecture.widths[l + 1])
        V = _chain(Ws[:l], architecture.input_width)
        gradient = U.T * residual_moment * V.T + Lambdas[l].multiply_elementwise(Ws[l])
        equations.extend(sympy.expand(entry) for entry in gradient)  # row-major, like the variables
    variables = tuple(symbol for W in Ws for symbol in W)
    fit = (Wbar * XXt * Wbar.T).trace() / 2 - (Wbar * YXt.T).trace() + (Y * Y.T).trace() / 2
    penalty = sum(
        (Lambdas[l][i, j] * Ws[l][i, j] ** 2 for l in range(H) for i in range(Ws[l].rows) for j in range(Ws[l].cols)),
        sympy.Integer(0),
    ) / 2
    loss = sympy.expand(fit + penalty)
    return CriticalPointSystem(architecture, dataset, regularization, variables, tuple(equations), loss)
