"""A proof, in exact rational arithmetic, that a point is a strict local minimum of the ReLU loss.

Given a refined critical point ``p`` of ``L_A`` (pattern ``A``), a radius ``r`` and the
rational point ``q`` nearest ``p`` in the decimal digits given:

1. *inside*: over the box ``B = q + [-r, r]^N`` every pre-activation ``w~_i . x~_j`` has the
   strict sign of ``A`` (exact rational interval arithmetic), so the ReLU loss equals the
   polynomial ``L_A`` on ``B``;
2. *convex*: ``H(q) - delta I`` is positive definite (exact ``LDL^T`` pivots), and the
   entrywise deviation ``|H(p) - H(q)|`` over ``B`` (interval arithmetic) has Frobenius
   norm at most ``e < delta``; so ``H >= mu I`` on ``B`` with ``mu = delta - e > 0``;
3. *critical point inside*: ``||grad L_A(q)||_2 < mu r / 2`` (exact). On the boundary of
   ``B`` (``||d||_2 >= ||d||_inf = r``), ``L_A(q + d) >= L_A(q) - ||g|| ||d|| + mu ||d||^2 / 2
   > L_A(q)``, so the minimum of ``L_A`` over ``B`` is interior: a critical point, unique
   (strict convexity), a strict local minimum of the ReLU loss, with value in
   ``[L_A(q) - ||g||^2 / (2 mu), L_A(q)]``.

A point ``z`` with an exact ReLU loss below that interval proves the minimum is not global.
Every comparison is between Fractions: nothing is rounded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from .instance import ReluArchitecture, ReluData
from .system import build_region_system, relu_loss

__all__ = ["RationalInterval", "LocalMinimumCertificate", "certify_local_minimum", "positive_definite"]


@dataclass(frozen=True)
class RationalInterval:
    """A closed interval with Fraction end points; enough arithmetic to evaluate polynomials."""

    low: Fraction
    high: Fraction

    @staticmethod
    def of(value) -> "RationalInterval":
        value = Fraction(value)
        return RationalInterval(value, value)

    def _lift(self, other) -> "RationalInterval":
        return other if isinstance(other, RationalInterval) else RationalInterval.of(other)

    def __add__(self, other):
        other = self._lift(other)
        return RationalInterval(self.low + other.low, self.high + other.high)

    __radd__ = __add__

    def __neg__(self):
        return RationalInterval(-self.high, -self.low)

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __mul__(self, other):
        other = self._lift(other)
        products = (self.low * other.low, self.low * other.high, self.high * other.low, self.high * other.high)
        return RationalInterval(min(products), max(products))

    __rmul__ = __mul__

    @property
    def magnitude(self) -> Fraction:
        return max(abs(self.low), abs(self.high))


def positive_definite(matrix: Sequence[Sequence[Fraction]]) -> bool:
    """Exact test: every pivot of the symmetric ``LDL^T`` elimination is positive.

    >>> from fractions import Fraction as F
    >>> positive_definite([[F(2), F(1)], [F(1), F(2)]]), positive_definite([[F(1), F(2)], [F(2), F(1)]])
    (True, False)
    """
    rows = [list(map(Fraction, row)) for row in matrix]
    n = len(rows)
    for k in range(n):
        pivot = rows[k][k]
        if pivot <= 0:
            return False
        for i in range(k + 1, n):
            factor = rows[i][k] / pivot
            if factor:
                for j in range(k, n):
                    rows[i][j] -= factor * rows[k][j]
    return True


@dataclass(frozen=True)
class LocalMinimumCertificate:
    """The exact checks of the module docstring and their numbers (as decimal text)."""

    point: tuple[Fraction, ...]
    radius: Fraction
    inside_region: bool
    sign_margin_lower_bound: Fraction  # min over the box of s_ij w~_i . x~_j
    delta: Fraction
    hessian_deviation_bound: Fraction  # e
    hessian_positive_definite: bool
    gradient_norm_squared: Fraction
    gradient_small: bool
    loss_upper: Fraction  # L_A(q)
    loss_lower: Fraction  # L_A(q) - ||g||^2 / (2 mu)
    lower_point: tuple[Fraction, ...] | None = None
    lower_point_loss: Fraction | None = None

    @property
    def is_local_minimum(self) -> bool:
        return self.inside_region and self.hessian_positive_definite and self.gradient_small

    @property
    def is_not_global(self) -> bool:
        return self.lower_point_loss is not None and self.lower_point_loss < self.loss_lower

    @property
    def is_spurious_local_minimum(self) -> bool:
        return self.is_local_minimum and self.is_not_global

    def to_json(self) -> dict:
        text = lambda v: None if v is None else f"{float(v):.6e}"
        return {"proven_local_minimum": self.is_local_minimum, "proven_not_global": self.is_not_global,
                "radius": str(self.radius), "inside_region": self.inside_region,
                "sign_margin_lower_bound": text(self.sign_margin_lower_bound), "delta": text(self.delta),
                "hessian_deviation_bound": text(self.hessian_deviation_bound),
                "hessian_positive_definite": self.hessian_positive_definite,
                "gradient_norm_squared": text(self.gradient_norm_squared), "gradient_small": self.gradient_small,
                "loss_interval": [text(self.loss_lower), text(self.loss_upper)],
                "lower_point": None if self.lower_point is None else [str(v) for v in self.lower_point],
                "lower_point_loss": text(self.lower_point_loss)}


def _upper_sqrt(value: Fraction) -> Fraction:
    guess = Fraction(math.sqrt(float(value))) * Fraction(1000001, 1000000) + Fraction(1, 10**300)
    while guess * guess < value:
        guess *= 2
    return guess


def certify_local_minimum(architecture: ReluArchitecture, data: ReluData, pattern, Lambda: Sequence[Fraction],
                          point: Sequence, *, radius: Fraction = Fraction(1, 10**6),
                          lower_point: Sequence | None = None) -> LocalMinimumCertificate:
    """Run the checks; ``point`` holds decimal strings or Fractions, ``lower_point`` likewise."""
    q = tuple(Fraction(str(v)) if not isinstance(v, Fraction) else v for v in point)
    system = build_region_system(architecture, data, pattern, Lambda).polynomial_system
    box = [RationalInterval(v - radius, v + radius) for v in q]
    m = architecture.neuron_dimension
    margin = None
    for i in range(architecture.d1):
        for j, x in enumerate(data.augmented_inputs(architecture.bias)):
            value = sum((c * w for c, w in zip(x, box[i * m:(i + 1) * m])), RationalInterval.of(0))
            signed = value if pattern[i][j] else -value
            margin = signed.low if margin is None else min(margin, signed.low)
    inside = margin > 0
    hessian = system.evaluate_jacobian(q, coerce=Fraction, zero=Fraction(0), one=Fraction(1))
    enclosure = system.evaluate_jacobian(box, coerce=RationalInterval.of, zero=RationalInterval.of(0),
                                         one=RationalInterval.of(1))
    deviation_squared = sum(max(abs(cell.low - h), abs(cell.high - h)) ** 2
                            for row, hrow in zip(enclosure, hessian) for cell, h in zip(row, hrow))
    deviation = _upper_sqrt(deviation_squared) if deviation_squared else Fraction(0)
    import numpy

    smallest = float(min(numpy.linalg.eigvalsh(numpy.array([[float(v) for v in row] for row in hessian]))))
    delta = Fraction(smallest / 2).limit_denominator(10**12) if smallest > 0 else Fraction(0)
    shifted = [[h - (delta if a == b else 0) for b, h in enumerate(row)] for a, row in enumerate(hessian)]
    definite = delta > 0 and positive_definite(shifted) and deviation < delta
    mu = delta - deviation
    gradient = system.evaluate(q, coerce=Fraction, zero=Fraction(0), one=Fraction(1))
    g2 = sum(v * v for v in gradient)
    small = definite and g2 < (mu * radius / 2) ** 2
    loss_upper = relu_loss(architecture, data, q, Lambda)
    loss_lower = loss_upper - g2 / (2 * mu) if mu > 0 else loss_upper
    lower = lower_loss = None
    if lower_point is not None:
        lower = tuple(Fraction(str(v)) if not isinstance(v, Fraction) else v for v in lower_point)
        lower_loss = relu_loss(architecture, data, lower, Lambda)
    return LocalMinimumCertificate(q, radius, inside, margin, delta, deviation, definite, g2, small, loss_upper,
                                   loss_lower, lower, lower_loss)
