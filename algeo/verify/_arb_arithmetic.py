"""Ball arithmetic for :mod:`algeo.verify.certify` with python-flint's ``arb``/``acb`` (Arb).

Every conversion encloses the exact rational it is given: a ``Fraction`` becomes
``arb(fmpq(p, q))`` at the working precision (a ball containing ``p/q``), never a
rounded point. Bounds are read back as exact ``Fraction`` endpoints.
"""

from __future__ import annotations

import contextlib
from fractions import Fraction
from functools import lru_cache

__all__ = ["ArbArithmetic"]


def _flint():
    try:
        import flint
    except ImportError as error:  # pragma: no cover - python-flint is a dependency
        from ..exceptions import BackendUnavailableError

        raise BackendUnavailableError("certification backend 'arb' needs python-flint: pip install python-flint") \
            from error
    return flint


def _exact_fraction(value) -> Fraction:
    """An exact ``arb`` (zero radius) as a Fraction."""
    mantissa, exponent = value.man_exp()
    mantissa, exponent = int(mantissa), int(exponent)
    return Fraction(mantissa * 2 ** exponent) if exponent >= 0 else Fraction(mantissa, 2 ** -exponent)


class ArbArithmetic:
    """Real (``arb``) and complex (``acb``) balls at ``bits`` bits of working precision."""

    name = "arb"

    def __init__(self, bits: int) -> None:
        self.flint = _flint()
        self.bits = bits
        self.real_zero, self.real_one = self.flint.arb(0), self.flint.arb(1)
        self.complex_zero, self.complex_one = self.flint.acb(0), self.flint.acb(1)
        self.real = lru_cache(maxsize=None)(self._real)
        self.complex_rational = lru_cache(maxsize=None)(self._complex_rational)

    @contextlib.contextmanager
    def precision(self):
        """Set Arb's (global) working precision to ``bits`` for the duration."""
        saved = self.flint.ctx.prec
        self.flint.ctx.prec = self.bits
        try:
            yield
        finally:
            self.flint.ctx.prec = saved

    def _real(self, value: Fraction):
        """A ball enclosing the rational ``value``."""
        return self.flint.arb(self.flint.fmpq(value.numerator, value.denominator))

    def _complex_rational(self, value: Fraction):
        return self.flint.acb(self.real(value))

    def complex(self, real_part: Fraction, imaginary_part: Fraction):
        return self.flint.acb(self.real(real_part), self.real(imaginary_part))

    def real_box(self, center: Fraction, radius: Fraction):
        """A ball containing ``[center - radius, center + radius]``."""
        return self.real(center) + self.flint.arb(0, self.real(radius))

    def complex_box(self, real_part: Fraction, imaginary_part: Fraction, radius: Fraction):
        return self.flint.acb(self.real_box(real_part, radius), self.real_box(imaginary_part, radius))

    def real_bounds(self, value) -> tuple[Fraction, Fraction]:
        return _exact_fraction(value.lower()), _exact_fraction(value.upper())

    def complex_bounds(self, value) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:
        return self.real_bounds(value.real), self.real_bounds(value.imag)
