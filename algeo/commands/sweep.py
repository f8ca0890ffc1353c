"""``algeo sweep``: many random instances of one architecture, resumable and parallel."""

from __future__ import annotations

import argparse
import time

from ..exceptions import InputError
from ..pipeline.options import DEFAULT_EXACT_BUDGET


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "sweep", help="solve many random instances of one architecture (resumable, parallel)",
        description="Solve --instances random instances into OUT/instances/NNNN.json and write OUT/summary.json. "
        "Re-running the same command skips the finished instances.")
    parser.add_argument("--widths", required=True, help="d0,d1,...,dH: input, hidden and output widths")
    parser.add_argument("--samples", type=int, required=True, help="number m of random samples per instance")
    parser.add_argument("--instances", type=int, required=True, help="number K of random instances")
    parser.add_argument("--seed", type=int, default=0, help="sweep seed; instance seeds are derived from it")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--regularization", default="generic",
                        help="generic (default), generic*SCALE (the generic Lambda times SCALE, e.g. generic*1/100) "
                        "or a positive scalar")
    parser.add_argument("--digits", type=int, default=40, help="refinement precision (default %(default)s)")
    parser.add_argument("--method", choices=("auto", "blackbox"), default="auto",
                        help="auto: parameter homotopy from the start-set library (made on first use), with a "
                        "blackbox fallback per instance (default); blackbox: PHCpack's blackbox only")
    parser.add_argument("--start-set-method", choices=("auto", "msolve", "blackbox", "monodromy"), default="auto",
                        help="how a missing start set is made: auto (default: msolve when installed, else monodromy), "
                        "msolve (exact solutions at rational start data), blackbox (PHCpack's blackbox at random "
                        "complex data, checked on a real instance) or monodromy (loops in parameter space, "
                        "completeness by the modular count or the trace test)")
    parser.add_argument("--exact-budget", type=float, default=DEFAULT_EXACT_BUDGET,
                        help="seconds for msolve's exact count of each instance, run beside its solve (default "
                        "%(default)s; 0: none, the verified start-set size is the independent check)")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes (default %(default)s)")
    parser.add_argument("--scheduler", help="address of a Dask distributed scheduler, e.g. tcp://host:8786")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..model.architecture import Architecture
    from ..pipeline.sweep import SweepSettings, finished_indices, run_sweep

    settings = SweepSettings(widths=Architecture.parse(args.widths).widths, samples=args.samples,
                             instances=args.instances, seed=args.seed, regularization=args.regularization,
                             digits=args.digits, method=args.method, exact_budget=args.exact_budget)
    if args.workers < 1:
        raise InputError("workers", f"is {args.workers}; give a positive integer")
    from pathlib import Path

    out = Path(args.out)
    already = len(finished_indices(out, settings)) if (out / "instances").is_dir() else 0
    start_set_path = _prepare_start_set(settings, quiet=args.quiet, method=args.start_set_method,
                                        workers=args.workers)
    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(total=settings.instances, initial=already, desc="instances", unit="instance")
    started = time.monotonic()
    paths_done = [0]

    def on_instance(index: int, content, paths: int, finished: int) -> None:
        paths_done[0] += paths
        if bar is not None:
            bar.n = finished
            rate = paths_done[0] / max(time.monotonic() - started, 1e-9)
            bar.set_postfix_str(f"{rate:.1f} paths/s")
            bar.refresh()
        if content is None:
            print(f"instance {index}: error (recorded; a re-run retries it)")

    try:
        summary = run_sweep(settings, out, workers=args.workers, scheduler=args.scheduler,
                            start_set_path=start_set_path, on_instance=on_instance)
    finally:
        if bar is not None:
            bar.close()
    aggregates = summary["aggregates"]
    failures = aggregates["failures"]
    print(f"sweep widths {args.widths} m = {args.samples}: {aggregates['solved']}/{settings.instances} solved; "
          f"N_C = {aggregates['N_C']}, N_C* = {aggregates['N_C*']}, N_R min/mean/max = "
          f"{aggregates['N_R']['min']}/{aggregates['N_R']['mean']}/{aggregates['N_R']['max']}; "
          f"methods {aggregates['methods']}")
    print(f"wrote {out / 'summary.json'}")
    bad = failures["flagged"] or failures["errors"] or failures["pending"] or not aggregates["N_C_agrees"]
    return 1 if bad else 0


def _prepare_start_set(settings, *, quiet: bool, method: str = "auto", workers: int = 1) -> str | None:
    """The start set file for the parameter homotopy (None: blackbox), with a progress bar when it is made."""
    from ..pipeline.sweep import prepare_start_set

    bar = None

    def report(done: int) -> None:  # called only while a missing set is made
        nonlocal bar
        if quiet:
            return
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(desc=f"building the start set by {method} (first use)",
                       unit="point" if method == "monodromy" else "path")
        bar.n = done
        bar.refresh()

    try:
        prepared = prepare_start_set(settings, method=method, workers=workers, progress=report)
    finally:
        if bar is not None:
            bar.close()
    if prepared is None:
        return None
    path, start_set = prepared
    if not quiet:
        print(f"start set {path} ({start_set.size} solutions, confirmed by "
              f"{', '.join(start_set.check.get('confirmed_by', [])) or 'nothing'})")
    return path
