"""The seeded ``gamma`` constants of every homotopy algeo tracks."""

from __future__ import annotations

import cmath
import random

__all__ = ["homotopy_gamma", "path_gamma"]


def homotopy_gamma(seed: int, attempt: int = 0) -> complex:
    """The ``gamma`` of attempt ``attempt`` for an instance seed: a seeded point on the unit circle.

    >>> abs(abs(homotopy_gamma(3, 1)) - 1) < 1e-15, homotopy_gamma(3, 1) == homotopy_gamma(3, 1)
    (True, True)
    """
    angle = random.Random(f"algeo-gamma-{seed}-{attempt}").uniform(0.1, 2 * cmath.pi - 0.1)
    return cmath.exp(1j * angle)


def path_gamma(seed: int, attempt: int = 0) -> complex:
    """The ``gamma`` of one parameter-homotopy path (start set to instance): angle in ``±[0.3, 2 pi / 3]``.

    Near ``-1`` the affine gamma path's weight ``(1 - t) gamma + t`` nearly vanishes at
    ``t = 1/2`` and its parameters blow up: 2,2,2,2 m = 1 instances took 1.3-1.9 s to track with
    ``gamma ~ -1`` against 0.25-0.6 s with other values (73 paths, loaded machine). Monodromy
    keeps :func:`homotopy_gamma`'s whole circle: loops between edges must be able to go around
    branch points in every direction.
    """
    rng = random.Random(f"algeo-path-gamma-{seed}-{attempt}")
    return cmath.exp(1j * rng.uniform(0.3, 2 * cmath.pi / 3) * rng.choice((-1, 1)))
