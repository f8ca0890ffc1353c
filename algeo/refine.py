"""Newton refinement at high precision (mpmath) on the *exact* rational system.

Coefficients are converted from ``Fraction`` at the working precision, never read
back from solver text. Real points are refined in real arithmetic so their
imaginary parts are exactly zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import mpmath

from .polynomial import PolynomialSystem

__all__ = ["Refinement", "refine_point", "mp_rational", "mp_context"]


def mp_rational(value: Fraction):
    """A Fraction as an ``mpf`` correctly rounded at the current precision."""
    return mpmath.mpf(value.numerator) / value.denominator


@dataclass(frozen=True)
class Refinement:
    """The outcome of Newton's method on one point."""

    point: tuple  # mpc (complex) or mpf (real) coordinates
    residual: object  # max-norm of F at the point (mpf)
    last_step: object  # max-norm of the last Newton step (mpf)
    iterations: int
    converged: bool


def mp_context(digits: int):
    """A context manager fixing mpmath's working precision to ``digits`` decimal digits."""
    return mpmath.workdps(digits)


def _max_norm(values) -> object:
    return max((abs(v) for v in values), default=mpmath.mpf(0))


def refine_point(
    system: PolynomialSystem,
    start: Sequence[complex],
    *,
    digits: int,
    real: bool = False,
    max_iterations: int = 60,
) -> Refinement:
    """Newton's method at ``digits`` digits from ``start``; stops when the step is below ``10^(5-digits)``.

    Must be called inside ``mp_context(digits)`` (or equivalent ``mpmath.mp.dps``).
    """
    convert = mpmath.mpf if real else mpmath.mpc
    point = [convert(z.real) if real else mpmath.mpc(z.real, z.imag) for z in start]
    tolerance = mpmath.mpf(10) ** (5 - digits)
    zero, one = convert(0), convert(1)
    last_step = mpmath.inf
    converged = False
    iterations = 0
    for iterations in range(1, max_iterations + 1):
        values = system.evaluate(point, coerce=mp_rational, zero=zero, one=one)
        jacobian = mpmath.matrix(system.evaluate_jacobian(point, coerce=mp_rational, zero=zero, one=one))
        try:
            step = mpmath.lu_solve(jacobian, mpmath.matrix(values))
        except ZeroDivisionError:
            break  # singular Jacobian: Newton cannot continue; reported as not converged
        point = [x - step[i] for i, x in enumerate(point)]
        last_step = _max_norm(step)
        scale = max(mpmath.mpf(1), _max_norm(point))
        if last_step <= tolerance * scale:
            converged = True
            break
    residual = _max_norm(system.evaluate(point, coerce=mp_rational, zero=zero, one=one))
    return Refinement(tuple(point), residual, last_step, iterations, converged)
