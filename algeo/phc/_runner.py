"""Run PHCpack in child processes: time limits, retries with new seeds, progress."""

from __future__ import annotations

import enum
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .._process import die_with_parent
from ._format import ParsedOutput, RawPath, parse_blackbox_output
from ._phcpy_worker import MARKER

logger = logging.getLogger(__name__)

#: Debian's python3-phcpy installs here; the child process gets it on its path.
DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages"


class AttemptOutcome(str, enum.Enum):
    """What one run of a PHCpack backend gave."""

    OK = "ok"
    CRASHED = "crashed"
    TIMED_OUT = "timed_out"
    UNPARSEABLE = "unparseable"
    INCOMPLETE = "incomplete"  # paths read back do not match the paths PHCpack declared
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Attempt:
    """One call of a backend, kept in the result whatever it gave."""

    backend: str
    seed: int
    outcome: AttemptOutcome
    seconds: float
    detail: str = ""

    def to_json(self) -> dict:
        return {"backend": self.backend, "seed": self.seed, "outcome": self.outcome.value,
                "seconds": self.seconds, "detail": self.detail}

    @classmethod
    def from_json(cls, data: dict) -> "Attempt":
        return cls(data["backend"], data["seed"], AttemptOutcome(data["outcome"]), data["seconds"], data["detail"])


def phc_program() -> str | None:
    return shutil.which("phc")


def derived_seed(seed: int, attempt: int) -> int:
    """PHCpack seed of attempt ``attempt`` (0-based) for the user's seed: positive 31-bit."""
    return (int(seed) * 7919 + 104729 * attempt) % 2_147_483_647 or 1


def _count_tracked(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return handle.read().count(b"#step")
    except OSError:
        return 0


def run_phc_blackbox(
    system_text: str,
    names: Sequence[str],
    *,
    seed: int,
    timeout: float,
    progress: Callable[[int], None] | None = None,
) -> tuple[Attempt, ParsedOutput | None]:
    """``phc -b -0SEED input output`` in a temporary directory, single task.

    A single task on purpose: with ``-t`` the blackbox leaves the diverged paths of
    the polyhedral phase out of its final list, so paths could not be accounted for.
    """
    program = phc_program()
    if program is None:
        return Attempt("phc", seed, AttemptOutcome.UNAVAILABLE, 0.0, "the phc program is not on PATH"), None
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="algeo-phc-") as directory:
        input_path, output_path = Path(directory, "input"), Path(directory, "output")
        input_path.write_text(system_text)
        process = subprocess.Popen(
            [program, "-b", f"-0{seed}", str(input_path), str(output_path)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=directory,
            preexec_fn=die_with_parent(),
        )
        while True:
            try:
                process.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if progress is not None:
                    progress(_count_tracked(output_path))
                if time.monotonic() - start > timeout:
                    process.kill()
                    process.wait()
                    return Attempt("phc", seed, AttemptOutcome.TIMED_OUT, time.monotonic() - start,
                                   f"killed after {timeout:g} s"), None
        seconds = time.monotonic() - start
        stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
        text = output_path.read_text(errors="replace") if output_path.exists() else ""
    if process.returncode != 0 or "raised" in stderr.lower() or "exception" in stderr.lower():
        detail = f"exit code {process.returncode}; {stderr.strip()[-300:]}"
        return Attempt("phc", seed, AttemptOutcome.CRASHED, seconds, detail), None
    try:
        parsed = parse_blackbox_output(text, names)
    except ValueError as error:
        return Attempt("phc", seed, AttemptOutcome.UNPARSEABLE, seconds, str(error)), None
    if not parsed.paths or len(parsed.paths) != parsed.declared_paths:
        detail = f"read {len(parsed.paths)} path end points, PHCpack declared {parsed.declared_paths}"
        return Attempt("phc", seed, AttemptOutcome.INCOMPLETE, seconds, detail), parsed
    return Attempt("phc", seed, AttemptOutcome.OK, seconds), parsed


def _python_for_phcpy() -> str:
    return sys.executable


def run_phcpy(request: dict, *, timeout: float) -> tuple[str, dict | None, float]:
    """Run the phcpy worker on ``request``; returns (error text or "", answer, seconds)."""
    request = dict(request, extra_paths=[DEBIAN_DIST_PACKAGES] if os.path.isdir(DEBIAN_DIST_PACKAGES) else [])
    start = time.monotonic()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH")]))
    try:
        completed = subprocess.run(
            [_python_for_phcpy(), str(Path(__file__).with_name("_phcpy_worker.py"))],
            input=json.dumps(request), capture_output=True, text=True, timeout=timeout, env=env,
            preexec_fn=die_with_parent(),
        )
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout:g} s", None, time.monotonic() - start
    seconds = time.monotonic() - start
    if MARKER not in completed.stdout:
        tail = (completed.stderr or completed.stdout).strip()[-300:]
        return f"exit code {completed.returncode}; {tail}", None, seconds
    answer = json.loads(completed.stdout.split(MARKER, 1)[1].strip().splitlines()[0])
    if "error" in answer:
        return answer["error"], None, seconds
    return "", answer, seconds


