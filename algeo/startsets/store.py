"""Start sets for the parameter homotopy: every critical point of one generic complex instance.

A start set belongs to one :class:`~algeo.model.family.ParameterFamily` (architecture, samples,
regularization mode, formulation); its file name and its content carry the family's
``key`` (a hash of the monomial supports and coefficient structure), and a set whose
key differs from the family's is never used. When a set is made it is checked: the
number of start solutions must equal ``N_C`` of an independent real instance solved
by the blackbox (and the published count when there is one); a set that fails the
check is not stored.

The library lives in ``$ALGEO_START_SETS`` or ``~/.cache/algeo/starts``; sets are built
on first use (docs/sweep.md).
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy

from .. import phc
from ..exceptions import InputError, SolverFailedError
from ..model.family import FORMULATION, ParameterFamily
from ..results.solve_result import write_json_atomically

__all__ = ["StartSet", "start_set_directory", "start_set_path", "load_start_set", "make_start_set",
           "ensure_start_set"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StartSet:
    """Start data ``p_0`` (complex) and every solution of the lifted system there."""

    key: str
    widths: tuple[int, ...]
    samples: int
    mode: str
    parameters: tuple[complex, ...]
    points: tuple[tuple[complex, ...], ...]  # lifted coordinates (weights, then residuals)
    check: dict  # how the count was confirmed when the set was made
    provenance: dict
    formulation: str = FORMULATION  # the family's (lifted-residual-v1 or gram-v1); part of the key as well

    @property
    def size(self) -> int:
        return len(self.points)

    def to_json(self) -> dict:
        pair = lambda z: [z.real, z.imag]
        return {"algeo_start_set": 1, "formulation": self.formulation, "key": self.key, "widths": list(self.widths),
                "samples": self.samples, "mode": self.mode, "size": self.size,
                "parameters": [pair(z) for z in self.parameters],
                "points": [[pair(z) for z in point] for point in self.points],
                "check": self.check, "provenance": self.provenance}

    @classmethod
    def from_json(cls, content: dict) -> "StartSet":
        unpair = lambda pair: complex(pair[0], pair[1])
        return cls(content["key"], tuple(content["widths"]), content["samples"], content["mode"],
                   tuple(unpair(p) for p in content["parameters"]),
                   tuple(tuple(unpair(z) for z in point) for point in content["points"]),
                   content["check"], content["provenance"], content.get("formulation", FORMULATION))


def start_set_directory() -> Path:
    """``$ALGEO_START_SETS`` if set, else ``~/.cache/algeo/starts`` (``$XDG_CACHE_HOME`` respected)."""
    if os.environ.get("ALGEO_START_SETS"):
        return Path(os.environ["ALGEO_START_SETS"])
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "algeo" / "starts"


def start_set_path(family: ParameterFamily, directory: str | Path | None = None) -> Path:
    directory = Path(directory) if directory is not None else start_set_directory()
    widths = "-".join(map(str, family.architecture.widths))
    return directory / f"{widths}_m{family.samples}_{family.mode}_{family.key}.json"


def load_start_set(family: ParameterFamily, path: str | Path | None = None) -> StartSet | None:
    """The stored start set of ``family`` (from ``path`` or the library), or None.

    A file whose key, widths, samples or mode differ from the family's is refused
    (logged, None returned): it belongs to another system.
    """
    path = Path(path) if path is not None else start_set_path(family)
    if not path.exists():
        return None
    try:
        content = json.loads(path.read_text())
        start_set = StartSet.from_json(content)
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("start set %s is unreadable (%s); ignored", path, error)
        return None
    expected = (family.key, family.architecture.widths, family.samples, family.mode)
    found = (start_set.key, start_set.widths, start_set.samples, start_set.mode)
    if found != expected:
        logger.warning("start set %s is for %s, not %s; ignored", path, found, expected)
        return None
    if len(start_set.parameters) != len(family.parameter_names) or any(
            len(point) != len(family.variable_names) for point in start_set.points):
        logger.warning("start set %s has the wrong number of coordinates; ignored", path)
        return None
    return start_set


def _distinct_regular_points(family: ParameterFamily, parameters, run: phc.BackendRun) -> tuple[list, dict]:
    """Regular finite end points, checked for residual and distinctness (double precision)."""
    points, singular, other = [], 0, 0
    for raw in run.paths:
        label = raw.label.lower()
        if raw.outcome == "success" and "regular" in label:
            points.append(numpy.array(raw.coordinates))
        elif raw.outcome == "success":
            singular += 1
        else:
            other += 1
    residuals = [float(numpy.abs(family.evaluate(parameters, p)).max()) for p in points]
    closest = min((float(numpy.abs(a - b).max()) for i, a in enumerate(points) for b in points[i + 1:]),
                  default=None)
    return points, {"regular": len(points), "singular": singular, "not_finite": other,
                    "largest_residual": max(residuals, default=None), "closest_pair_distance": closest}


#: With a modular count, the trace test runs by default only up to this many start points
#: (its witness sets were 1.4 to 12 times the count in the measured rows; docs/sweep.md).
TRACE_LIMIT = 150


def _modular_count(family: ParameterFamily, seed: int):
    """Singular's vdim over ZZ/p of an instance with random rational data, or None without Singular."""
    from ..verify.exact import instance_counts, singular_available
    from ..exceptions import BudgetExceededError

    if not singular_available():
        logger.info("Singular is not installed: no modular count for the start set")
        return None
    try:
        return instance_counts(family.architecture.widths, family.samples, seed, timeout=600)
    except BudgetExceededError as error:
        logger.warning("no modular count for the start set: %s", error)
        return None


