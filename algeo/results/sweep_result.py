"""Results of a sweep (``algeo sweep``): its settings, one entry per instance, the aggregates.

``OUT/summary.json`` is :meth:`SweepResult.to_json`; :meth:`SweepResult.from_json` reads it
back (``from_json(r.to_json()) == r``) and :meth:`SweepResult.load` reads a sweep directory.
The aggregates are computed from the instance entries, never stored beside them. The
per-instance results (:class:`~algeo.results.solve_result.SolveResult`) stay in
``OUT/instances/NNNN.json`` and are read on demand (:meth:`SweepResult.instance_results`).
See docs/sweep.md.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from pathlib import Path
from typing import Iterator

from ..exceptions import InputError
from ..model.architecture import Architecture
from .display import data_frame, summary_html
from .solve_result import Counts, SolveResult, expect_kind

__all__ = ["SweepSettings", "InstanceStatus", "SweepInstance", "SweepResult", "instance_seed", "SWEEP_METHODS",
           "instance_path"]

#: ``auto``: parameter homotopy from a stored start set (built on first use), blackbox fallback
#: per instance; ``blackbox``: PHCpack's blackbox for every instance.
SWEEP_METHODS = ("auto", "blackbox")


class InstanceStatus(str, enum.Enum):
    """How one instance of a sweep ended."""

    OK = "ok"  # solved, every consistency check passed
    FLAGGED = "flagged"  # solved, but a check failed (see the instance's ``problems``)
    ERROR = "error"  # no result: an exception (recorded in summary.json, retried on re-run)
    PENDING = "pending"  # not run yet


def instance_seed(seed: int, index: int) -> int:
    """Seed of instance ``index`` of a sweep with seed ``seed``: deterministic, 31-bit, independent draws.

    >>> instance_seed(1, 0) == instance_seed(1, 0), instance_seed(1, 0) != instance_seed(1, 1)
    (True, True)
    """
    digest = hashlib.sha256(f"algeo-sweep-{int(seed)}-{int(index)}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFF_FFFF


def instance_path(out: str | Path, index: int) -> Path:
    """Where instance ``index`` of the sweep in ``out`` is stored."""
    return Path(out) / "instances" / f"{index:04d}.json"


@dataclasses.dataclass(frozen=True)
class SweepSettings:
    """Everything that determines a sweep's results (stored as ``OUT/sweep.json``)."""

    widths: tuple[int, ...]
    samples: int
    instances: int
    seed: int
    regularization: str = "generic"
    digits: int = 40
    method: str = "auto"
    exact_budget: float = 30.0  # seconds for msolve's exact count of each instance (0: none), solve's default too

    def __post_init__(self) -> None:
        Architecture(tuple(self.widths))
        if isinstance(self.exact_budget, bool) or not isinstance(self.exact_budget, (int, float)) \
                or not self.exact_budget >= 0:
            raise InputError("exact_budget", f"is {self.exact_budget!r}; give seconds (0: no exact count)")
        for name in ("samples", "instances"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise InputError(name, f"is {value!r}; it must be a positive integer")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise InputError("seed", f"is {self.seed!r}; it must be a non-negative integer")
        if self.method not in SWEEP_METHODS:
            raise InputError("method", f"is {self.method!r}", f"use one of {', '.join(SWEEP_METHODS)}")
        if self.instances > 9999:
            raise InputError("instances", f"is {self.instances}; at most 9999 (file names are NNNN.json)")

    def to_json(self) -> dict:
        return {"algeo_sweep": 1, **dataclasses.asdict(self), "widths": list(self.widths)}

    @classmethod
    def from_json(cls, data: dict) -> "SweepSettings":
        """The settings :meth:`to_json` wrote (``OUT/sweep.json``, or ``settings`` in the summary)."""
        return cls(**{k: (tuple(v) if k == "widths" else v) for k, v in data.items() if k != "algeo_sweep"})

    def seeds(self) -> list[int]:
        return [instance_seed(self.seed, k) for k in range(self.instances)]


@dataclasses.dataclass(frozen=True)
class SweepInstance:
    """One instance's line in the summary: its seed, status and counts (None unless solved)."""

    index: int
    seed: int
    status: InstanceStatus
    counts: Counts | None = None
    method: str | None = None  # parameter_homotopy or blackbox
    fallback: str | None = None  # why the homotopy was not used, in words
    seconds: float | None = None
    error: str | None = None

    @property
    def solved(self) -> bool:
        return self.counts is not None

    @classmethod
    def from_result(cls, index: int, seed: int, content: dict) -> "SweepInstance":
        """The entry of a solved instance, from its result JSON."""
        method = content.get("provenance", {}).get("method", {})
        return cls(index, seed, InstanceStatus.OK if content["ok"] else InstanceStatus.FLAGGED,
                   Counts.from_json(content["counts"]), method.get("name", "blackbox"), method.get("fallback_reason"),
                   content.get("provenance", {}).get("wall_time_seconds"))

    def to_json(self) -> dict:
        entry = {"index": self.index, "seed": self.seed,
                 "counts": self.counts.to_json() if self.counts is not None else None, "status": self.status.value}
        if self.counts is not None:
            entry.update(method=self.method, fallback=self.fallback, seconds=self.seconds)
        elif self.status is InstanceStatus.ERROR:
            entry["error"] = self.error
        return entry

    @classmethod
    def from_json(cls, data: dict) -> "SweepInstance":
        counts = data.get("counts")
        return cls(data["index"], data["seed"], InstanceStatus(data["status"]),
                   Counts.from_json(counts) if counts is not None else None, data.get("method"), data.get("fallback"),
                   data.get("seconds"), data.get("error"))


@dataclasses.dataclass(frozen=True)
class SweepResult:
    """A sweep: settings and one entry per instance; ``directory`` (where it is stored) is not compared."""

    settings: SweepSettings
    instances: tuple[SweepInstance, ...]
    directory: Path | None = dataclasses.field(default=None, compare=False)

    @property
    def solved(self) -> tuple[SweepInstance, ...]:
        return tuple(e for e in self.instances if e.solved)

    @property
    def ok(self) -> bool:
        """Every instance solved, none flagged, and all agree on ``N_C`` and ``N_C*``."""
        a = self.aggregates
        return not any(a["failures"][k] for k in ("flagged", "errors", "pending")) and a["N_C_agrees"]

    @property
    def aggregates(self) -> dict:
        """N_C, N_C*, N_R range, index histogram, minima, paths, methods and failures over the instances."""
        settings, entries, solved = self.settings, self.instances, self.solved
        complex_counts = sorted({e.counts.complex for e in solved})
        nonzero_counts = sorted({e.counts.nonzero for e in solved})
        reals = [e.counts.real for e in solved]
        histogram: dict[int, int] = {}
        for e in solved:
            for key, value in e.counts.index.items():
                histogram[key] = histogram.get(key, 0) + value
        methods = sorted({e.method for e in solved})
        return {
            "widths": list(settings.widths), "samples": settings.samples,
            "instances": settings.instances, "solved": len(solved),
            "N_C": complex_counts[0] if len(complex_counts) == 1 else complex_counts,
            "N_C*": nonzero_counts[0] if len(nonzero_counts) == 1 else nonzero_counts,
            "N_C_agrees": len(complex_counts) <= 1 and len(nonzero_counts) <= 1,
            "N_R": {"min": min(reals, default=None), "max": max(reals, default=None),
                    "mean": (sum(reals) / len(reals)) if reals else None},
            "index_histogram": {str(k): histogram[k] for k in sorted(histogram)},
            "local_minima_total": sum(e.counts.local_minima for e in solved),
            "paths_total": sum(e.counts.paths for e in solved),
            "methods": {m: sum(e.method == m for e in solved) for m in methods},
            "failures": {
                "flagged": [e.index for e in entries if e.status is InstanceStatus.FLAGGED],
                "errors": [e.index for e in entries if e.status is InstanceStatus.ERROR],
                "pending": [e.index for e in entries if e.status is InstanceStatus.PENDING],
                "failed_paths": sum(e.counts.failed for e in solved),
            },
        }

    def to_json(self) -> dict:
        return {"algeo_result": "sweep", "schema_version": 1, "settings": self.settings.to_json(),
                "aggregates": self.aggregates, "instances": [e.to_json() for e in self.instances]}

    @classmethod
    def from_json(cls, data: dict, *, directory: str | Path | None = None) -> "SweepResult":
        """The summary :meth:`to_json` wrote (``OUT/summary.json``); ``directory`` is where ``OUT`` is."""
        expect_kind(data, "sweep")
        return cls(SweepSettings.from_json(data["settings"]),
                   tuple(SweepInstance.from_json(e) for e in data["instances"]),
                   Path(directory) if directory is not None else None)

    @classmethod
    def load(cls, directory: str | Path) -> "SweepResult":
        """The sweep stored in ``directory`` (its ``summary.json``)."""
        path = Path(directory) / "summary.json"
        if not path.is_file():
            raise InputError("directory", f"{str(directory)!r} holds no summary.json",
                             "give the --out directory of a finished algeo sweep (a re-run writes the summary)")
        return cls.from_json(json.loads(path.read_text()), directory=directory)

    def instance_results(self) -> Iterator[SolveResult]:
        """The :class:`SolveResult` of every solved instance, read from ``directory`` one at a time."""
        if self.directory is None:
            raise InputError("directory", "is unknown for this sweep",
                             "load it with SweepResult.load(OUT) or algeo.load_result(OUT)")
        for entry in self.solved:
            yield SolveResult.from_json(json.loads(instance_path(self.directory, entry.index).read_text()))

    def summary(self) -> str:
        a = self.aggregates
        s = self.settings
        histogram = ", ".join(f"{k}: {v}" for k, v in a["index_histogram"].items()) or "none"
        lines = [f"SweepResult  widths {','.join(map(str, s.widths))}  samples {s.samples}  seed {s.seed}  "
                 f"regularization {s.regularization}",
                 f"• {a['solved']}/{s.instances} solved; methods {a['methods']}",
                 f"• N_C = {a['N_C']}, N_C* = {a['N_C*']}{'' if a['N_C_agrees'] else ' (instances disagree)'}; "
                 f"N_R min/mean/max = {a['N_R']['min']}/{_mean(a['N_R']['mean'])}/{a['N_R']['max']}",
                 f"• real points by Hessian index: {histogram}; local minima: {a['local_minima_total']}"]
        failures = a["failures"]
        for key in ("flagged", "errors", "pending"):
            if failures[key]:
                lines.append(f"✗ {key}: instances {failures[key]}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return summary_html(self.summary())

    def to_dataframe(self):
        """A ``pandas.DataFrame`` with one row per instance: index, seed, status, method, seconds and its counts
        (``N_C``, ``N_C*``, ``N_R``, local minima, paths, and ``index_k`` real points of Hessian index ``k``)."""
        indices = sorted({k for e in self.solved for k in e.counts.index})
        rows = []
        for e in self.instances:
            row = {"index": e.index, "seed": e.seed, "status": e.status.value, "method": e.method,
                   "seconds": e.seconds, "N_C": None, "N_C*": None, "N_R": None, "local_minima": None, "paths": None}
            if e.counts is not None:
                row.update({"N_C": e.counts.complex, "N_C*": e.counts.nonzero, "N_R": e.counts.real,
                            "local_minima": e.counts.local_minima, "paths": e.counts.paths})
                row.update({f"index_{k}": e.counts.index.get(k, 0) for k in indices})
            rows.append(row)
        return data_frame(rows)


def _mean(value: float | None) -> str:
    return "None" if value is None else f"{value:.2f}"
