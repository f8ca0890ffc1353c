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

import json
import logging
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from .._fork import WORKERS_VARIABLE
from ..exceptions import BackendUnavailableError, InputError
from ..model.architecture import Architecture
from ..results.solve_result import write_json_atomically
from ..results.sweep_result import (SWEEP_METHODS, InstanceStatus, SweepInstance, SweepResult, SweepSettings,
                                    instance_path, instance_seed)

if TYPE_CHECKING:
    from ..startsets.store import StartSet

__all__ = ["SweepSettings", "InstanceStatus", "instance_seed", "run_sweep", "summarize", "collect", "solve_instance",
           "finished_indices", "prepare_start_set", "sweep", "SWEEP_METHODS", "START_SET_METHODS"]

#: how a missing start set is made (algeo.startsets.build)
START_SET_METHODS = ("auto", "msolve", "blackbox", "monodromy")

logger = logging.getLogger(__name__)


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
    return [k for k in range(settings.instances) if _read_finished(instance_path(out, k), settings, k) is not None]


def _check_settings(out: Path, settings: SweepSettings) -> None:
    manifest = out / "sweep.json"
    if manifest.exists():
        stored = json.loads(manifest.read_text())
        mine = settings.to_json()
        keys = [k for k in mine if k not in ("instances", "method")]
        defaults = {"exact_budget": SweepSettings.exact_budget}  # sweeps written before the field existed used it
        different = [k for k in keys if stored.get(k, defaults.get(k)) != mine[k]]
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

    settings = SweepSettings.from_json(settings_json)
    seed = settings.seeds()[index]
    try:
        if settings.method == "blackbox" or start_set_path is None:
            start_set = "none"
        else:
            start_set = start_set_path
        result = solve(settings.widths, samples=settings.samples, seed=seed, regularization=settings.regularization,
                       options=SolveOptions(digits=settings.digits, start_set=start_set,
                                            exact_budget=settings.exact_budget, exact_threads=1))
    except (InputError, BackendUnavailableError):
        raise
    except Exception as error:  # recorded as data: the sweep goes on, a re-run retries
        logger.exception("instance %d failed", index)
        return {"error": f"{type(error).__name__}: {error}"}
    return result.to_json()


def summarize(out: str | Path, settings: SweepSettings, errors: dict[int, str] | None = None) -> dict:
    """Build ``summary.json`` from the instance files (and the errors of this run)."""
    return collect(out, settings, errors).to_json()


def collect(out: str | Path, settings: SweepSettings, errors: dict[int, str] | None = None) -> SweepResult:
    """The :class:`SweepResult` of the instance files in ``out`` (and the errors of this run)."""
    out = Path(out)
    errors = errors or {}
    entries = []
    for index, seed in enumerate(settings.seeds()):
        content = _read_finished(instance_path(out, index), settings, index)
        if content is not None:
            entries.append(SweepInstance.from_result(index, seed, content))
        elif index in errors:
            entries.append(SweepInstance(index, seed, InstanceStatus.ERROR, error=errors[index]))
        else:
            entries.append(SweepInstance(index, seed, InstanceStatus.PENDING))
    return SweepResult(settings, tuple(entries), out)


def _one_process_each() -> None:
    """A sweep worker's initializer: its solves do not split their tracking over more processes."""
    os.environ[WORKERS_VARIABLE] = "1"


class _LocalPool:
    def __init__(self, workers: int):
        self.executor = ProcessPoolExecutor(max_workers=workers, initializer=_one_process_each)

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
                    write_json_atomically(content, instance_path(out, index))
                    done.add(index)
                    method = (content.get("provenance") or {}).get("method") or {}
                    paths = content["counts"]["paths"] - (method.get("paths_by_sign_flip") or 0)  # tracked ones
                    stored = content
                if on_instance is not None:
                    on_instance(index, stored, paths, len(done))
        finally:
            pool.close()
    summary = collect(out, settings, errors).to_json()
    write_json_atomically(summary, out / "summary.json")
    return summary


