"""Sparse polynomials with exact rational coefficients, evaluated in any arithmetic.

A :class:`PolynomialSystem` keeps the *exact* coefficients (``Fraction``) of a
square system and evaluates it, and its Jacobian, at points whose coordinates are
complex doubles, ``mpmath`` numbers, ``mpmath.iv`` intervals or python-flint
``arb``/``acb`` balls. A coefficient is converted by a caller-supplied function
(``coerce``), so an interval evaluation encloses the exact rational coefficient
rather than a rounded point (the lambdify pitfall of REFERENCE.md section 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence

import sympy

__all__ = ["Polynomial", "PolynomialSystem"]

Term = tuple[tuple[int, ...], Fraction]


@dataclass(frozen=True)
class Polynomial:
    """A polynomial as a tuple of ``(exponents, coefficient)`` terms in ``n_variables`` variables."""

    terms: tuple[Term, ...]
    n_variables: int

    @classmethod
    def from_sympy(cls, expression, variables: Sequence[sympy.Symbol]) -> "Polynomial":
        poly = sympy.Poly(expression, *variables, domain="QQ")
        terms = tuple(
            (tuple(int(e) for e in monomial), Fraction(int(c.numerator), int(c.denominator)))
            for monomial, c in poly.terms()
            if c != 0
        )
        return cls(terms, len(variables))

    @property
    def degree(self) -> int:
        return max((sum(exponents) for exponents, _ in self.terms), default=0)

    def derivative(self, index: int) -> "Polynomial":
        terms = []
        for exponents, coefficient in self.terms:
            power = exponents[index]
            if power:
                lowered = exponents[:index] + (power - 1,) + exponents[index + 1 :]
                terms.append((lowered, coefficient * power))
        return Polynomial(tuple(terms), self.n_variables)

    def value_at(self, point: Sequence[object], *, coerce: Callable[[Fraction], object] = complex, zero=0, one=1):
        """Evaluate at ``point``, building the power table itself."""
        return self.evaluate(power_table(point, self.degree, one), coerce, zero)

    def evaluate(self, powers: Sequence[Sequence[object]], coerce: Callable[[Fraction], object], zero):
        """Evaluate with precomputed ``powers[i][k] = x_i^k`` (see :func:`power_table`)."""
        total = zero
        for exponents, coefficient in self.terms:
            value = coerce(coefficient)
            for i, power in enumerate(exponents):
                if power:
                    value = value * powers[i][power]
            total = total + value
        return total


def power_table(point: Sequence[object], max_degree: int, one) -> list[list[object]]:
    table = []
    for x in point:
        row = [one, x]
        for _ in range(2, max_degree + 1):
            row.append(row[-1] * x)
        table.append(row)
    return table


@dataclass(frozen=True)
class PolynomialSystem:
    """Square polynomial system ``F`` with its exact Jacobian ``DF``."""

    polynomials: tuple[Polynomial, ...]
    jacobian: tuple[tuple[Polynomial, ...], ...]

    @classmethod
    def from_polynomials(cls, polynomials: Sequence[Polynomial]) -> "PolynomialSystem":
        polynomials = tuple(polynomials)
        n = polynomials[0].n_variables if polynomials else 0
        jacobian = tuple(tuple(p.derivative(j) for j in range(n)) for p in polynomials)
        return cls(polynomials, jacobian)

    @property
    def n_variables(self) -> int:
        return self.polynomials[0].n_variables

    @property
    def max_degree(self) -> int:
        return max(p.degree for p in self.polynomials)

    def evaluate(self, point, *, coerce: Callable[[Fraction], object] = complex, zero=0, one=1) -> list:
        powers = power_table(point, self.max_degree, one)
        return [p.evaluate(powers, coerce, zero) for p in self.polynomials]

    def evaluate_jacobian(self, point, *, coerce: Callable[[Fraction], object] = complex, zero=0, one=1) -> list[list]:
        powers = power_table(point, self.max_degree, one)
        return [[entry.evaluate(powers, coerce, zero) for entry in row] for row in self.jacobian]
