"""``algeo relu regions|phase|solve``: one-hidden-layer ReLU networks (docs/relu.md)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..exceptions import InputError
from ..results.solve_result import write_json_atomically
from .solve import check_output_path


def _add_data_arguments(parser: argparse.ArgumentParser, *, example: str) -> None:
    parser.add_argument("--widths", required=True, help=f"{example}")
    parser.add_argument("--samples", type=int, help="number n of random samples (columns of X)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random data and sampling (default 0)")
    parser.add_argument("--bias", action="store_true", help="first layer has a bias b")
    parser.add_argument("--data", help='JSON file {"X": [[...]], "Y": [[...]]} (exact entries)')
    parser.add_argument("--json", help="write the result here (atomically)")


def register(subparsers) -> None:
    parser = subparsers.add_parser("relu", help="one-hidden-layer ReLU networks: regions, phase diagram, "
                                   "critical points", description="One-hidden-layer ReLU networks F(x) = V relu(Wx+b).")
    commands = parser.add_subparsers(dest="relu_command", required=True, parser_class=type(parser))

    regions = commands.add_parser("regions", help="exact activation regions and Jacobian ranks")
    _add_data_arguments(regions, example="d0,d1: input width and number of ReLU units")
    regions.add_argument("--max-regions", type=int, default=None, help="exact enumeration limit (default 10000)")
    regions.add_argument("--trials", type=int, default=1000, help="parameter draws when sampling (default 1000)")
    regions.set_defaults(func=run_regions)

    phase = commands.add_parser(
        "phase", help="fraction of full-rank Jacobians over a grid of n and d1 (Karhadkar et al.)",
        description="Karhadkar et al.'s full-rank experiment. Without --samples/--width the authors' grids: "
        "n = 10:100:10, d1 = 30:300:30 for a fixed d0; n = 10:190:20, d1 = 1:15:1 for --ratio.")
    phase.add_argument("--protocol", default="karhadkar",
                       help="karhadkar (the authors' sampling, fresh data per trial; default) or algeo "
                       "(one centred dataset per n, Gaussian parameters, exact rank; the project's earlier law)")
    phase.add_argument("--d0", help="input dimensions, e.g. 2 or 1,2,3,5 (one grid each)")
    phase.add_argument("--ratio", help="instead of --d0: d0 = ceil(ratio n), e.g. 0.25,0.5,1,2 (karhadkar only)")
    phase.add_argument("--samples", help="dataset sizes n, start:stop:step or a,b,c (x axis)")
    phase.add_argument("--width", help="widths d1, start:stop:step or a,b,c (y axis)")
    phase.add_argument("--trials", type=int, default=100, help="trials per cell (default 100)")
    phase.add_argument("--seed", type=int, default=0)
    phase.add_argument("--rank", help="rank methods, any of exact,float64,float32 (default exact,float32 side by "
                       "side; the algeo protocol has exact only)")
    phase.add_argument("--workers", type=int, default=1, help="cells computed in this many processes (default 1)")
    phase.add_argument("--no-bias", dest="bias", action="store_false", help="no bias (algeo protocol only)")
    phase.add_argument("--out", required=True, help="directory for <protocol>_d0_<d0>.csv/.png (or _ratio_<r>)")
    phase.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    phase.set_defaults(func=run_phase_command)

    solve = commands.add_parser("solve", help="every differentiable critical point, region by region")
    _add_data_arguments(solve, example="d0,d1,dy: input, hidden and output widths")
    solve.add_argument("--regularization", default="generic",
                       help="generic (random positive lambda per parameter, seeded; default) or a positive scalar such as 1/100 "
                       "(weights; biases get 1/1000 of it)")
    solve.add_argument("--scale", default="1/100",
                       help="generic Lambda entries are drawn in (0, scale] (default 1/100)")
    solve.add_argument("--digits", type=int, default=40, help="refinement precision (default 40)")
    solve.add_argument("--max-regions", type=int, default=200, help="refuse more regions than this (default 200)")
    solve.add_argument("--timeout", type=float, default=600.0, help="seconds per PHCpack attempt")
    solve.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    solve.set_defaults(func=run_solve)


def _positive(value, field):
    if value is not None and (isinstance(value, bool) or value <= 0):
        raise InputError(field, f"is {value!r}; it must be a positive integer")


def run_regions(args: argparse.Namespace) -> int:
    from ..relu.instance import parse_relu_widths
    from ..relu.regions import MAX_REGIONS, regions

    architecture = parse_relu_widths(args.widths, bias=args.bias, output=False)
    _positive(args.max_regions, "max-regions")
    _positive(args.trials, "trials")
    target = check_output_path(args.json)
    result = regions(architecture, samples=args.samples, seed=args.seed, data=args.data,
                     max_regions=args.max_regions or MAX_REGIONS, trials=args.trials)
    print(result.summary())
    if target is not None:
        write_json_atomically(result.to_json(), target)
        print(f"wrote {target}")
    return 0 if result.ok else 1


def phase_grids(args: argparse.Namespace) -> list:
    """The grids an ``algeo relu phase`` command asks for (InputError naming the option otherwise)."""
    from ..relu.phase import AUTHORS_FIXED_D0, AUTHORS_RATIOS, PhaseGrid, parse_range, parse_ratios

    _positive(args.trials, "trials")
    if (args.d0 is None) == (args.ratio is None):
        raise InputError("d0", "give exactly one of --d0 and --ratio", "e.g. --d0 1,2,3,5 or --ratio 0.25,0.5,1,2")
    if args.d0 is not None:
        fixed = [(d0, None) for d0 in parse_range(args.d0, "d0")]
        samples, widths = AUTHORS_FIXED_D0[1:]
    else:
        fixed = [(None, ratio) for ratio in parse_ratios(args.ratio)]
        samples, widths = AUTHORS_RATIOS[1:]
    samples = parse_range(args.samples, "samples") if args.samples else samples
    widths = parse_range(args.width, "width") if args.width else widths
    default_ranks = "exact" if args.protocol == "algeo" else "exact,float32"
    ranks = tuple(part.strip() for part in (args.rank or default_ranks).split(","))
    return [PhaseGrid(args.protocol, d0, ratio, samples, widths, args.trials, args.seed, ranks, bias=args.bias)
            for d0, ratio in fixed]


def run_phase_command(args: argparse.Namespace) -> int:
    from ..relu.phase import run_grids
    from ..relu.phase_plot import plot_grid

    grids = phase_grids(args)
    _positive(args.workers, "workers")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError("out", f"{args.out!r} is a file", "give a directory")
    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(desc="grid cells", unit="cell")

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.refresh()

    started = time.monotonic()
    try:
        results, computed = run_grids(grids, out, workers=args.workers, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    for grid, cells in results.items():
        written = plot_grid(grid, cells, out / grid.name)
        print(f"{grid.name}: {len(cells)} rows; wrote {out / (grid.name + '.csv')}, "
              + ", ".join(str(p) for p in written))
    total = sum(len(cells) for cells in results.values())
    print(f"{computed} cells computed now ({total} rows in all) in {time.monotonic() - started:.1f} s "
          f"with {args.workers} worker(s)")
    return 0


def run_solve(args: argparse.Namespace) -> int:
    from ..relu.instance import parse_relu_widths
    from ..relu.solve import solve_relu

    architecture = parse_relu_widths(args.widths, bias=args.bias, output=True)
    _positive(args.max_regions, "max-regions")
    target = check_output_path(args.json)
    result = solve_relu(architecture, samples=args.samples, seed=args.seed, data=args.data,
                        regularization=args.regularization, scale=args.scale, digits=args.digits,
                        max_regions=args.max_regions, timeout=args.timeout, progress=not args.quiet)
    print(result.summary())
    if target is not None:
        write_json_atomically(result.to_json(), target)
        print(f"wrote {target}")
    return 0 if result.ok else 1
