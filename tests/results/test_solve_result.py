"""Result objects: refined values kept as numbers, exact rationals from them, text only for JSON."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest

from algeo.results.solve_result import CriticalPoint, decimal_text, to_fraction


def test_to_fraction_is_the_exact_binary_value():
    assert to_fraction(mpmath.mpf("0.375")) == Fraction(3, 8)
    assert to_fraction(mpmath.mpf(-3)) == -3
    assert to_fraction(mpmath.mpf(0)) == 0
    with mpmath.workdps(50):
        third = mpmath.mpf(1) / 3
        exact = to_fraction(third)
        assert exact != Fraction(1, 3) and abs(exact - Fraction(1, 3)) < Fraction(1, 10 ** 49)
    with pytest.raises(ValueError):
        to_fraction(mpmath.inf)


def _point(refined, digits=30):
    return CriticalPoint(index=0, coordinates=tuple(complex(z) for z in refined), refined=tuple(refined),
                         digits=digits, is_real=True, has_zero_coordinate=False, residual=0.0, newton_step=0.0,
                         converged=True, condition=1.0, singular=False, paths=(0,), max_imaginary=0.0)


def test_point_text_is_made_from_the_refined_values():
    with mpmath.workdps(40):
        root = mpmath.sqrt(2)
        point = _point([mpmath.mpc(root, 0), mpmath.mpc(0, 0)])
    assert point.coordinates_text[0][0].startswith("1.4142135623730950488016887242")
    assert point.coordinates_text[1] == ("0", "0")
    assert point.to_json()["coordinates_text"][0][1] == "0"
    assert point.exact_real_coordinates()[1] == 0
    assert abs(point.exact_real_coordinates()[0] ** 2 - 2) < Fraction(1, 10 ** 28)


def test_decimal_text_zero_and_digits():
    assert decimal_text(mpmath.mpf(0), 20) == "0"
    assert decimal_text(mpmath.mpf("0.5"), 5) == "0.50000"
