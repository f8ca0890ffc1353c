"""Work split over forked child processes: one share computed in this process, the others in children.

The batched tracker and the per-point refinements are numpy and mpmath loops in one Python
thread; on a machine with two cores half of a batch can run in a child at the same time. A child
is an ``os.fork`` of this process (no pickling of the work: it inherits the closures and
arrays), sends its share's result back pickled through a pipe and exits. A child that crashes,
is killed or raises is not lost: its share is computed again here, and the reason is logged.

How many processes: :func:`worker_count` (the environment variable ``ALGEO_WORKERS``, else the
cores this process may run on). The sweep's own worker processes set it to 1, so that a sweep
does not fork twice over.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
from typing import Callable, Sequence, TypeVar

from ._process import die_with_parent

__all__ = ["worker_count", "run_split", "map_split", "WORKERS_VARIABLE"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
WORKERS_VARIABLE = "ALGEO_WORKERS"


def worker_count() -> int:
    """Processes for split work: ``ALGEO_WORKERS`` when set (an integer >= 1), else the usable cores."""
    given = os.environ.get(WORKERS_VARIABLE, "").strip()
    if given:
        try:
            value = int(given)
        except ValueError:
            value = 0
        if value >= 1:
            return value
        logger.warning("%s=%r is not a positive integer; using one process", WORKERS_VARIABLE, given)
        return 1
    if not hasattr(os, "fork"):
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _child(work: Callable[[], T], fd: int) -> None:  # pragma: no cover - runs in the forked child
    code = 0
    try:
        hook = die_with_parent()
        if hook is not None:
            hook()
        payload = pickle.dumps(("ok", work()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which computes the share again
        payload = pickle.dumps(("error", f"{type(error).__name__}: {error}"))
        code = 1
    try:
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.close(fd)
    finally:
        os._exit(code)


def run_split(shares: Sequence[Callable[[], T]]) -> list[T]:
    """Every ``share()``, in order: the first here, the others each in a forked child at the same time.

    A child's result must pickle. A child that fails (exception, signal, a result that does not
    arrive whole) has its share computed again in this process, with a warning naming why.
    """
    if len(shares) <= 1 or not hasattr(os, "fork"):
        return [share() for share in shares]
    children: list[tuple[int, int] | None] = []
    for share in shares[1:]:
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError as error:
            os.close(read_fd)
            os.close(write_fd)
            logger.warning("could not fork a worker (%s); its share runs in this process", error)
            children.append(None)
            continue
        if pid == 0:  # pragma: no cover - the child
            os.close(read_fd)
            _child(share, write_fd)
        os.close(write_fd)
        children.append((pid, read_fd))
    try:
        results = [shares[0]()]
    except BaseException:
        for child in children:
            if child is not None:
                pid, read_fd = child
                os.close(read_fd)
                try:
                    os.kill(pid, 9)
                    os.waitpid(pid, 0)
                except OSError:
                    pass
        raise
    for share, child in zip(shares[1:], children):
        if child is None:
            results.append(share())
            continue
        pid, read_fd = child
        try:
            payload = _read_all(read_fd)
        finally:
            os.close(read_fd)
        _, status = os.waitpid(pid, 0)
        why = None
        try:
            kind, value = pickle.loads(payload)
            if kind != "ok":
                why = value
        except Exception as error:  # noqa: BLE001 - an incomplete payload: the child died while writing
            why = f"no result ({type(error).__name__}; exit status {status})"
        if why is None:
            results.append(value)
        else:
            logger.warning("a worker process failed (%s); its share was computed again in this process", why)
            results.append(share())
    return results


def map_split(function: Callable[[Sequence], list[T]], items: Sequence, *, min_share: int,
              workers: int | None = None) -> list[T]:
    """``function(items)`` computed as contiguous shares of at least ``min_share`` items over the workers.

    ``function`` maps a list of items to a list of results, one per item, each independent of
    the others; the shares' results are concatenated in order (:func:`run_split`).
    """
    workers = worker_count() if workers is None else workers
    parts = max(1, min(workers, len(items) // max(1, min_share)))
    if parts == 1:
        return list(function(items))
    bounds = [round(k * len(items) / parts) for k in range(parts + 1)]
    shares = [lambda lo=lo, hi=hi: list(function(items[lo:hi])) for lo, hi in zip(bounds[:-1], bounds[1:])]
    return [result for share in run_split(shares) for result in share]
