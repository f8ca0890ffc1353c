"""``algeo relu regions|phase|solve``: one-hidden-layer ReLU networks (docs/relu.md)."""

from __future__ import annotations

import argparse
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

    phase = commands.add_parser("phase", help="fraction of full-rank Jacobians over a grid of n and d1")
    phase.add_argument("--d0", type=int, required=True, help="input dimension")
    phase.add_argument("--samples", required=True, help="dataset sizes n, start:stop:step (x axis)")
    phase.add_argument("--width", required=True, help="widths d1, start:stop:step (y axis)")
    phase.add_argument("--trials", type=int, default=100, help="parameter draws per cell (default 100)")
    phase.add_argument("--seed", type=int, default=0)
    phase.add_argument("--no-bias", dest="bias", action="store_false", help="no bias (default: with bias)")
    phase.add_argument("--out", required=True, help="directory for phase_d0_<d0>.csv/.png/.pdf")
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


def run_phase_command(args: argparse.Namespace) -> int:
    from ..relu.phase import parse_range, plot_phase, run_phase

    _positive(args.d0, "d0")
    _positive(args.trials, "trials")
    samples = parse_range(args.samples, "samples")
    widths = parse_range(args.width, "width")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError("out", f"{args.out!r} is a file", "give a directory")
    stem = out / f"phase_d0_{args.d0}{'' if args.bias else '_nobias'}"
    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(desc="grid cells", unit="cell")

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.refresh()

    try:
        cells, computed = run_phase(d0=args.d0, samples=samples, widths=widths, trials=args.trials, seed=args.seed,
                                    bias=args.bias, csv_path=stem.with_suffix(".csv"), progress=progress)
    finally:
        if bar is not None:
            bar.close()
    written = plot_phase(cells, d0=args.d0, bias=args.bias, samples=samples, widths=widths, stem=stem)
    print(f"{len(cells)} grid cells ({computed} computed now, {len(cells) - computed} resumed from the CSV)")
    print("wrote " + ", ".join(str(p) for p in [stem.with_suffix(".csv"), *written]))
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
