"""Certification of critical points: Krawczyk's test on the exact rational gradient system.

For each approximate solution ``x~`` the Krawczyk operator

    K(X) = x~ - Y F(x~) + (I - Y DF(X)) (X - x~),    Y ~ DF(x~)^{-1},

is enclosed in interval (ball) arithmetic over a box ``X`` centred at ``x~``. If
``K(X)`` lies in the interior of ``X``, then ``F`` has exactly one zero in ``X``
(Krawczyk 1969, Moore 1977, Rump 1983; as HomotopyContinuation.jl's ``certify``).
``F`` is the exact gradient system (:attr:`CriticalPointSystem.polynomial_system`),
each coefficient converted to a ball that *encloses* the exact ``Fraction``.

From the boxes (all data exact rationals, so every comparison is exact):

* **real**: a box whose centre is real is mapped to itself by complex conjugation;
  ``F`` has real coefficients, so the conjugate of its unique zero in the box is a
  zero in the box, hence equals it: the zero is real. A box that misses the real
  axis proves the zero is not real.
* **distinct**: pairwise disjoint boxes hold different zeros. Overlapping boxes are
  the same zero when Krawczyk's test passes on a box containing both.
* **Hessian index** (real zeros): with ``Q`` the approximate eigenvectors of the
  Hessian at ``x~``, ``M = Q^T DF(X) Q`` is enclosed; if every matrix in that
  enclosure is strictly diagonally dominant, the Hessian at the zero is nonsingular
  and, by Sylvester's law of inertia (congruence by the then nonsingular ``Q``), its
  index is the number of negative diagonal entries of ``M``.

A test that does not pass gives ``not proven`` with a :class:`NotProvenReason`;
it never means "false". See docs/certification.md.

>>> from algeo import build_system
>>> system = build_system("1,1,1", samples=1, seed=0)
>>> result = certify_points(system, [[0, 0]], digits=30)
>>> result.certificates[0].unique, result.certificates[0].realness.value, result.certificates[0].hessian_index
(True, 'real', 1)
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import mpmath

from ..exceptions import InputError
from ..model.polynomial import PolynomialSystem
from ..results.certificate import Box, NotProvenReason, PointCertificate, Realness
from ..results.solve_result import to_fraction

__all__ = [
    "Realness",
    "NotProvenReason",
    "Box",
    "PointCertificate",
    "Certification",
    "certify_points",
    "krawczyk_test",
    "BACKENDS",
    "DEFAULT_BACKEND",
]

logger = logging.getLogger(__name__)

BACKENDS = ("arb", "mpmath")
#: measured faster at the same rigour (docs/certification.md)
DEFAULT_BACKEND = "arb"


@dataclass(frozen=True)
class Certification:
    """Certificates of a list of points, with how they were made."""

    certificates: tuple[PointCertificate, ...]
    backend: str
    digits: int
    precision_bits: int
    seconds: float

    @property
    def counts(self) -> dict[str, int]:
        """``certified`` points; among distinct zeros: ``_real``, ``_not_real``, ``_distinct``, ``_minima``."""
        roots = [c for c in self.certificates if c.unique and c.same_root_as is None]
        return {
            "certified": sum(c.unique for c in self.certificates),
            "certified_real": sum(c.realness is Realness.REAL for c in roots),
            "certified_not_real": sum(c.realness is Realness.NOT_REAL for c in roots),
            "certified_distinct": sum(c.distinct for c in roots),
            "certified_minima": sum(c.is_local_minimum and c.distinct for c in roots),
        }

    def to_json(self) -> dict:
        return {"backend": self.backend, "digits": self.digits, "precision_bits": self.precision_bits,
                "seconds": round(self.seconds, 3), "counts": self.counts}


def _arithmetic(backend: str, bits: int):
    if backend == "arb":
        from ._arb_arithmetic import ArbArithmetic

        return ArbArithmetic(bits)
    if backend == "mpmath":
        from ._iv_arithmetic import IntervalArithmetic

        return IntervalArithmetic(bits)
    raise InputError("backend", f"is {backend!r}", f"use one of {', '.join(BACKENDS)}")


_fraction = to_fraction  # an OverflowError (NonFiniteError) for +-inf and NaN


def _exact_center(point: Sequence) -> tuple[tuple[Fraction, Fraction], ...]:
    """Coordinates (``mpc``/``mpf``/complex/float/``Fraction``/decimal strings) as exact rational pairs."""
    center = []
    for z in point:
        if hasattr(z, "_mpc_"):
            center.append((_fraction(z.real), _fraction(z.imag)))
        elif isinstance(z, complex):
            center.append((Fraction(z.real), Fraction(z.imag)))
        else:
            center.append((_fraction(z), Fraction(0)))
    return tuple(center)


def _power_of_two_at_least(value) -> Fraction:
    """The least power of two ``>= value`` (exact; ``value`` a positive Fraction, mpf, int or float)."""
    value = _fraction(value)
    if value <= 0:
        raise ValueError("a box radius must be positive")
    exponent = value.numerator.bit_length() - value.denominator.bit_length()
    while Fraction(2) ** exponent < value:
        exponent += 1
    while Fraction(2) ** (exponent - 1) >= value:
        exponent -= 1
    return Fraction(2) ** exponent


def _approximate_inverse(system: PolynomialSystem, center, digits: int):
    """``DF(c)^{-1}`` in floating point (mpmath) and the Newton step ``||Y F(c)||``; None if singular."""
    with mpmath.workdps(digits + 10):
        point = [mpmath.mpc(mpmath.mpf(re.numerator) / re.denominator, mpmath.mpf(im.numerator) / im.denominator)
                 for re, im in center]
        coerce = lambda q: mpmath.mpf(q.numerator) / q.denominator  # noqa: E731
        jacobian = mpmath.matrix(system.evaluate_jacobian(point, coerce=coerce, zero=mpmath.mpc(0), one=mpmath.mpc(1)))
        try:
            inverse = mpmath.inverse(jacobian)
        except ZeroDivisionError:
            return None, None
        values = system.evaluate(point, coerce=coerce, zero=mpmath.mpc(0), one=mpmath.mpc(1))
        step = inverse * mpmath.matrix(values)
        if not all(mpmath.isfinite(x) for x in step) or not all(mpmath.isfinite(x) for x in inverse):
            return None, None
        newton_step = max((abs(x) for x in step), default=mpmath.mpf(0))
        inverse = [[(_fraction(inverse[i, j].real), _fraction(inverse[i, j].imag)) for j in range(jacobian.cols)]
                   for i in range(jacobian.rows)]
    return inverse, newton_step


def _krawczyk_contains(arithmetic, system: PolynomialSystem, box: Box, inverse) -> bool:
    """Whether the enclosure of ``K(X)`` lies in the interior of ``X`` (``arithmetic.precision()`` active)."""
    a = arithmetic
    n = len(box.center)
    center = [a.complex(re, im) for re, im in box.center]
    X = [a.complex_box(re, im, box.radius) for re, im in box.center]
    offset = a.complex_box(Fraction(0), Fraction(0), box.radius)  # X - x~
    Y = [[a.complex(re, im) for re, im in row] for row in inverse]
    F = system.evaluate(center, coerce=a.complex_rational, zero=a.complex_zero, one=a.complex_one)
    J = system.evaluate_jacobian(X, coerce=a.complex_rational, zero=a.complex_zero, one=a.complex_one)
    for i in range(n):
        k = a.complex_zero
        for j in range(n):
            k = k - Y[i][j] * F[j]
        for j in range(n):
            entry = a.complex_one if i == j else a.complex_zero
            for m in range(n):
                entry = entry - Y[i][m] * J[m][j]
            k = k + entry * offset
        try:
            (re_low, re_high), (im_low, im_high) = a.complex_bounds(k)
        except (ValueError, OverflowError, ArithmeticError):  # an unbounded enclosure
            return False
        if not (-box.radius < re_low and re_high < box.radius and -box.radius < im_low and im_high < box.radius):
            return False
    return True


def krawczyk_test(system, center: Sequence, radius: Fraction, *, digits: int = 40,
                  backend: str = DEFAULT_BACKEND) -> bool:
    """Whether Krawczyk's test proves a unique zero of ``system`` in the box ``center ± radius``.

    ``False`` means *not proven*, not "no zero". ``system`` is a
    :class:`~algeo.model.system.CriticalPointSystem` or a :class:`PolynomialSystem`.
    """
    polynomials = getattr(system, "polynomial_system", system)
    box = Box(_exact_center(center), Fraction(radius))
    inverse, _ = _approximate_inverse(polynomials, box.center, digits)
    if inverse is None:
        return False
    arithmetic = _arithmetic(backend, _bits(digits))
    with arithmetic.precision():
        return _krawczyk_contains(arithmetic, polynomials, box, inverse)


def _bits(digits: int) -> int:
    return math.ceil(digits * math.log2(10)) + 64


def _certify_one(arithmetic, system: PolynomialSystem, center, digits: int, max_relative_radius: float):
    """Try growing boxes around ``center``; returns ``(box or None, reason or None)``."""
    inverse, newton_step = _approximate_inverse(system, center, digits)
    if inverse is None:
        return None, NotProvenReason.JACOBIAN_SINGULAR
    scale = max(Fraction(1), max(max(abs(re), abs(im)) for re, im in center))
    largest = _power_of_two_at_least(scale * _fraction(max_relative_radius))
    smallest = scale / 2 ** math.ceil(digits * math.log2(10) / 2)  # about 10^(-digits/2), relative
    radius = _power_of_two_at_least(max(_fraction(newton_step) * 2 ** 8, smallest))
    if radius > largest:
        return None, NotProvenReason.NEWTON_STEP_TOO_LARGE
    while radius <= largest:
        box = Box(center, radius)
        if _krawczyk_contains(arithmetic, system, box, inverse):
            return box, None
        radius *= 2 ** 16
    return None, NotProvenReason.KRAWCZYK_FAILED


def _hull(first: Box, second: Box) -> Box:
    center = tuple(((a + c) / 2, (b + d) / 2) for (a, b), (c, d) in zip(first.center, second.center))
    reach = max(max(abs(a - c), abs(b - d)) for (a, b), (c, d) in zip(first.center, second.center)) / 2
    return Box(center, _power_of_two_at_least(reach + max(first.radius, second.radius)))


def _hessian_index(arithmetic, system: PolynomialSystem, box: Box, digits: int) -> int | None:
    """Proven index of the (real) Hessian ``DF`` at the zero in ``box``; None when not proven."""
    a = arithmetic
    n = len(box.center)
    with mpmath.workdps(digits + 10):
        midpoint = [mpmath.mpf(re.numerator) / re.denominator for re, _ in box.center]
        coerce = lambda q: mpmath.mpf(q.numerator) / q.denominator  # noqa: E731
        hessian = mpmath.matrix(system.evaluate_jacobian(midpoint, coerce=coerce, zero=mpmath.mpf(0),
                                                         one=mpmath.mpf(1)))
        symmetric = (hessian + hessian.T) / 2
        _, vectors = mpmath.eigsy(symmetric)
        Q = [[a.real(_fraction(vectors[i, j])) for j in range(n)] for i in range(n)]
    X = [a.real_box(re, box.radius) for re, _ in box.center]  # the zero is real: it lies in the real part
    H = system.evaluate_jacobian(X, coerce=a.real, zero=a.real_zero, one=a.real_one)
    QtH = [[_dot([Q[k][i] for k in range(n)], [H[k][j] for k in range(n)], a.real_zero) for j in range(n)]
           for i in range(n)]
    M = [[_dot(QtH[i], [Q[k][j] for k in range(n)], a.real_zero) for j in range(n)] for i in range(n)]
    negative = 0
    for i in range(n):
        try:
            low, high = a.real_bounds(M[i][i])
            off_diagonal = sum(max(abs(x) for x in a.real_bounds(M[i][j])) for j in range(n) if j != i)
        except (ValueError, OverflowError, ArithmeticError):
            return None
        if low > off_diagonal:
            continue
        if -high > off_diagonal:
            negative += 1
            continue
        return None
    return negative


def _dot(left, right, zero):
    total = zero
    for x, y in zip(left, right):
        total = total + x * y
    return total


def certify_points(
    system,
    points: Sequence[Sequence],
    *,
    digits: int,
    real: Sequence[bool] | None = None,
    backend: str = DEFAULT_BACKEND,
    max_relative_radius: float = 2.0 ** -20,
) -> Certification:
    """Certify approximate zeros of the exact gradient system (Krawczyk's test in interval arithmetic).

    Parameters
    ----------
    system : :class:`~algeo.model.system.CriticalPointSystem` (or its :class:`PolynomialSystem`)
    points : approximate zeros, coordinates as ``mpmath`` numbers, complex, ``Fraction``
        or strings; refine them first (``algeo.verify.refine``) at ``digits`` digits.
    digits : precision of the refined points; interval arithmetic runs at
        ``digits * log2(10) + 64`` bits.
    real : which points are reported real; their box is centred at the real part, so
        a passing test also proves realness. Default: points with zero imaginary part.
    backend : ``"arb"`` (python-flint) or ``"mpmath"`` (``mpmath.iv``).
    max_relative_radius : largest box radius tried, relative to ``max(1, ||x||)``.

    Returns
    -------
    Certification
        One :class:`PointCertificate` per input point, in order; none is dropped.
    """
    if not isinstance(digits, int) or digits < 10:
        raise InputError("digits", f"is {digits!r}; use an integer of at least 10")
    polynomials = getattr(system, "polynomial_system", system)
    started = time.monotonic()
    centers = [_exact_center(point) for point in points]
    if real is None:
        real = [all(im == 0 for _, im in center) for center in centers]
    if len(real) != len(centers):
        raise InputError("real", f"has {len(real)} flags for {len(centers)} points")
    centers = [tuple((re, Fraction(0)) for re, _ in c) if is_real else c for c, is_real in zip(centers, real)]
    arithmetic = _arithmetic(backend, _bits(digits))
    boxes: list[Box | None] = []
    realness: list[Realness] = []
    reasons: list[list[NotProvenReason]] = []
    with arithmetic.precision():
        for center in centers:
            box, reason = _certify_one(arithmetic, polynomials, center, digits, max_relative_radius)
            proven = Realness.NOT_PROVEN
            if box is not None:  # may replace the box by a conjugation-symmetric one holding the same zero
                proven, box = _realness(arithmetic, polynomials, box, digits)
            boxes.append(box)
            realness.append(proven)
            reasons.append([reason] if reason else [])
            if box is not None and proven is Realness.NOT_PROVEN:
                reasons[-1].append(NotProvenReason.BOX_MEETS_REAL_AXIS)
        same_root, overlapping = _compare_boxes(arithmetic, polynomials, boxes, digits)
        certificates = []
        for i, box in enumerate(boxes):
            index = None
            if realness[i] is Realness.REAL:
                index = _hessian_index(arithmetic, polynomials, box, digits)
                if index is None:
                    reasons[i].append(NotProvenReason.HESSIAN_NOT_PROVEN_NONSINGULAR)
            if i in overlapping:
                reasons[i].append(NotProvenReason.OVERLAPPING_BOXES)
            certificates.append(PointCertificate(
                index=i, unique=box is not None, box=box, realness=realness[i],
                distinct=box is not None and i not in overlapping, same_root_as=same_root.get(i),
                hessian_index=index, reasons=tuple(reasons[i])))
    return Certification(tuple(certificates), arithmetic.name, digits, arithmetic.bits, time.monotonic() - started)


def _realness(arithmetic, system: PolynomialSystem, box: Box, digits: int) -> tuple[Realness, Box]:
    if box.is_conjugation_symmetric:
        return Realness.REAL, box
    if not box.meets_real_axis:
        return Realness.NOT_REAL, box
    # a nearly real centre: try the conjugation-symmetric box around its real part
    largest_imaginary = max(abs(im) for _, im in box.center)
    symmetric = Box(tuple((re, Fraction(0)) for re, _ in box.center),
                    _power_of_two_at_least(box.radius + largest_imaginary))
    inverse, _ = _approximate_inverse(system, symmetric.center, digits)
    if inverse is not None and _krawczyk_contains(arithmetic, system, symmetric, inverse):
        return Realness.REAL, symmetric
    return Realness.NOT_PROVEN, box


def _compare_boxes(arithmetic, system, boxes: list[Box | None], digits: int) -> tuple[dict[int, int], set[int]]:
    """Overlapping certified boxes: the same zero (``same_root``) or not proven distinct (``overlapping``).

    A sweep over the real part of the first coordinate finds candidate pairs.
    """
    order = sorted((i for i, box in enumerate(boxes) if box is not None),
                   key=lambda i: boxes[i].center[0][0] - boxes[i].radius)
    same_root: dict[int, int] = {}
    overlapping: set[int] = set()
    active: list[int] = []
    for i in order:
        low = boxes[i].center[0][0] - boxes[i].radius
        active = [j for j in active if boxes[j].center[0][0] + boxes[j].radius >= low]
        for j in active:
            if not boxes[i].overlaps(boxes[j]):
                continue
            first, second = min(i, j), max(i, j)
            hull = _hull(boxes[first], boxes[second])
            inverse, _ = _approximate_inverse(system, hull.center, digits)
            if inverse is not None and _krawczyk_contains(arithmetic, system, hull, inverse):
                root = same_root.get(first, first)
                same_root[second] = min(root, same_root.get(second, root))
            else:
                overlapping.update((i, j))
        active.append(i)
    return same_root, overlapping
