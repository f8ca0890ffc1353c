"""The adapter to PHCpack: the only package that knows PHCpack's formats and programs.

Both backends run in child processes with a time limit, so that a crash or a hang
of PHCpack (PHCPACK.md) cannot take the caller down:

- ``phc``: the ``phc -b`` blackbox program. Its output file lists the end point of
  every path (finite or not), so every path is accounted for. Default.
- ``phcpy``: phcpy's blackbox ``solver.solve``. It returns only the finite
  solutions, so diverged paths are *inferred* (root count minus solutions) and the
  result says so. Used when ``phc`` is missing or failed on every seed.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import Callable, Sequence

from ..exceptions import BackendUnavailableError
from ..model.polynomial import PolynomialSystem
from ._format import RawPath, TermSystem, format_polynomials, format_system, parse_blackbox_output
from ._runner import (
    Attempt,
    AttemptOutcome,
    derived_seed,
    phc_program,
    phcpy_solve,
    phcpy_track,
    run_phc_blackbox,
    run_phcpy,
)

__all__ = [
    "Backend",
    "Attempt",
    "AttemptOutcome",
    "BackendRun",
    "RawPath",
    "blackbox_solve",
    "track",
    "TermSystem",
    "mixed_volumes",
    "format_polynomials",
    "format_system",
    "parse_blackbox_output",
    "derived_seed",
]

logger = logging.getLogger(__name__)


class Backend(str, enum.Enum):
    AUTO = "auto"
    PHC = "phc"
    PHCPY = "phcpy"


@dataclass(frozen=True)
class BackendRun:
    """What PHCpack returned for one system, with every attempt made."""

    backend: str
    paths: tuple[RawPath, ...]
    declared_paths: int
    root_counts: dict
    seed: int | None
    attempts: tuple[Attempt, ...]
    version: str | None
    paths_observed: bool  # False when diverged paths are inferred, not read (phcpy)

    @property
    def succeeded(self) -> bool:
        return bool(self.attempts) and self.attempts[-1].outcome is AttemptOutcome.OK


def mixed_volumes(system: PolynomialSystem, names: Sequence[str], *, timeout: float = 600.0) -> dict:
    """``{"mixed_volume": ..., "stable_mixed_volume": ...}`` from phcpy (child process), or ``{}``."""
    error, answer, _ = run_phcpy(
        {"task": "mixed_volume", "polynomials": format_polynomials(system, names), "seed": 1}, timeout=timeout
    )
    if answer is None:
        logger.warning("mixed volume not computed by phcpy: %s", error)
        return {}
    return {"mixed_volume": answer["mixed_volume"], "stable_mixed_volume": answer["stable_mixed_volume"]}


def blackbox_solve(
    system: PolynomialSystem,
    names: Sequence[str],
    *,
    seed: int,
    backend: Backend | str = Backend.AUTO,
    timeout: float = 3600.0,
    max_attempts: int = 3,
    expected_paths: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BackendRun:
    """Solve with PHCpack's blackbox; retry with new seeds on a crash, time-out or lost paths.

    ``expected_paths`` (the stable mixed volume) is checked against the paths PHCpack
    declared; a mismatch counts as a failed attempt. Never raises for a numerical
    failure: a run whose every attempt failed comes back with ``succeeded`` false.
    """
    backend = Backend(backend)
    attempts: list[Attempt] = []
    order = [Backend.PHC, Backend.PHCPY] if backend is Backend.AUTO else [backend]
    if backend is Backend.PHC and phc_program() is None:
        raise BackendUnavailableError("the phc program is not installed: run the README's set-up command "
                                      "(apt-get install --no-install-recommends phcpack)")
    for choice in order:
        for attempt_number in range(max_attempts):
            phc_seed = derived_seed(seed, attempt_number)
            if choice is Backend.PHC:
                attempt, parsed = run_phc_blackbox(format_system(system, names), names, seed=phc_seed,
                                                   timeout=timeout, progress=progress)
                if attempt.outcome is AttemptOutcome.OK and expected_paths is not None \
                        and parsed.declared_paths != expected_paths:
                    attempt = Attempt("phc", phc_seed, AttemptOutcome.INCOMPLETE, attempt.seconds,
                                      f"PHCpack tracked {parsed.declared_paths} paths, the stable mixed volume "
                                      f"is {expected_paths}")
                attempts.append(attempt)
                if attempt.outcome is AttemptOutcome.UNAVAILABLE:
                    break
                if attempt.outcome is AttemptOutcome.OK:
                    return BackendRun("phc", parsed.paths, parsed.declared_paths, parsed.root_counts, phc_seed,
                                      tuple(attempts), parsed.version, True)
            else:
                attempt, paths, version = phcpy_solve(format_polynomials(system, names), names,
                                                      seed=phc_seed, timeout=timeout)
                attempts.append(attempt)
                if attempt.outcome is AttemptOutcome.UNAVAILABLE:
                    break
                if attempt.outcome is AttemptOutcome.OK and paths:
                    declared = expected_paths if expected_paths is not None else len(paths)
                    return BackendRun("phcpy", paths, declared, {}, phc_seed, tuple(attempts),
                                      f"phcpy {version}" if version else "phcpy", False)
            logger.warning("PHCpack attempt with seed %d failed: %s %s", phc_seed,
                           attempt.outcome.value, attempt.detail)
    if all(a.outcome is AttemptOutcome.UNAVAILABLE for a in attempts):
        raise BackendUnavailableError("neither the phc program nor phcpy is available: run the README's set-up "
                                      "command (apt-get install --no-install-recommends phcpack python3-phcpy)")
    return BackendRun(order[-1].value, (), 0, {}, None, tuple(attempts), None, False)


def track(
    target: PolynomialSystem | TermSystem,
    start: TermSystem,
    start_points: Sequence[Sequence[complex]],
    names: Sequence[str],
    *,
    gammas: Sequence[complex],
    timeout: float = 600.0,
) -> BackendRun:
    """Track every start point from ``start`` to ``target`` with ``phcpy.trackers.track`` (child process).

    The homotopy is PHCpack's ``gamma (1 - t)^2 G + t^2 F`` in double precision. The
    paths that do not end at a solution at ``t = 1`` are tracked again with the next
    ``gamma`` (another path through parameter space), the others are kept; a run that
    crashes or times out is repeated whole. Every attempt is recorded (``Attempt.seed``
    is the attempt's number, its detail says how many paths it tracked); the path ends
    are in the order of ``start_points``, so every path is accounted for. Ends reached
    with different ``gamma`` may coincide: the caller must check that the ends are
    distinct (:func:`algeo.pipeline.solve.solve` counts them). (phcpy 2.4.86's double double
    tracker returned the start points unmoved here, so it is not used.)
    """
    target_strings, start_strings = format_polynomials(target, names), format_polynomials(start, names)
    attempts: list[Attempt] = []
    ends: list[RawPath | None] = [None] * len(start_points)
    pending = list(range(len(start_points)))
    version = None
    for number, gamma in enumerate(gammas):
        attempt, paths, found_version = phcpy_track(target_strings, start_strings,
                                                    [start_points[k] for k in pending], names, gamma=gamma,
                                                    precision="d", timeout=timeout, attempt_number=number)
        if attempt.outcome is AttemptOutcome.UNAVAILABLE:
            attempts.append(attempt)
            raise BackendUnavailableError("phcpy is not available: run the README's set-up command "
                                          "(apt-get install --no-install-recommends python3-phcpy)")
        if attempt.outcome is AttemptOutcome.OK:
            version = found_version or version
            for k, path in zip(pending, paths):
                ends[k] = path
            tracked = len(pending)
            pending = [k for k in pending if ends[k].outcome != "success"]
            scope = "" if tracked == len(start_points) else f" (the {tracked} paths failed before)"
            if pending:
                attempt = Attempt(attempt.backend, number, AttemptOutcome.INCOMPLETE, attempt.seconds,
                                  f"{len(pending)} of {tracked} paths did not end at a solution{scope}")
            elif scope:
                attempt = Attempt(attempt.backend, number, AttemptOutcome.OK, attempt.seconds,
                                  f"all {tracked} paths retried with this gamma ended at solutions")
        attempts.append(attempt)
        if not pending:
            break
    if any(end is None for end in ends):
        return BackendRun("phcpy-track", (), len(start_points), {}, None, tuple(attempts), version, True)
    return BackendRun("phcpy-track", tuple(ends), len(start_points), {}, None, tuple(attempts), version, True)