def make_start_set(
    family: ParameterFamily,
    *,
    seed: int = 0,
    check: bool = True,
    method: str = "blackbox",
    timeout: float = 3600.0,
    workers: int = 1,
    trace: bool | None = None,
    progress: Callable[[int], None] | None = None,
) -> StartSet:
    """Solve the lifted system at random complex data, then check the count.

    ``method="blackbox"``: PHCpack's blackbox on the lifted system. ``"monodromy"``:
    loops in parameter space (:mod:`algeo.tracking.monodromy`), which needs no blackbox but
    proves nothing by itself. Its completeness is decided by independent counts: the
    modular count (Singular's vdim over ZZ/p at random rational data, when Singular is
    installed), which the loops also aim at, and the trace test (:mod:`algeo.tracking.trace`;
    ``trace=None`` runs it when there is no modular count or at most :data:`TRACE_LIMIT`
    points). ``check`` adds a blackbox solve of a real instance. Raises
    :class:`SolverFailedError` when the solver fails, a start point is not a solution,
    two coincide, a count differs from an independent one, or nothing confirmed a
    monodromy set; ``check["confirmed_by"]`` lists what did.
    """
    from ..verify.known_counts import published_counts

    if method not in ("blackbox", "monodromy"):
        raise InputError("method", f"unknown start-set method {method!r}", "use blackbox or monodromy")
    started = time.monotonic()
    names = family.variable_names
    exact = None
    if method == "monodromy":
        from ..tracking.monodromy import populate_by_monodromy

        exact = _modular_count(family, seed)
        populated = populate_by_monodromy(family, seed=seed, progress=progress, workers=workers,
                                          target=exact.complex if exact is not None else None,
                                          passes=3 if exact is not None else 1)
        parameters = numpy.array(populated.parameters)
        paths = tuple(phc.RawPath(1, point, 1 + 0j, 1, 0.0, 1.0, 0.0, "success", "regular")
                      for point in populated.points)
        run = phc.BackendRun("monodromy", paths, len(paths), {}, seed, (), None, True)
        volumes = {"monodromy_loops": populated.loops, "monodromy_lost_paths": populated.failed_paths,
                   "monodromy_tracked_paths": populated.tracked_paths,
                   "monodromy_added_by_symmetry": populated.added_by_symmetry,
                   "monodromy_seconds": populated.seconds, "monodromy_passes": populated.passes}
    else:
        parameters = family.random_parameters(seed)
        system = family.coefficients(parameters)
        volumes = phc.mixed_volumes(system, names)
        run = phc.blackbox_solve(system, names, seed=seed + 1, backend="phc" if phc.phc_program() else "auto",
                                 timeout=timeout, expected_paths=volumes.get("stable_mixed_volume"),
                                 progress=progress)
        if not run.succeeded:
            raise SolverFailedError(f"the blackbox failed on the start system of {family.architecture}, "
                                    f"m = {family.samples}: {[a.to_json() for a in run.attempts]}")
    points, evidence = _distinct_regular_points(family, parameters, run)
    problems = []
    if evidence["singular"]:
        problems.append(f"{evidence['singular']} singular end points at generic complex data")
    if evidence["largest_residual"] is not None and evidence["largest_residual"] > 1e-8:
        problems.append(f"a start point has residual {evidence['largest_residual']:.2e}")
    if evidence["closest_pair_distance"] is not None and evidence["closest_pair_distance"] < 1e-6:
        problems.append("two start points coincide")
    check_record: dict = {"start_solutions": len(points), "lifted_root_counts": volumes, **evidence}
    confirmed = []
    if exact is not None:
        check_record["modular_count"] = exact.to_json()
        if exact.complex == len(points):
            confirmed.append("modular count")
        else:
            problems.append(f"{len(points)} start solutions, but the modular count (Singular vdim over "
                            f"{exact.to_json()['field']}) is {exact.complex}")
    if method == "monodromy" and (trace if trace is not None else exact is None or len(points) <= TRACE_LIMIT):
        from ..tracking.trace import Completeness, trace_test

        traced = trace_test(family, parameters, points, seed=seed + 1, workers=workers)
        check_record["trace_test"] = traced.to_json()
        if traced.verdict is Completeness.COMPLETE:
            confirmed.append("trace test")
        elif "modular count" not in confirmed:
            problems.append(f"trace test {traced.verdict.value} (residual {traced.trace_residual}, "
                            f"{traced.lost_paths} paths lost)")
    published = published_counts(family.architecture.widths, family.samples)
    if published is not None:
        check_record["published_N_C"] = published["N_C"]
        if published["N_C"] != len(points):
            problems.append(f"{len(points)} start solutions, published N_C = {published['N_C']}")
    if check:
        from ..pipeline.solve import solve

        check_seed = seed + 1
        result = solve(family.architecture.widths, samples=family.samples, seed=check_seed, start_set="none")
        check_record.update(blackbox_instance_seed=check_seed, blackbox_N_C=result.counts.complex,
                            blackbox_ok=result.ok, weight_system_bounds=result.bounds.to_json())
        if not result.ok or result.counts.complex != len(points):
            problems.append(f"{len(points)} start solutions, but the blackbox found N_C = {result.counts.complex} "
                            f"on the real instance with seed {check_seed} (ok = {result.ok})")
    check_record["confirmed_by"] = confirmed + [name for name, present in (("blackbox instance", check),
                                                                           ("published count", published is not None))
                                                if present]
    if method == "monodromy" and not confirmed:
        problems.append("neither a modular count nor the trace test confirmed the monodromy set")
    if problems:
        raise SolverFailedError(f"start set for {family.architecture}, m = {family.samples} rejected: "
                                + "; ".join(problems))
    provenance = {"seed": seed, "method": method, "backend": run.backend, "phc_seed": run.seed, "phcpack": run.version,
                  "seconds": round(time.monotonic() - started, 3),
                  "made": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    return StartSet(family.key, family.architecture.widths, family.samples, family.mode,
                    tuple(complex(z) for z in parameters), tuple(tuple(complex(z) for z in p) for p in points),
                    check_record, provenance, family.formulation)


def ensure_start_set(
    family: ParameterFamily,
    *,
    directory: str | Path | None = None,
    build: bool = True,
    seed: int = 0,
    method: str = "blackbox",
    check: bool = True,
    workers: int = 1,
    trace: bool | None = None,
    progress: Callable[[int], None] | None = None,
) -> StartSet | None:
    """Load the family's start set from the library, or make and store it when ``build``.

    ``method`` and ``check`` are :func:`make_start_set`'s (used only when the set is made).
    """
    path = start_set_path(family, directory)
    found = load_start_set(family, path)
    if found is not None or not build:
        return found
    logger.info("making the start set for %s, m = %d (first use)", family.architecture, family.samples)
    start_set = make_start_set(family, seed=seed, method=method, check=check, workers=workers, trace=trace,
                               progress=progress)
    write_json_atomically(start_set.to_json(), path)
    return start_set
