"""``sweep``: solve many random instances of one architecture, resumably, in parallel.

Layout of the output directory ``OUT`` (docs/sweep.md):

- ``OUT/sweep.json``: the settings (widths, samples, instances, seed, regularization,
  digits, method). A re-run with other settings into the same ``OUT`` is refused.
- ``OUT/instances/NNNN.json``: one :class:`~algeo.results.solve_result.SolveResult` per instance,
  the same schema as ``algeo solve --json``, written atomically. A file exists only
  when its instance finished, so a re-run skips exactly the finished instances.
- ``OUT/summary.json``: the list of instances (index, seed, counts, status) and the
  aggregates (N_C, N_C*, min/max/mean N_R, index histogram, failures).

Work runs in local processes (:class:`concurrent.futures.ProcessPoolExecutor`) or on a
Dask distributed cluster; workers return the result as JSON and only the calling
process writes files, so workers need no shared file system.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import logging
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Callable, Iterator, Sequence

from ..model.architecture import Architecture
from ..exceptions import BackendUnavailableError, InputError
from ..results.solve_result import write_json_atomically

__all__ = ["SweepSettings", "InstanceStatus", "instance_seed", "run_sweep", "summarize", "solve_instance",
           "finished_indices", "SWEEP_METHODS"]

logger = logging.getLogger(__name__)

#: ``auto``: parameter homotopy from a stored start set (built on first use), blackbox fallback
#: per instance; ``blackbox``: PHCpack's blackbox for every instance.
SWEEP_METHODS = ("auto", "blackbox")


class InstanceStatus(str, enum.Enum):
    """How one instance of a sweep ended."""

    OK = "ok"  # solved, every consistency check passed
    FLAGGED = "flagged"  # solved, but a check failed (see the instance's ``problems``)
    ERROR = "error"  # no result: an exception (recorded in summary.json, retried on re-run)


def instance_seed(seed: int, index: int) -> int:
    """Seed of instance ``index`` of a sweep with seed ``seed``: deterministic, 31-bit, independent draws.

    >>> instance_seed(1, 0) == instance_seed(1, 0), instance_seed(1, 0) != instance_seed(1, 1)
    (True, True)
    """
    digest = hashlib.sha256(f"algeo-sweep-{int(seed)}-{int(index)}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFF_FFFF


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

    def __post_init__(self) -> None:
        Architecture(tuple(self.widths))
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

    def seeds(self) -> list[int]:
        return [instance_seed(self.seed, k) for k in range(self.instances)]


def _instance_path(out: Path, index: int) -> Path:
    return out / "instances" / f"{index:04d}.json"


def _read_finished(path: Path, settings: SweepSettings, index: int) -> dict | None:
    """The stored result of a finished instance, or None; a foreign result is an error."""
    if not path.exists():
        return None
    try:
        content = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        logger.warning("%s is unreadable; the instance will be solved again", path)
        return None
    provenance = content.get("provenance", {})
    expected = (list(settings.widths), settings.samples, settings.seeds()[index])
    found = (provenance.get("widths"), provenance.get("samples"), provenance.get("seed"))
    if found != expected:
        raise InputError("out", f"{path} holds widths/samples/seed {found}, this sweep expects {expected}",
                         "choose another --out directory")
    return content


def finished_indices(out: str | Path, settings: SweepSettings) -> list[int]:
    """Indices whose result file exists (and belongs to this sweep)."""
    out = Path(out)
    return [k for k in range(settings.instances) if _read_finished(_instance_path(out, k), settings, k) is not None]


def _check_settings(out: Path, settings: SweepSettings) -> None:
    manifest = out / "sweep.json"
    if manifest.exists():
        stored = json.loads(manifest.read_text())
        mine = settings.to_json()
        keys = [k for k in mine if k not in ("instances", "method")]
        different = [k for k in keys if stored.get(k) != mine[k]]
        if different:
            raise InputError("out", f"{out} holds a sweep with other settings ({', '.join(different)} differ)",
                             "choose another --out directory or repeat the original options")
    if out.exists() and not out.is_dir():
        raise InputError("out", f"{str(out)!r} is a file", "give a directory")


def solve_instance(settings_json: dict, index: int, start_set_path: str | None = None) -> dict:
    """Solve instance ``index`` (runs in a worker process); returns the result JSON.

    Never raises for a failed solve: an exception comes back as
    ``{"error": text}`` so the sweep records it and a re-run retries it.
    """
    from .options import SolveOptions
    from .solve import solve

    settings = SweepSettings(**{k: (tuple(v) if k == "widths" else v) for k, v in settings_json.items()
                                if k != "algeo_sweep"})
    seed = settings.seeds()[index]
    try:
        if settings.method == "blackbox" or start_set_path is None:
            start_set = "none"
        else:
            start_set = start_set_path
        result = solve(settings.widths, samples=settings.samples, seed=seed, regularization=settings.regularization,
                       options=SolveOptions(digits=settings.digits, start_set=start_set))
    except (InputError, BackendUnavailableError):
        raise
    except Exception as error:  # recorded as data: the sweep goes on, a re-run retries
        logger.exception("instance %d failed", index)
        return {"error": f"{type(error).__name__}: {error}"}
    return result.to_json()


def _entry(index: int, seed: int, content: dict) -> dict:
    counts = content["counts"]
    return {"index": index, "seed": seed, "counts": counts,
            "status": (InstanceStatus.OK if content["ok"] else InstanceStatus.FLAGGED).value,
            "method": content.get("provenance", {}).get("method", {}).get("name", "blackbox"),
            "fallback": content.get("provenance", {}).get("method", {}).get("fallback_reason"),
            "seconds": content.get("provenance", {}).get("wall_time_seconds")}


def summarize(out: str | Path, settings: SweepSettings, errors: dict[int, str] | None = None) -> dict:
    """Build ``summary.json`` from the instance files (and the errors of this run)."""
    out = Path(out)
    errors = errors or {}
    entries = []
    seeds = settings.seeds()
    for index in range(settings.instances):
        content = _read_finished(_instance_path(out, index), settings, index)
        if content is not None:
            entries.append(_entry(index, seeds[index], content))
        elif index in errors:
            entries.append({"index": index, "seed": seeds[index], "counts": None,
                            "status": InstanceStatus.ERROR.value, "error": errors[index]})
        else:
            entries.append({"index": index, "seed": seeds[index], "counts": None, "status": "pending"})
    solved = [e for e in entries if e["counts"] is not None]
    complex_counts = sorted({e["counts"]["complex"] for e in solved})
    nonzero_counts = sorted({e["counts"]["nonzero"] for e in solved})
    reals = [e["counts"]["real"] for e in solved]
    histogram: dict[str, int] = {}
    for e in solved:
        for key, value in e["counts"]["index"].items():
            histogram[key] = histogram.get(key, 0) + value
    aggregates = {
        "widths": list(settings.widths), "samples": settings.samples,
        "instances": settings.instances, "solved": len(solved),
        "N_C": complex_counts[0] if len(complex_counts) == 1 else complex_counts,
        "N_C*": nonzero_counts[0] if len(nonzero_counts) == 1 else nonzero_counts,
        "N_C_agrees": len(complex_counts) <= 1 and len(nonzero_counts) <= 1,
        "N_R": {"min": min(reals, default=None), "max": max(reals, default=None),
                "mean": (sum(reals) / len(reals)) if reals else None},
        "index_histogram": dict(sorted(histogram.items(), key=lambda kv: int(kv[0]))),
        "local_minima_total": sum(e["counts"]["local_minima"] for e in solved),
        "paths_total": sum(e["counts"]["paths"] for e in solved),
        "methods": {m: sum(e["method"] == m for e in solved) for m in sorted({e["method"] for e in solved})},
        "failures": {
            "flagged": [e["index"] for e in entries if e["status"] == InstanceStatus.FLAGGED.value],
            "errors": [e["index"] for e in entries if e["status"] == InstanceStatus.ERROR.value],
            "pending": [e["index"] for e in entries if e["status"] == "pending"],
            "failed_paths": sum(e["counts"]["failed"] for e in solved),
        },
    }
    return {"algeo_result": "sweep", "schema_version": 1, "settings": settings.to_json(),
            "aggregates": aggregates, "instances": entries}


class _LocalPool:
    def __init__(self, workers: int):
        self.executor = ProcessPoolExecutor(max_workers=workers)

    def submit(self, function, *args):
        return self.executor.submit(function, *args)

    def completed(self, futures) -> Iterator:
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=1.0, return_when=FIRST_COMPLETED)
            yield from done

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


class _DaskPool:
    def __init__(self, address):
        try:
            from dask.distributed import Client
        except ImportError:
            raise BackendUnavailableError("--scheduler needs Dask: pip install 'dask[distributed]' "
                                          "(or pip install 'algeo[distributed]')") from None
        self.client = address if not isinstance(address, str) else Client(address)
        self.owns_client = isinstance(address, str)

    def submit(self, function, *args):
        return self.client.submit(function, *args, pure=False)

    def completed(self, futures) -> Iterator:
        from dask.distributed import as_completed

        yield from as_completed(futures)

    def close(self) -> None:
        if self.owns_client:
            self.client.close()


def run_sweep(
    settings: SweepSettings,
    out: str | Path,
    *,
    workers: int = 2,
    scheduler=None,
    start_set_path: str | None = None,
    on_instance: Callable[[int, dict | None, int, int], None] | None = None,
) -> dict:
    """Solve every unfinished instance of ``settings`` into ``out``; returns the summary.

    Parameters
    ----------
    workers : local processes (ignored with ``scheduler``).
    scheduler : a Dask scheduler address (``"tcp://host:8786"``) or a
        ``dask.distributed.Client``; None runs locally.
    start_set_path : the start set file for the parameter homotopy (method auto or
        homotopy); made by the caller so that workers never race to build it.
    on_instance : called in this process after each instance with
        ``(index, content or None, paths, finished_count)``; ``paths`` are those PHCpack tracked
        (sign-flip images not counted).
    """
    out = Path(out)
    _check_settings(out, settings)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError("workers", f"is {workers!r}; give a positive integer")
    (out / "instances").mkdir(parents=True, exist_ok=True)
    write_json_atomically(settings.to_json(), out / "sweep.json")
    done = set(finished_indices(out, settings))
    todo = [k for k in range(settings.instances) if k not in done]
    errors: dict[int, str] = {}
    settings_json = settings.to_json()
    if todo:
        pool = _DaskPool(scheduler) if scheduler is not None else _LocalPool(min(workers, len(todo)))
        try:
            futures = {pool.submit(solve_instance, settings_json, k, start_set_path): k for k in todo}
            for future in pool.completed(list(futures)):
                index = futures[future]
                content = future.result()
                if "error" in content:
                    errors[index] = content["error"]
                    paths = 0
                    stored = None
                else:
                    write_json_atomically(content, _instance_path(out, index))
                    done.add(index)
                    method = (content.get("provenance") or {}).get("method") or {}
                    paths = content["counts"]["paths"] - (method.get("paths_by_sign_flip") or 0)  # tracked ones
                    stored = content
                if on_instance is not None:
                    on_instance(index, stored, paths, len(done))
        finally:
            pool.close()
    summary = summarize(out, settings, errors)
    write_json_atomically(summary, out / "summary.json")
    return summary