def prepare_start_set(settings: SweepSettings, *, method: str = "auto", workers: int = 1,
                      progress: Callable[[int], None] | None = None) -> tuple[str, "StartSet"] | None:
    """The start set of the parameter homotopy and its file, made here once (None: every instance uses the blackbox).

    Parameters
    ----------
    settings : the sweep's settings; ``method="blackbox"`` or a scalar ``Lambda`` need no start set.
    method : how a missing set is made: ``"auto"`` (msolve when installed, else monodromy),
        ``"msolve"``, ``"blackbox"`` or ``"monodromy"`` (docs/sweep.md).
    workers : processes for monodromy.
    progress : called with the number of paths tracked (points found, for monodromy) while a set is made.
    """
    from ..model.data import parse_regularization
    from ..model.family import family_mode, tracking_family
    from ..startsets.build import default_method, ensure_start_set
    from ..startsets.store import find_start_set
    from .solve import instance_check

    if method not in START_SET_METHODS:
        raise InputError("start_set_method", f"is {method!r}", f"use one of {', '.join(START_SET_METHODS)}")
    if settings.method == "blackbox":
        return None
    architecture = Architecture(settings.widths)
    regularization = parse_regularization(settings.regularization, architecture, settings.seed)
    try:
        mode = family_mode(regularization)
    except InputError:
        return None  # scalar Lambda: no parameter homotopy, every instance uses the blackbox
    family = tracking_family(architecture, settings.samples, mode)
    method = default_method(family) if method == "auto" else method
    ensure_start_set(family, progress=progress, method=method, workers=workers,
                     check_instance=instance_check(family) if method == "blackbox" else None)
    start_set, path = find_start_set(family)  # the user's library or the shipped sets
    return str(path), start_set


def sweep(
    widths: Architecture | Sequence[int] | str,
    *,
    samples: int,
    instances: int,
    out: str | Path,
    seed: int = 0,
    regularization: str = "generic",
    digits: int = 40,
    method: str = "auto",
    start_set_method: str = "auto",
    workers: int = 2,
    scheduler=None,
    on_instance: Callable[[int, dict | None, int, int], None] | None = None,
) -> SweepResult:
    """Solve ``instances`` random instances of one architecture into ``out`` (``algeo sweep``).

    Resumable: a second call with the same settings solves only the instances without a
    result file. The start set of the parameter homotopy is made first when missing.

    Parameters
    ----------
    widths : ``"2,2,2"``, a sequence of ints or an :class:`~algeo.model.architecture.Architecture`.
    samples, instances, seed : ``m``, the number ``K`` of instances and the sweep seed
        (instance ``k`` uses ``instance_seed(seed, k)``).
    out : the output directory (docs/sweep.md).
    regularization : ``generic``, ``generic*SCALE`` (the generic ``Lambda`` times ``SCALE``) or a scalar.
    digits : refinement precision.
    method : ``auto`` (parameter homotopy, blackbox fallback) or ``blackbox``.
    start_set_method : how a missing start set is made (``auto``, ``msolve``, ``blackbox`` or ``monodromy``).
    workers, scheduler : local processes, or a Dask scheduler address / client.
    on_instance : called after each instance, as in :func:`run_sweep`.

    Returns
    -------
    SweepResult
        The summary, with ``directory=out`` so that :meth:`SweepResult.instance_results` reads the instances.
    """
    from .instance import parse_architecture

    settings = SweepSettings(widths=parse_architecture(widths).widths, samples=samples, instances=instances,
                             seed=seed, regularization=regularization, digits=digits, method=method)
    prepared = prepare_start_set(settings, method=start_set_method, workers=workers)
    summary = run_sweep(settings, out, workers=workers, scheduler=scheduler,
                        start_set_path=prepared[0] if prepared else None,
                        on_instance=on_instance)
    return SweepResult.from_json(summary, directory=out)
