"""All public exceptions of algeo, under one base class.

Exceptions are for misuse (bad input, a missing backend, an exceeded budget).
Numerical failures of a solver are *data*: they are recorded in the result
(path statuses, retries, flags), never raised.
"""

from __future__ import annotations

__all__ = [
    "AlgeoError",
    "InputError",
    "BackendUnavailableError",
    "BudgetExceededError",
    "SolverFailedError",
]


class AlgeoError(Exception):
    """Base class of every exception algeo raises on purpose."""


class InputError(AlgeoError, ValueError):
    """Input data or options are malformed; the message names the field and the fix."""

    def __init__(self, field: str, problem: str, fix: str | None = None):
        self.field = field
        self.problem = problem
        self.fix = fix
        message = f"{field}: {problem}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)


class BackendUnavailableError(AlgeoError, RuntimeError):
    """A solver or exact-algebra backend is not installed; the message names the install step."""


class BudgetExceededError(AlgeoError, RuntimeError):
    """A system is too large for the stated budget (paths, time or memory)."""


class SolverFailedError(AlgeoError, RuntimeError):
    """Every attempt of a solver backend failed (crash or time-out on every seed tried)."""
