"""Interval arithmetic for :mod:`algeo.verify.certify` with ``mpmath.iv`` (outward rounding).

A ``Fraction`` becomes ``iv.mpf(p) / q``, an interval containing ``p/q``; complex
values are ``iv.mpc`` rectangles. Bounds are read back as exact ``Fraction`` endpoints; an
infinite or NaN endpoint (an unbounded enclosure) raises :class:`OverflowError`, which the
certifier reads as "not proven" (``mpmath``'s ``to_rational`` would turn ``+-inf`` into 0 and
an unbounded interval into ``[0, 0]``).
"""

from __future__ import annotations

import contextlib
from fractions import Fraction
from functools import lru_cache

import mpmath
from mpmath.libmp import finf, fnan, fninf, to_rational

__all__ = ["IntervalArithmetic"]

iv = mpmath.iv


class IntervalArithmetic:
    """Real (``iv.mpf``) and complex (``iv.mpc``) intervals at ``bits`` bits of working precision."""

    name = "mpmath"

    def __init__(self, bits: int) -> None:
        self.bits = bits
        self.real_zero, self.real_one = iv.mpf(0), iv.mpf(1)
        self.complex_zero, self.complex_one = iv.mpc(0), iv.mpc(1)
        self.real = lru_cache(maxsize=None)(self._real)
        self.complex_rational = lru_cache(maxsize=None)(self._complex_rational)

    @contextlib.contextmanager
    def precision(self):
        """Set ``mpmath.iv``'s (global) working precision to ``bits`` for the duration."""
        saved = iv.prec
        iv.prec = self.bits
        try:
            yield
        finally:
            iv.prec = saved

    def _real(self, value: Fraction):
        """An interval enclosing the rational ``value`` (outward-rounded division)."""
        return iv.mpf(value.numerator) / value.denominator

    def _complex_rational(self, value: Fraction):
        return iv.mpc(self.real(value), 0)

    def complex(self, real_part: Fraction, imaginary_part: Fraction):
        return iv.mpc(self.real(real_part), self.real(imaginary_part))

    def real_box(self, center: Fraction, radius: Fraction):
        """An interval containing ``[center - radius, center + radius]``."""
        return self.real(center) + self.real(radius) * iv.mpf([-1, 1])

    def complex_box(self, real_part: Fraction, imaginary_part: Fraction, radius: Fraction):
        return iv.mpc(self.real_box(real_part, radius), self.real_box(imaginary_part, radius))

    def real_bounds(self, value) -> tuple[Fraction, Fraction]:
        """The exact end points; raises ``OverflowError`` for an unbounded (or NaN) enclosure."""
        lower, upper = value._mpi_
        return _finite_fraction(lower), _finite_fraction(upper)

    def complex_bounds(self, value) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:
        return self.real_bounds(value.real), self.real_bounds(value.imag)


def _finite_fraction(raw) -> Fraction:
    """An mpf tuple as the exact Fraction it denotes; ``OverflowError`` for ``+-inf`` and NaN."""
    if raw in (finf, fninf, fnan):
        raise OverflowError("unbounded interval enclosure (infinite or NaN end point): not proven")
    return Fraction(*to_rational(raw))
