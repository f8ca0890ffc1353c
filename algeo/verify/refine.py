"""Newton refinement at high precision on the *exact* rational system.

Coefficients are converted from ``Fraction`` at the working precision, never read
back from solver text. Real points are refined in real arithmetic so their
imaginary parts are exactly zero.

Two arithmetics give the same iteration (same stopping rule, same outputs as mpmath
numbers): python-flint's ``acb``/``arb`` (the default when installed; the polynomial
system's coefficients are converted once per precision, the linear solves run in
C) and mpmath (the fallback, and ``arithmetic="mpmath"``). Balls are only a fast
multiprecision float here: every iterate is cut to its midpoint, and nothing is
claimed about the radii (certification is :mod:`algeo.verify.certify`'s job).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import mpmath

from ..model.polynomial import PolynomialSystem, power_table

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
    arithmetic: str = "auto",
) -> Refinement:
    """Newton's method at ``digits`` digits from ``start``; stops when the step is below ``10^(5-digits)``.

    Must be called inside ``mp_context(digits)`` (or equivalent ``mpmath.mp.dps``): the
    returned numbers are mpmath numbers at that precision. ``arithmetic`` is ``"auto"``
    (python-flint when installed, else mpmath), ``"flint"`` or ``"mpmath"``.
    """
    if arithmetic not in ("auto", "flint", "mpmath"):
        raise ValueError(f"arithmetic must be auto, flint or mpmath, not {arithmetic!r}")
    if arithmetic != "mpmath":
        newton = _ball_newton(system, digits, real, required=arithmetic == "flint")
        if newton is not None:
            return newton.refine(start, max_iterations)
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


def _flint():
    try:
        import flint
    except ImportError:  # python-flint is a dependency; mpmath is the fallback
        return None
    return flint


_NEWTON_CACHE: dict = {}


def _ball_newton(system: PolynomialSystem, digits: int, real: bool, *, required: bool) -> "_BallNewton | None":
    flint = _flint()
    if flint is None:
        if required:
            raise ImportError("arithmetic='flint' needs python-flint: pip install python-flint")
        return None
    key = (id(system), digits, real)
    cached = _NEWTON_CACHE.get(key)
    if cached is None or cached.system is not system:
        if len(_NEWTON_CACHE) > 32:
            _NEWTON_CACHE.clear()
        cached = _NEWTON_CACHE[key] = _BallNewton(flint, system, digits, real)
    return cached


class _BallNewton:
    """The iteration of :func:`refine_point` in python-flint arithmetic, coefficients converted once."""

    def __init__(self, flint, system: PolynomialSystem, digits: int, real: bool):
        self.flint, self.system, self.digits, self.real = flint, system, digits, real
        self.precision = int(digits * 3.33) + 24
        with flint.ctx.workprec(self.precision):
            number = flint.arb if real else flint.acb
            self.zero, self.one = number(0), number(1)
            convert = lambda c: number(flint.fmpq(c.numerator, c.denominator))
            compile_ = lambda polynomial: [(convert(c), [(i, k) for i, k in enumerate(e) if k]) for e, c in polynomial.terms]
            self.values = [compile_(p) for p in system.polynomials]
            self.jacobian = [[compile_(entry) for entry in row] for row in system.jacobian]
            self.matrix = flint.arb_mat if real else flint.acb_mat
        self.degree = system.max_degree

    def _evaluate(self, compiled, powers):
        total = self.zero
        for coefficient, factors in compiled:
            value = coefficient
            for i, k in factors:
                value = value * powers[i][k]
            total += value
        return total

    def _to_mpmath(self, value):
        return _arb_to_mpf(value) if self.real else mpmath.mpc(_arb_to_mpf(value.real), _arb_to_mpf(value.imag))

    def _max_norm(self, values) -> float:
        return max((float(abs(v).mid()) for v in values), default=0.0)

    def refine(self, start: Sequence[complex], max_iterations: int) -> Refinement:
        flint = self.flint
        with flint.ctx.workprec(self.precision):
            number = flint.arb if self.real else flint.acb
            point = [number(z.real) if self.real else flint.acb(z.real, z.imag) for z in start]
            tolerance = 10.0 ** (5 - self.digits)
            last_step, converged, iterations = mpmath.inf, False, 0
            for iterations in range(1, max_iterations + 1):
                powers = power_table(point, self.degree, self.one)
                values = self.matrix([[self._evaluate(p, powers)] for p in self.values])
                jacobian = self.matrix([[self._evaluate(entry, powers) for entry in row] for row in self.jacobian])
                try:
                    step = jacobian.solve(values, algorithm="approx")
                except ZeroDivisionError:
                    break  # singular Jacobian: Newton cannot continue; reported as not converged
                steps = [step[i, 0] for i in range(len(point))]
                if not all(s.is_finite() for s in steps):
                    break
                point = [(x - s).mid() for x, s in zip(point, steps)]
                last_step = _arb_to_mpf(max((abs(s).mid() for s in steps), default=flint.arb(0)))
                scale = max(1.0, self._max_norm(point))
                if float(last_step) <= tolerance * scale:
                    converged = True
                    break
            powers = power_table(point, self.degree, self.one)
            residual_balls = [self._evaluate(p, powers) for p in self.values]
            residual = max((abs(v).mid() for v in residual_balls), default=flint.arb(0))
            result_point = tuple(self._to_mpmath(x) for x in point)
        return Refinement(result_point, _arb_to_mpf(residual), last_step, iterations, converged)


def _arb_to_mpf(ball):
    man, exp = ball.mid().man_exp()
    return mpmath.mpf((int(man), int(exp)))
