"""An unbounded interval enclosure is "not proven", never the point interval [0, 0].

``mpmath.libmp.to_rational`` maps ``+-inf`` to 0, so reading the end points of ``[-inf, +inf]``
naively gives ``[0, 0]``, which lies inside every Krawczyk box: a false proof. Both backends
must raise instead, and Krawczyk's test must then say "not proven".
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest

from algeo.model.polynomial import Polynomial, PolynomialSystem
from algeo.verify.certify import BACKENDS, Box, _approximate_inverse, _arithmetic, _krawczyk_contains

SQUARE_ROOT_OF_TWO = PolynomialSystem.from_polynomials([Polynomial((((2,), Fraction(1)), ((0,), Fraction(-2))), 1)])
CENTER = ((Fraction("1.41421356237309504880168872420969807856967187537694807317667973799"), Fraction(0)),)


def _unbounded(arithmetic):
    if arithmetic.name == "mpmath":
        return mpmath.iv.mpf([-mpmath.inf, mpmath.inf])
    return arithmetic.flint.arb(0, arithmetic.flint.arb("inf"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_reading_an_unbounded_enclosure_raises(backend):
    arithmetic = _arithmetic(backend, 200)
    with arithmetic.precision():
        unbounded = _unbounded(arithmetic)
        with pytest.raises((OverflowError, ValueError)):
            arithmetic.real_bounds(unbounded)
        with pytest.raises((OverflowError, ValueError)):
            arithmetic.complex_bounds(arithmetic.complex_zero + unbounded)
        assert arithmetic.real_bounds(arithmetic.real(Fraction(1, 3)))[0] <= Fraction(1, 3)  # finite: still read


def test_mpmath_half_infinite_and_nan_end_points_raise():
    arithmetic = _arithmetic("mpmath", 200)
    with arithmetic.precision():
        for value in (mpmath.iv.mpf([0, mpmath.inf]), mpmath.iv.mpf([-mpmath.inf, 0]),
                      mpmath.iv.mpf([-mpmath.inf, mpmath.inf]) * 0):
            with pytest.raises(OverflowError, match="unbounded"):
                arithmetic.real_bounds(value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_krawczyk_with_an_unbounded_enclosure_is_not_proven(backend):
    arithmetic = _arithmetic(backend, 200)
    inverse, _ = _approximate_inverse(SQUARE_ROOT_OF_TWO, CENTER, 40)
    box = Box(CENTER, Fraction(1, 10 ** 10))
    with arithmetic.precision():
        assert _krawczyk_contains(arithmetic, SQUARE_ROOT_OF_TWO, box, inverse)  # the honest enclosure proves it

    class Widened(type(arithmetic)):
        """Every coefficient enclosed by an unbounded interval (as after an overflow)."""

        def _complex_rational(self, value):
            return self.complex_zero + _unbounded(self)

    widened = Widened(200)
    with widened.precision():
        assert not _krawczyk_contains(widened, SQUARE_ROOT_OF_TWO, box, inverse)


def test_interval_proof_of_a_minimum_reports_an_unbounded_enclosure_as_not_proven(monkeypatch):
    from algeo.checks import proof

    loss = Polynomial((((3,), Fraction(1, 3)), ((1,), Fraction(-2))), 1)  # derivative x^2 - 2
    point = [CENTER[0][0]]
    assert proof.prove_non_global_minimum(SQUARE_ROOT_OF_TWO, loss, point, [Fraction(-100)])["proven"] is True
    monkeypatch.setattr(proof, "_enclose", lambda value: mpmath.iv.mpf([-mpmath.inf, mpmath.inf]))
    outcome = proof.prove_non_global_minimum(SQUARE_ROOT_OF_TWO, loss, point, [Fraction(-100)])
    assert outcome["proven"] is False and "unbounded" in outcome["step"]
