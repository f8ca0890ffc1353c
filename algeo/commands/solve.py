"""``algeo solve``: enumerate critical points and write the result JSON."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..exceptions import InputError
from ..results.solve_result import write_json_atomically
from ..pipeline.options import DEFAULT_DIGITS, DEFAULT_EXACT_BUDGET, DEFAULT_MAX_PATHS, DEFAULT_MAX_UNKNOWNS


def add_instance_arguments(parser: argparse.ArgumentParser) -> None:
    """Options that pick an instance; shared by every command that solves."""
    parser.add_argument("--widths", required=True, help="d0,d1,...,dH: input, hidden and output widths")
    parser.add_argument("--samples", type=int, help="number m of random samples (columns of X and Y)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random data and Lambda (default 0)")
    parser.add_argument("--data", help='JSON file {"X": [[...]], "Y": [[...]], "Lambda": [[[...]], ...]}')
    parser.add_argument("--regularization", default="generic",
                        help="generic (random positive Lambda, seeded; default), generic*SCALE (that Lambda times SCALE), "
                        "a scalar such as 1/10, or none")


def check_output_path(path: str | None, field: str = "json") -> Path | None:
    """Fail early (before any work) when the output cannot be written."""
    if path is None:
        return None
    target = Path(path)
    if target.is_dir():
        raise InputError(field, f"{path!r} is a directory", "give a file name")
    parent = target.parent if str(target.parent) else Path(".")
    if parent.exists() and not os.access(parent, os.W_OK):
        raise InputError(field, f"cannot write in {str(parent)!r}", "choose a writable location")
    return target


def register(subparsers) -> None:
    parser = subparsers.add_parser("solve", help="enumerate every critical point of a deep linear network",
                                   description="Enumerate every isolated critical point of the regularized "
                                   "squared loss of a deep linear network (PHCpack + exact refinement).")
    add_instance_arguments(parser)
    parser.add_argument("--json", help="write the result here (atomically)")
    parser.add_argument("--digits", type=int, default=DEFAULT_DIGITS, help="refinement precision (default %(default)s)")
    parser.add_argument("--backend", choices=("auto", "phc", "phcpy"), default="auto",
                        help="PHCpack front end (default auto: phc, then phcpy)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per PHCpack attempt (default 600)")
    parser.add_argument("--budget", type=float, default=3600.0,
                        help="wall seconds for the whole solve (default 3600); attempts are cut to what is left")
    parser.add_argument("--exact-budget", type=float, default=DEFAULT_EXACT_BUDGET,
                        help="seconds for msolve's exact count, run beside the solve (default %(default)s; 0: none)")
    parser.add_argument("--exact-threads", type=int, default=0,
                        help="msolve's threads for the exact count (default 0: the usable cores, at most 4)")
    parser.add_argument("--max-paths", type=int, default=DEFAULT_MAX_PATHS,
                        help="refuse systems with more paths than this (default %(default)s)")
    parser.add_argument("--max-unknowns", type=int, default=DEFAULT_MAX_UNKNOWNS,
                        help="refuse architectures with more unknowns, before any work (default %(default)s)")
    parser.add_argument("--certify", action="store_true",
                        help="prove every point with Krawczyk's test on the exact system (docs/certification.md)")
    parser.add_argument("--start-set", default="auto",
                        help="auto (default): parameter homotopy from a stored start set when one exists "
                        "(docs/sweep.md), else the blackbox; none: PHCpack's blackbox only; or a start set file")
    parser.add_argument("--no-build-start-set", dest="build_start_set", action="store_false",
                        help="with --start-set auto, do not make a missing start set (use the blackbox instead); "
                        "by default one is made on first use, by msolve, and stored")
    parser.add_argument("--build-start-set", dest="build_start_set", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..pipeline.options import SolveOptions
    from ..pipeline.solve import solve

    target = check_output_path(args.json)
    options = SolveOptions(digits=args.digits, backend=args.backend, timeout=args.timeout, max_paths=args.max_paths,
                           max_unknowns=args.max_unknowns, budget=args.budget, exact_budget=args.exact_budget,
                           exact_threads=args.exact_threads,
                           progress=not args.quiet, certify=args.certify, start_set=args.start_set,
                           build_start_set=args.build_start_set)
    result = solve(args.widths, samples=args.samples, seed=args.seed, data=args.data,
                   regularization=args.regularization, options=options)
    print(result.summary())
    if target is not None:
        write_json_atomically(result.to_json(), target)
        print(f"wrote {target}")
    return 0 if result.ok else 1