def phcpy_solve(polynomials: Sequence[str], names: Sequence[str], *, seed: int, timeout: float
                ) -> tuple[Attempt, tuple[RawPath, ...] | None, str | None]:
    """phcpy's blackbox (finite solutions only: it does not return diverged paths)."""
    error, answer, seconds = run_phcpy({"task": "solve", "polynomials": list(polynomials), "seed": seed},
                                       timeout=timeout)
    if answer is None:
        outcome = AttemptOutcome.TIMED_OUT if error.startswith("timed out") else AttemptOutcome.CRASHED
        if "No module named 'phcpy'" in error:
            outcome = AttemptOutcome.UNAVAILABLE
        return Attempt("phcpy", seed, outcome, seconds, error), None, None
    paths = []
    for solution in answer["solutions"]:
        coordinates = solution["coordinates"]
        if set(coordinates) != set(names):
            return Attempt("phcpy", seed, AttemptOutcome.UNPARSEABLE, seconds, "variables do not match"), None, None
        paths.append(RawPath(
            phase=1, coordinates=tuple(complex(*coordinates[name]) for name in names),
            t=complex(*solution["t"]), multiplicity=solution["m"], err=solution["err"], rco=solution["rco"],
            res=solution["res"], outcome="success", label=solution["label"],
        ))
    return Attempt("phcpy", seed, AttemptOutcome.OK, seconds), tuple(paths), answer.get("version")


def _track_label(solution: dict) -> tuple[str, str]:
    """(outcome, label) of a tracked path end, in the words of the blackbox output."""
    t = complex(*solution["t"])
    finite = all(abs(complex(*z)) < 1e12 for z in solution["coordinates"].values())
    if abs(t - 1) < 1e-8 and finite and solution["res"] <= 1e-8:
        return "success", "regular" if solution["rco"] > 1e-8 else "singular"
    return "failure", "path did not end at a solution at t = 1"


def _flush_tiny(point: Sequence[complex], threshold: float = 1e-30) -> list[complex]:
    """Coordinates below ``threshold * max(1, |x|)`` become exact zeros.

    Measured: start solutions from the blackbox's first phase carry exact zeros as
    values like ``1e-210``; given to ``trackers.track`` those paths ended in NaN
    (16 of 225 paths, widths 2,2,2, m = 2); flushed to 0 every path converged.
    """
    scale = max([1.0] + [abs(z) for z in point])
    return [0j if abs(z) < threshold * scale else complex(z) for z in point]


def phcpy_track(target: Sequence[str], start: Sequence[str], start_points: Sequence[Sequence[complex]],
                names: Sequence[str], *, gamma: complex, precision: str, timeout: float, attempt_number: int = 0
                ) -> tuple[Attempt, tuple[RawPath, ...] | None, str | None]:
    """phcpy's trackers from ``start_points`` of ``start`` to ``target``; one end point per start point."""
    request = {"task": "track", "polynomials": list(target), "start": list(start), "names": list(names),
               "start_points": [[[z.real, z.imag] for z in _flush_tiny(point)] for point in start_points],
               "gamma": [gamma.real, gamma.imag], "precision": precision, "seed": 1}
    error, answer, seconds = run_phcpy(request, timeout=timeout)
    backend = "phcpy-track"
    if answer is None:
        outcome = AttemptOutcome.TIMED_OUT if error.startswith("timed out") else AttemptOutcome.CRASHED
        if "No module named 'phcpy'" in error:
            outcome = AttemptOutcome.UNAVAILABLE
        return Attempt(backend, attempt_number, outcome, seconds, error), None, None
    solutions = answer["solutions"]
    if len(solutions) != len(start_points):
        return (Attempt(backend, attempt_number, AttemptOutcome.INCOMPLETE, seconds,
                        f"{len(solutions)} end points for {len(start_points)} start points"), None, None)
    paths = []
    for solution in solutions:
        if "unparsed" in solution:
            paths.append(RawPath(phase=1, coordinates=(complex(float("inf")),) * len(names), t=0j, multiplicity=0,
                                 err=0.0, rco=0.0, res=0.0, outcome="failure",
                                 label=f"unreadable end point ({solution['unparsed']})"))
            continue
        if set(solution["coordinates"]) != set(names):
            return Attempt(backend, attempt_number, AttemptOutcome.UNPARSEABLE, seconds, "variables do not match"), None, None
        outcome, label = _track_label(solution)
        paths.append(RawPath(
            phase=1, coordinates=tuple(complex(*solution["coordinates"][name]) for name in names),
            t=complex(*solution["t"]), multiplicity=solution["m"], err=solution["err"], rco=solution["rco"],
            res=solution["res"], outcome=outcome, label=label,
        ))
    return Attempt(backend, attempt_number, AttemptOutcome.OK, seconds), tuple(paths), answer.get("version")
