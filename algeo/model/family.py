"""The gradient systems of one architecture as a family linear in the data: the tracking form.

A parameter homotopy moves the data along a path and follows the critical points. For
the linear homotopy ``(1 - t)^k gamma G + t^k F`` (what PHCpack's trackers do) to stay
inside the family of gradient systems, the coefficients must depend *linearly* on the
parameters. In ``dL/dW_l = U_l^T (Wbar X X^T - Y X^T) V_l^T + Lambda_l o W_l`` they are
quadratic in ``X`` (through ``X X^T``), and when ``m < d_0`` the matrices ``X X^T`` of
rank ``m`` do not form a linear space. So the family is *lifted* with the residual
``Z = Wbar X - Y`` (``d_H x m`` new unknowns ``z_i_j``)::

    Z - W_H ... W_1 X + Y = 0,        U_l^T Z X^T V_l^T + Lambda_l o W_l = 0   (l = 1..H),

whose coefficients are linear (affine) in ``p = (X, Y, Lambda)``. Solutions correspond
one to one to critical points (``Z`` is determined by ``W``), and a solution is
nonsingular exactly when the critical point is (eliminate ``Z``: its block of the
Jacobian is the identity). Since ``F(p)`` is affine in ``p`` with the ``Z`` term fixed,
``a G + b F = (a + b) F((a p_0 + b p_1) / (a + b))``: every system on the homotopy path
is the gradient system of complex data ``(X, Y, Lambda)``, so for random complex start
data ``p_0`` and a generic ``gamma`` the ``N_C`` start solutions reach every isolated
critical point of generic target data (the parameter homotopy theorem of Morgan and
Sommese). Derived for this project; the tests check it against the blackbox.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy
import sympy

from .architecture import Architecture
from .data import Dataset, Regularization, RegularizationKind
from ..exceptions import InputError
from .system import weight_matrices

__all__ = ["ParameterFamily", "GramFamily", "TraceFamily", "FORMULATION", "GRAM_FORMULATION", "family_mode",
           "tracking_family"]

#: Name and version of the lifted formulation; part of every start set's key.
FORMULATION = "lifted-residual-v1"
#: Name and version of the Gram formulation (m >= d_0); part of its start sets' keys.
GRAM_FORMULATION = "gram-v1"

#: A term: exponents of the unknowns, and the coefficient as (constant, ((parameter index, factor), ...)).
Term = tuple[tuple[int, ...], tuple[int, tuple[tuple[int, int], ...]]]


def family_mode(regularization: Regularization) -> str:
    """The regularization mode a start set is made for: ``entrywise`` (generic or given Lambda).

    A scalar or zero ``Lambda`` leaves a continuous symmetry (non-isolated critical
    points), so no start set is made for it.
    """
    if regularization.kind in (RegularizationKind.GENERIC, RegularizationKind.GIVEN):
        return "entrywise"
    raise InputError("regularization", f"{regularization.kind.value} Lambda has no parameter homotopy "
                     "(critical points are not isolated)", "use generic or an entrywise Lambda")


class _AffineSystems:
    """Systems whose coefficients are affine in a parameter vector, given as ``terms``."""

    terms: tuple
    parameter_names: tuple[str, ...]

    #: parameter positions held at a value (not moved by monodromy loops), position -> value
    fixed_parameters: dict = {}

    def sample_parameters(self, rng: numpy.random.Generator) -> numpy.ndarray:
        """Random complex parameters (real and imaginary parts standard normal), fixed ones kept."""
        n = len(self.parameter_names)
        values = rng.standard_normal(n) + 1j * rng.standard_normal(n)
        for position, value in self.fixed_parameters.items():
            values[position] = value
        return values

    def random_parameters(self, seed: int) -> numpy.ndarray:
        """Random complex start data: real and imaginary parts standard normal (seeded)."""
        return self.sample_parameters(numpy.random.default_rng(seed))

    def sign_flips(self) -> numpy.ndarray | None:
        """The hidden-unit sign flips acting on the weights (residuals are invariant), one row per element."""
        from .symmetry import sign_flip_matrices

        group = sign_flip_matrices(self.architecture)
        return numpy.hstack([group, numpy.ones((len(group), len(self.residual_names)))])

    def coefficients(self, parameters: Sequence[complex]) -> list[list[tuple[tuple[int, ...], complex]]]:
        """The system at ``parameters``: per equation, (exponents, complex coefficient) pairs."""
        parameters = numpy.asarray(parameters, dtype=complex)
        return [[(exponents, complex(constant + sum(factor * parameters[k] for k, factor in linear)))
                 for exponents, (constant, linear) in equation] for equation in self.terms]

    def evaluate(self, parameters: Sequence[complex], point: Sequence[complex]) -> numpy.ndarray:
        """``F(point; parameters)`` in complex double precision."""
        point = numpy.asarray(point, dtype=complex)
        return numpy.array([sum(c * numpy.prod(point ** numpy.array(e)) for e, c in equation)
                            for equation in self.coefficients(parameters)])


@dataclass(frozen=True)
class _GradientFamily(_AffineSystems):
    """What the lifted and the Gram families share: fields, names, key, the Lambda parameters."""

    architecture: Architecture
    samples: int
    mode: str = "entrywise"

    @property
    def weight_names(self) -> tuple[str, ...]:
        return self.architecture.variable_names

    @property
    def residual_names(self) -> tuple[str, ...]:
        return ()

    @property
    def variable_names(self) -> tuple[str, ...]:
        """Weights ``w{l}_{i}_{j}`` (as in :func:`algeo.build_system`), then residuals ``z{i}_{j}`` if any."""
        return self.weight_names + self.residual_names

    @property
    def lambda_names(self) -> tuple[str, ...]:
        return tuple(f"L{l + 1}_{i}_{j}" for l, (rows, cols) in enumerate(self.architecture.shapes)
                     for i in range(rows) for j in range(cols))

    @cached_property
    def key(self) -> str:
        """Hash of (formulation, widths, samples, mode, monomial supports and coefficient structure)."""
        return _family_key(self)

    def _data_values(self, dataset: Dataset, regularization: Regularization, data) -> numpy.ndarray:
        """The parameter vector: ``data`` (values computed from the dataset), then Lambda."""
        if dataset.n_samples != self.samples:
            raise InputError("samples", f"the data have {dataset.n_samples} columns, the family {self.samples}")
        values = [float(v) for v in data] + [float(e) for matrix in regularization.Lambda for row in matrix
                                             for e in row]
        return numpy.array(values, dtype=complex)


@dataclass(frozen=True)
class ParameterFamily(_GradientFamily):
    """Lifted gradient systems of ``architecture`` with ``samples`` data columns."""

    formulation = FORMULATION

    @property
    def residual_names(self) -> tuple[str, ...]:
        return tuple(f"z{i + 1}_{j + 1}" for i in range(self.architecture.output_width) for j in range(self.samples))

    @property
    def parameter_names(self) -> tuple[str, ...]:
        a, m = self.architecture, self.samples
        return (tuple(f"X{i}_{j}" for i in range(a.input_width) for j in range(m))
                + tuple(f"Y{i}_{j}" for i in range(a.output_width) for j in range(m)) + self.lambda_names)

    @cached_property
    def terms(self) -> tuple[tuple[Term, ...], ...]:
        """Each equation as terms whose coefficients are affine in the parameters (built with sympy)."""
        a, m = self.architecture, self.samples
        params = sympy.symbols(self.parameter_names)
        position = 0

        def block(rows: int, cols: int) -> sympy.Matrix:
            nonlocal position
            matrix = sympy.Matrix(rows, cols, list(params[position:position + rows * cols]))
            position += rows * cols
            return matrix

        X, Y = block(a.input_width, m), block(a.output_width, m)
        Lambdas = [block(rows, cols) for rows, cols in a.shapes]
        Ws = weight_matrices(a)
        Z = sympy.Matrix(a.output_width, m, sympy.symbols(self.residual_names))
        chain = lambda ms, size: _chain(ms, size)
        equations = list(Z - chain(Ws, a.input_width) * X + Y)
        for l in range(a.depth):
            U = chain(Ws[l + 1:], a.widths[l + 1])
            V = chain(Ws[:l], a.input_width)
            equations.extend(U.T * Z * X.T * V.T + Lambdas[l].multiply_elementwise(Ws[l]))
        unknowns = [s for W in Ws for s in W] + list(Z)
        return _affine_terms(equations, unknowns, params)

    def parameters_of(self, dataset: Dataset, regularization: Regularization) -> numpy.ndarray:
        """The parameter vector ``(X, Y, Lambda)`` of an instance (double precision)."""
        return self._data_values(dataset, regularization,
                                 [e for row in dataset.X for e in row] + [e for row in dataset.Y for e in row])


    def lift(self, weights: Sequence[complex], parameters: Sequence[complex]) -> tuple[complex, ...]:
        """Append ``Z = Wbar X - Y`` to a point in weight coordinates."""
        a, m = self.architecture, self.samples
        p = numpy.asarray(parameters, dtype=complex)
        X = p[:a.input_width * m].reshape(a.input_width, m)
        Y = p[a.input_width * m:(a.input_width + a.output_width) * m].reshape(a.output_width, m)
        product = numpy.eye(a.input_width, dtype=complex)
        position = 0
        for rows, cols in a.shapes:
            W = numpy.asarray(weights[position:position + rows * cols], dtype=complex).reshape(rows, cols)
            position += rows * cols
            product = W @ product
        Z = product @ X - Y
        return tuple(complex(v) for v in weights) + tuple(complex(v) for v in Z.reshape(-1))


@dataclass(frozen=True)
class TraceFamily(_AffineSystems):
    """The augmented systems of the trace test for ``base`` (Leykin, Rodriguez and Sottile).

    Unknowns ``(x, lam)``, parameters ``(p, v, a, t)``::

        F(x; p + lam v) = 0,        (a . x - 1) lam + t = 0.

    Affine in all parameters jointly (``F`` is affine in ``p``, so ``F(x; p + lam v) =
    F(x; p) + lam (A(x) v)``). At ``t = 0`` the solutions are ``{lam = 0, F(x; p) = 0}``
    (the solutions under test) and the *witnesses* ``{a . x = 1, F(x; p + lam v) = 0}``.
    Moving ``t`` moves every solution, and the sum of all of them is an affine function
    of ``t`` exactly when the set at ``t = 0`` is complete (the construction of
    HomotopyContinuation.jl's ``verify_solution_completeness``). ``t`` is held at 0 by
    monodromy loops (``fixed_parameters``).
    """

    base: ParameterFamily

    @property
    def architecture(self) -> Architecture:
        return self.base.architecture

    @property
    def residual_names(self) -> tuple[str, ...]:
        return self.base.residual_names

    @property
    def variable_names(self) -> tuple[str, ...]:
        return self.base.variable_names + ("lmb_t",)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        names = self.base.parameter_names
        return (names + tuple(f"v_{name}" for name in names)
                + tuple(f"a_{name}" for name in self.base.variable_names) + ("t_trace",))

    @property
    def t_position(self) -> int:
        return len(self.parameter_names) - 1

    @property
    def fixed_parameters(self) -> dict:
        return {self.t_position: 0j}

    @cached_property
    def terms(self) -> tuple[tuple[Term, ...], ...]:
        n_p, n_x = len(self.base.parameter_names), len(self.base.variable_names)
        equations = []
        for equation in self.base.terms:
            terms = []
            for exponents, (constant, linear) in equation:
                terms.append((exponents + (0,), (constant, linear)))
                if linear:  # lam * (A(x) v): the parameter part moved to v
                    terms.append((exponents + (1,), (0, tuple((k + n_p, factor) for k, factor in linear))))
            equations.append(tuple(sorted(terms)))
        last = [((0,) * n_x + (1,), (-1, ())), ((0,) * (n_x + 1), (0, ((self.t_position, 1),)))]
        for i in range(n_x):
            exponents = tuple(1 if j == i else 0 for j in range(n_x)) + (1,)
            last.append((exponents, (0, ((2 * n_p + i, 1),))))
        equations.append(tuple(sorted(last)))
        return tuple(equations)

    def sign_flips(self) -> None:
        """None: the hyperplane ``a . x = 1`` breaks the sign-flip symmetry."""
        return None

    @property
    def origin_is_a_solution(self) -> bool:
        """Whether ``W = 0`` has a witness: only through residual unknowns.

        At ``W = 0`` the base equations vanish for every ``lam``; ``a . x = 1`` then needs a
        nonzero residual ``Z = -Y``. The Gram family has none, so its origin has no witness
        (it stays a tested point, moving as ``lam = t`` when ``t`` moves).
        """
        return bool(self.base.residual_names)


@dataclass(frozen=True)
class GramFamily(_GradientFamily):
    """Gradient systems in the weights alone, with parameters ``(S, T, Lambda)``; for ``m >= d_0``.

    ``dL/dW_l = U_l^T (Wbar S - T) V_l^T + Lambda_l o W_l`` with ``S = X X^T`` (symmetric,
    its upper triangle as parameters) and ``T = Y X^T`` is affine in ``(S, T, Lambda)``.
    When ``m >= d_0`` the data map ``(X, Y, Lambda) -> (S, T, Lambda)`` is dominant onto this
    linear space (generic ``X`` has full row rank), so its generic root count is ``N_C``
    and the parameter homotopy theorem applies as for the lifted family, without the
    ``d_H m`` residual unknowns (8 unknowns instead of 12 for widths 2,2,2, m = 2). For
    ``m < d_0`` a generic symmetric ``S`` has rank ``d_0 > m``: more solutions than the
    data have, so :func:`tracking_family` uses the lifted family there.
    """

    formulation = GRAM_FORMULATION

    @property
    def parameter_names(self) -> tuple[str, ...]:
        d0, dh = self.architecture.input_width, self.architecture.output_width
        return (tuple(f"S{i}_{j}" for i in range(d0) for j in range(i, d0))
                + tuple(f"T{i}_{j}" for i in range(dh) for j in range(d0)) + self.lambda_names)

    @cached_property
    def terms(self) -> tuple[tuple[Term, ...], ...]:
        a = self.architecture
        d0, dh = a.input_width, a.output_width
        params = sympy.symbols(self.parameter_names)
        upper = {(i, j): k for k, (i, j) in enumerate((i, j) for i in range(d0) for j in range(i, d0))}
        S = sympy.Matrix(d0, d0, lambda i, j: params[upper[(min(i, j), max(i, j))]])
        offset = len(upper)
        T = sympy.Matrix(dh, d0, list(params[offset:offset + dh * d0]))
        position = offset + dh * d0
        Lambdas = []
        for rows, cols in a.shapes:
            Lambdas.append(sympy.Matrix(rows, cols, list(params[position:position + rows * cols])))
            position += rows * cols
        Ws = weight_matrices(a)
        residual = _chain(Ws, d0) * S - T
        equations = []
        for l in range(a.depth):
            U = _chain(Ws[l + 1:], a.widths[l + 1])
            V = _chain(Ws[:l], d0)
            equations.extend(U.T * residual * V.T + Lambdas[l].multiply_elementwise(Ws[l]))
        unknowns = [s for W in Ws for s in W]
        return _affine_terms(equations, unknowns, params)

    def parameters_of(self, dataset: Dataset, regularization: Regularization) -> numpy.ndarray:
        """``(S, T, Lambda)`` of an instance: the Gram matrices computed exactly, then rounded once."""
        X, Y = dataset.X, dataset.Y
        d0, m = len(X), dataset.n_samples
        S = [sum((X[i][k] * X[j][k] for k in range(m)), start=0) for i in range(d0) for j in range(i, d0)]
        T = [sum((Y[i][k] * X[j][k] for k in range(m)), start=0) for i in range(len(Y)) for j in range(d0)]
        return self._data_values(dataset, regularization, S + T)

    def lift(self, weights: Sequence[complex], parameters: Sequence[complex]) -> tuple[complex, ...]:
        """The point itself: this family has no residual unknowns."""
        return tuple(complex(v) for v in weights)


def tracking_family(architecture: Architecture, samples: int, mode: str = "entrywise"):
    """The family the parameter homotopy tracks in: Gram when ``m >= d_0``, else lifted."""
    if samples >= architecture.input_width:
        return GramFamily(architecture, samples, mode)
    return ParameterFamily(architecture, samples, mode)


def _family_key(family) -> str:
    gram = family.formulation == GRAM_FORMULATION  # its systems do not depend on m: one key for every m >= d_0
    description = {"formulation": family.formulation, "widths": list(family.architecture.widths),
                   "samples": None if gram else family.samples, "mode": family.mode, "variables": list(family.variable_names),
                   "parameters": list(family.parameter_names), "terms": family.terms}
    return hashlib.sha256(json.dumps(description, sort_keys=True).encode()).hexdigest()[:20]


def _affine_terms(equations, unknowns, params) -> tuple:
    n = len(unknowns)
    result = []
    for equation in equations:
        poly = sympy.Poly(sympy.expand(equation), *unknowns, *params)
        grouped: dict[tuple[int, ...], list] = {}
        for exponents, coefficient in poly.terms():
            key, parameter_part = tuple(int(e) for e in exponents[:n]), exponents[n:]
            entry = grouped.setdefault(key, [0, []])
            degree = sum(parameter_part)
            if degree == 0:
                entry[0] += int(coefficient)
            elif degree == 1:
                entry[1].append((parameter_part.index(1), int(coefficient)))
            else:
                raise AssertionError("the family must be linear in the parameters")
        result.append(tuple(sorted((k, (c, tuple(sorted(p)))) for k, (c, p) in grouped.items())))
    return tuple(result)


def _chain(matrices, size: int) -> sympy.Matrix:
    product = sympy.eye(size)
    for matrix in matrices:
        product = matrix * product
    return product
