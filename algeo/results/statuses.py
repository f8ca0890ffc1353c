"""The status vocabulary of every stage: what a path, a continuation or a decision came to.

Enums live here, below every stage that produces them, so result types can name them
without importing the numerics (phc, tracking, classify import them from here).
"""

from __future__ import annotations

import enum

__all__ = ["PathStatus", "ContinuationStatus", "Decision", "Purity"]


class PathStatus(str, enum.Enum):
    """Fate of one homotopy path."""

    REGULAR = "regular"  # converged to a nonsingular finite solution
    SINGULAR = "singular"  # converged to a finite solution with a singular Jacobian
    AT_INFINITY = "at_infinity"  # diverged: PHCpack stopped it before t = 1 ("failure")
    FAILED = "failed"  # neither a finite solution nor a divergent path


class ContinuationStatus(str, enum.Enum):
    """Fate of one path of the continuation ``Lambda = tau Lambda_0``, ``tau -> 0``."""

    CONVERGED = "converged"  # bounded end point (s_end, or where it got stuck below handover_below), refined
    DIVERGED = "diverged"  # the norm blew up as tau -> 0 (also: steps underflowed while the norm was growing)
    FAILED = "failed"  # step size underflow, corrector failure, or refinement at tau = 0 did not converge


class Decision(str, enum.Enum):
    """A yes / no question decided with two thresholds; the band between them is ``undecided``."""

    YES = "yes"
    NO = "no"
    UNDECIDED = "undecided"


class Purity(str, enum.Enum):
    """Whether ``mu(theta)`` is a critical point of ``l`` restricted to ``M_r``."""

    PURE = "pure"
    SPURIOUS = "spurious"
    UNDECIDED = "undecided"
