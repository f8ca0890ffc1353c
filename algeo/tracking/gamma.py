"""The seeded ``gamma`` constants of every homotopy algeo tracks."""

from __future__ import annotations

import cmath
import random

__all__ = ["homotopy_gamma"]


def homotopy_gamma(seed: int, attempt: int = 0) -> complex:
    """The ``gamma`` of attempt ``attempt`` for an instance seed: a seeded point on the unit circle.

    >>> abs(abs(homotopy_gamma(3, 1)) - 1) < 1e-15, homotopy_gamma(3, 1) == homotopy_gamma(3, 1)
    (True, True)
    """
    angle = random.Random(f"algeo-gamma-{seed}-{attempt}").uniform(0.1, 2 * cmath.pi - 0.1)
    return cmath.exp(1j * angle)
