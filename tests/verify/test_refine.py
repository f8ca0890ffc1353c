"""Newton refinement (algeo.verify.refine): python-flint and mpmath give the same digits."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest

from algeo.model.polynomial import Polynomial, PolynomialSystem
from algeo.verify.refine import mp_context, refine_point

# x^2 - 2 = 0, y^3 - x = 0 (x = sqrt 2, y = 2^(1/6)), and x^2 - 2 = 0, x*y - 1 = 0
SYSTEM = PolynomialSystem.from_polynomials([
    Polynomial((((2, 0), Fraction(1)), ((0, 0), Fraction(-2))), 2),
    Polynomial((((0, 3), Fraction(1)), ((1, 0), Fraction(-1))), 2),
])
SINGULAR = PolynomialSystem.from_polynomials([  # x^2 = 0, y - 1 = 0: a double root at x = 0
    Polynomial((((2, 0), Fraction(1)),), 2),
    Polynomial((((0, 1), Fraction(1)), ((0, 0), Fraction(-1))), 2),
])


@pytest.mark.parametrize("arithmetic", ["flint", "mpmath"])
@pytest.mark.parametrize("real", [False, True])
def test_newton_reaches_the_working_precision_in_either_arithmetic(arithmetic, real):
    with mp_context(60):
        refined = refine_point(SYSTEM, [1.4142135 + 1e-9j, 1.122462 - 1e-9j], digits=60, real=real,
                               arithmetic=arithmetic)
        assert refined.converged
        x, y = refined.point
        assert abs(x - mpmath.sqrt(2)) < mpmath.mpf(10) ** -55
        assert abs(y - mpmath.root(2, 6)) < mpmath.mpf(10) ** -55
        assert refined.residual < mpmath.mpf(10) ** -55
        assert isinstance(x, mpmath.mpf if real else mpmath.mpc)


def test_the_two_arithmetics_agree_and_a_bad_name_is_refused():
    with mp_context(40):
        a = refine_point(SYSTEM, [1.4 + 0.1j, 1.1], digits=40, arithmetic="flint")
        b = refine_point(SYSTEM, [1.4 + 0.1j, 1.1], digits=40, arithmetic="mpmath")
        assert a.iterations == b.iterations
        assert max(abs(u - v) for u, v in zip(a.point, b.point)) < mpmath.mpf(10) ** -38
        with pytest.raises(ValueError, match="arithmetic"):
            refine_point(SYSTEM, [1.4, 1.1], digits=40, arithmetic="double")


@pytest.mark.parametrize("arithmetic", ["flint", "mpmath"])
def test_a_double_root_is_not_reported_as_converged_at_full_precision(arithmetic):
    with mp_context(40):
        refined = refine_point(SINGULAR, [1e-3, 1.0], digits=40, arithmetic=arithmetic, max_iterations=20)
        assert not refined.converged  # linear convergence: 20 halvings do not reach 1e-35


def _double_jacobians(system):
    import numpy

    return lambda points: numpy.array([system.evaluate_jacobian(list(p)) for p in points], dtype=complex)


def test_quasi_newton_with_double_jacobians_reaches_the_same_digits_as_newton():
    from algeo.verify.refine import refine_points_quasi

    starts = [[1.4142135 + 1e-9j, 1.122462 - 1e-9j], [-1.4142135, -1.1224620 + 1e-8j]]  # the second: y^3 = -sqrt 2
    with mp_context(60):
        quasi = refine_points_quasi(SYSTEM, starts, _double_jacobians(SYSTEM), digits=60)
        for start, refined in zip(starts, quasi):
            full = refine_point(SYSTEM, start, digits=60)
            assert refined.converged and refined.residual < mpmath.mpf(10) ** -55
            assert max(abs(u - v) for u, v in zip(refined.point, full.point)) < mpmath.mpf(10) ** -55
            assert refined.iterations <= 6  # about 15 digits per step from 1e-9 to 1e-55


def test_a_point_quasi_newton_cannot_converge_goes_to_newton_and_keeps_its_verdict():
    from algeo.verify.refine import refine_points_quasi

    with mp_context(40):
        [refined] = refine_points_quasi(SINGULAR, [[1e-3, 1.0]], _double_jacobians(SINGULAR), digits=40,
                                        max_iterations=3)
        expected = refine_point(SINGULAR, [1e-3, 1.0], digits=40)
        assert not refined.converged and refined.iterations == expected.iterations  # the full Newton's result
