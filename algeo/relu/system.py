"""The gradient system of a one-hidden-layer ReLU network inside one activation region.

With pattern ``A`` fixed the network is polynomial in the parameters,
``F(x_j) = sum_i V[:, i] A_ij (w~_i . x~_j)``, and so is the regularized loss

    L_A(theta) = 1/2 sum_j ||F(x_j) - y_j||^2 + 1/2 sum_k lambda_k theta_k^2

(``theta`` = all parameters in :attr:`ReluArchitecture.variable_names` order). Its
gradient is a square system of cubics, exact over QQ, built with sympy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Sequence

import sympy

from ..model.data import GRID_DENOMINATOR
from ..exceptions import InputError
from ..model.polynomial import Polynomial, PolynomialSystem
from .instance import ReluArchitecture, ReluData

__all__ = ["RegionSystem", "build_region_system", "generic_lambda", "scalar_lambda", "relu_loss"]


def generic_lambda(architecture: ReluArchitecture, *, seed: int, scale: Fraction) -> tuple[Fraction, ...]:
    """One weight per parameter, uniform on ``{scale k / 10^6 : 1 <= k <= 10^6}`` (seeded); on a bias
    ``b_i`` the weight is further multiplied by :data:`BIAS_FACTOR`.

    A comparable penalty on ``b_i`` pulls every kink onto a data point, i.e. onto a region
    boundary; a zero one gives systems PHCpack's blackbox output could not be read back
    for (measured, docs/relu.md). A small one keeps both problems away.
    """
    rng = random.Random(f"algeo-relu-lambda-{seed}")
    return tuple(scale * Fraction(rng.randint(1, GRID_DENOMINATOR), GRID_DENOMINATOR)
                 * (BIAS_FACTOR if name.startswith("b") else 1) for name in architecture.variable_names)


def scalar_lambda(architecture: ReluArchitecture, value: Fraction) -> tuple[Fraction, ...]:
    """``value`` on every weight, ``value * BIAS_FACTOR`` on the biases."""
    return tuple(value * BIAS_FACTOR if name.startswith("b") else value for name in architecture.variable_names)


#: the penalty on a bias is this times a weight's (see generic_lambda)
BIAS_FACTOR = Fraction(1, 1000)


def _rational(value: Fraction) -> sympy.Rational:
    return sympy.Rational(value.numerator, value.denominator)


@dataclass(frozen=True)
class RegionSystem:
    """Variables, gradient equations and loss of ``L_A`` for one pattern ``A``."""

    architecture: ReluArchitecture
    pattern: tuple[tuple[int, ...], ...]
    variables: tuple[sympy.Symbol, ...]
    equations: tuple[sympy.Expr, ...]
    loss: sympy.Expr

    @property
    def variable_names(self) -> tuple[str, ...]:
        return tuple(str(v) for v in self.variables)

    @cached_property
    def polynomial_system(self) -> PolynomialSystem:
        return PolynomialSystem.from_polynomials([Polynomial.from_sympy(e, self.variables) for e in self.equations])

    @cached_property
    def loss_polynomial(self) -> Polynomial:
        return Polynomial.from_sympy(self.loss, self.variables)


def build_region_system(architecture: ReluArchitecture, data: ReluData, pattern: Sequence[Sequence[int]],
                        Lambda: Sequence[Fraction]) -> RegionSystem:
    """The exact gradient system of ``L_A``.

    >>> from algeo.relu.instance import random_relu_data
    >>> a = ReluArchitecture(1, 1, 1, bias=True)
    >>> s = build_region_system(a, random_relu_data(a, 2, seed=0, targets=True), [(1, 0)], (1, 1, 1))
    >>> s.variable_names, [sympy.Poly(e, *s.variables).total_degree() for e in s.equations]
    (('w1_1_1', 'b1_1', 'w2_1_1'), [3, 3, 3])
    """
    if data.Y is None:
        raise InputError("Y", "is missing", "relu solve needs targets Y (dy x n)")
    if len(Lambda) != architecture.n_parameters:
        raise InputError("Lambda", f"needs {architecture.n_parameters} entries, got {len(Lambda)}")
    variables = tuple(sympy.Symbol(name) for name in architecture.variable_names)
    m, d1 = architecture.neuron_dimension, architecture.d1
    first = [variables[i * m:(i + 1) * m] for i in range(d1)]
    V = [variables[d1 * m + k * d1: d1 * m + (k + 1) * d1] for k in range(architecture.dy)]
    points = data.augmented_inputs(architecture.bias)
    fit = sympy.Integer(0)
    for j, x in enumerate(points):
        pre = [sum((_rational(c) * w for c, w in zip(x, first[i])), sympy.Integer(0)) for i in range(d1)]
        for k in range(architecture.dy):
            output = sum((V[k][i] * pre[i] for i in range(d1) if pattern[i][j]), sympy.Integer(0))
            fit += (output - _rational(data.Y[k][j])) ** 2
    penalty = sum((_rational(l) * v ** 2 for l, v in zip(Lambda, variables)), sympy.Integer(0))
    loss = sympy.expand((fit + penalty) / 2)
    equations = tuple(sympy.expand(sympy.diff(loss, v)) for v in variables)
    return RegionSystem(architecture, tuple(tuple(int(a) for a in row) for row in pattern), variables, equations, loss)


def relu_loss(architecture: ReluArchitecture, data: ReluData, theta: Sequence, Lambda: Sequence, *,
              zero=Fraction(0)) -> object:
    """The regularized ReLU loss at ``theta`` in the arithmetic of ``theta`` (exact for Fractions)."""
    m, d1 = architecture.neuron_dimension, architecture.d1
    total = zero
    for j, x in enumerate(data.augmented_inputs(architecture.bias)):
        hidden = []
        for i in range(d1):
            value = sum((c * w for c, w in zip(x, theta[i * m:(i + 1) * m])), zero)
            hidden.append(value if value > 0 else zero)
        for k in range(architecture.dy):
            output = sum((theta[d1 * m + k * d1 + i] * hidden[i] for i in range(d1)), zero)
            total = total + (output - data.Y[k][j]) ** 2
    penalty = sum((l * v * v for l, v in zip(Lambda, theta)), zero)
    return (total + penalty) / 2
