"""``SolveOptions``: how a solve runs (one frozen object instead of loose keywords).

The instance (widths, data, regularization, seed) is given to :func:`algeo.solve`
directly; everything about *how* it is solved lives here, so a call's options can be
read from one object and passed on unchanged.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from ..classify.points import Tolerances
from ..exceptions import InputError

__all__ = ["SolveOptions", "HomotopyFallback", "DEFAULT_DIGITS", "DEFAULT_MAX_PATHS", "DEFAULT_MAX_UNKNOWNS",
           "DEFAULT_EXACT_BUDGET"]

DEFAULT_DIGITS = 40
DEFAULT_MAX_PATHS = 50_000
#: systems with more unknowns are refused before any symbolic work (the largest rows solved have 16)
DEFAULT_MAX_UNKNOWNS = 40
#: msolve's default time for the exact count (2,2,2 with m = 2 and the random law: about 10 s)
DEFAULT_EXACT_BUDGET = 30.0


@dataclass(frozen=True)
class SolveOptions:
    """Options of :func:`algeo.solve`.

    Parameters
    ----------
    digits : precision of the Newton refinement on the exact system (at least 20).
    backend : ``"auto"`` (``phc``, then phcpy), ``"phc"`` or ``"phcpy"``.
    timeout, max_attempts : per PHCpack attempt; a crash or time-out is retried with
        another PHCpack seed and recorded in ``provenance.backend.attempts``.
    budget : wall seconds for the whole solve (None: no limit); every attempt's time limit
        is cut to what is left, and a result that ran out says what it has and what is missing.
    exact_budget : wall seconds for msolve's exact count of the instance's own system, run
        beside the numerical solve (0: no exact count; the result then names the check used).
    exact_threads : msolve's threads (0: the cores this process may use, at most 4). Its
        multi-modular solve over QQ splits over primes: widths 2,2,2, m = 2, random-law seeds 1, 2
        took 11.0 s and 10.3 s with one thread, 7.8 s and 6.7 s with two on this 2-core machine.
        Sweeps use one (their instances already run side by side).
    completion_runs : further blackbox runs (other seeds, merged) when fewer points than the
        exact or generic count were found.
    max_paths : refuse systems whose stable mixed volume exceeds this budget.
    max_unknowns : refuse, before building the system, architectures with more unknowns.
    tolerances : every numerical decision's tolerance (docs/tolerances.md).
    progress : progress bars on stderr (hidden when stderr is not a terminal).
    certify : prove each point with Krawczyk's test on the exact system.
    start_set : ``"auto"`` (the start-set library, docs/sweep.md), ``"none"`` (the
        blackbox only) or the path of a start set file.
    build_start_set : with ``start_set="auto"``, make a missing start set first (by msolve when
        installed, else by monodromy; docs/sweep.md), once per family: later solves reuse it.

    >>> SolveOptions(digits=60).digits
    60
    >>> SolveOptions(digits=10)
    Traceback (most recent call last):
    ...
    algeo.exceptions.InputError: digits: is 10; use an integer of at least 20
    """

    digits: int = DEFAULT_DIGITS
    backend: str = "auto"
    timeout: float = 600.0
    max_attempts: int = 3
    budget: float | None = 3600.0
    exact_budget: float = DEFAULT_EXACT_BUDGET
    exact_threads: int = 0
    completion_runs: int = 2
    max_paths: int = DEFAULT_MAX_PATHS
    max_unknowns: int = DEFAULT_MAX_UNKNOWNS
    tolerances: Tolerances = field(default_factory=Tolerances)
    progress: bool = False
    certify: bool = False
    start_set: str | Path = "auto"
    build_start_set: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.digits, bool) or not isinstance(self.digits, int) or self.digits < 20:
            raise InputError("digits", f"is {self.digits!r}; use an integer of at least 20")
        if self.backend not in ("auto", "phc", "phcpy"):
            raise InputError("backend", f"is {self.backend!r}", "use auto, phc or phcpy")
        if not self.timeout > 0:
            raise InputError("timeout", f"is {self.timeout!r}; give a positive number of seconds")
        if self.budget is not None and not self.budget > 0:
            raise InputError("budget", f"is {self.budget!r}; give a positive number of seconds (or None)")
        if not self.exact_budget >= 0:
            raise InputError("exact_budget", f"is {self.exact_budget!r}; give seconds (0: no exact count)")
        if isinstance(self.exact_threads, bool) or not isinstance(self.exact_threads, int) or self.exact_threads < 0:
            raise InputError("exact_threads", f"is {self.exact_threads!r}; give a non-negative integer (0: auto)")
        if isinstance(self.completion_runs, bool) or not isinstance(self.completion_runs, int) \
                or self.completion_runs < 0:
            raise InputError("completion_runs", f"is {self.completion_runs!r}; give a non-negative integer")
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            raise InputError("max_attempts", f"is {self.max_attempts!r}; give a positive integer")
        if isinstance(self.max_unknowns, bool) or not isinstance(self.max_unknowns, int) or self.max_unknowns < 1:
            raise InputError("max_unknowns", f"is {self.max_unknowns!r}; give a positive integer")
        if isinstance(self.max_paths, bool) or not isinstance(self.max_paths, int) or self.max_paths < 1:
            raise InputError("max_paths", f"is {self.max_paths!r}; give a positive integer")

    @property
    def msolve_threads(self) -> int:
        """:attr:`exact_threads`, with 0 resolved to the usable cores (at most 4)."""
        if self.exact_threads:
            return self.exact_threads
        import os

        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        return max(1, min(4, cores))

    @property
    def uses_start_sets(self) -> bool:
        return str(self.start_set) != "none"

    def to_json(self) -> dict:
        return {"digits": self.digits, "backend": self.backend, "timeout": self.timeout, "budget": self.budget,
                "exact_budget": self.exact_budget, "exact_threads": self.msolve_threads,
                "completion_runs": self.completion_runs,
                "max_attempts": self.max_attempts, "max_paths": self.max_paths, "max_unknowns": self.max_unknowns,
                "tolerances": self.tolerances.to_json(), "certify": self.certify, "start_set": str(self.start_set),
                "build_start_set": self.build_start_set}


class HomotopyFallback(str, enum.Enum):
    """Why the parameter homotopy was not used (then the blackbox ran); recorded in ``provenance.method``."""

    NOT_REQUESTED = "not_requested"  # start_set="none"
    NOT_ENTRYWISE = "not_entrywise"  # a scalar Lambda: no stored family for it
    NO_START_SET = "no_start_set"  # the library has none and building was off
    TRACKING_FAILED = "tracking_failed"  # every gamma lost a path
    COUNT_SHORT = "count_short"  # fewer distinct points than start points, or a non-regular end
    CHECK_FAILED = "check_failed"  # a consistency check of the homotopy's result failed
