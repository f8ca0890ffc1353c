"""``algeo check THEOREM``: run a landscape theorem on exact instances; exit 1 on any FAIL."""

from __future__ import annotations

import argparse
from fractions import Fraction

from ..exceptions import InputError
from ..results.solve_result import write_json_atomically
from .solve import check_output_path


def register(subparsers) -> None:
    from ..checks import THEOREMS

    parser = subparsers.add_parser(
        "check", help="check a landscape theorem on random or given instances (PASS/FAIL/UNDECIDED)",
        description="Run a theorem on --instances K random instances (seeds S, S+1, ...) or on --data FILE; print "
        "PASS, FAIL or UNDECIDED per instance with the evidence; exit 1 on any FAIL.")
    parser.add_argument("theorem", choices=sorted(THEOREMS), help="which theorem")
    parser.add_argument("--widths", required=True, help="d0,d1,...,dH")
    parser.add_argument("--samples", type=int, help="number m of random samples")
    parser.add_argument("--instances", type=int, default=1, help="number K of random instances (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first instance (default 0)")
    parser.add_argument("--data", help='JSON file {"X", "Y", "Lambda"?} (one instance)')
    parser.add_argument("--regularization", default=None,
                        help="generic, a scalar, or none (default: none for no-spurious-minima and pure-spurious, "
                        "generic otherwise)")
    parser.add_argument("--digits", type=int, default=50, help="working precision (default 50)")
    parser.add_argument("--backend", choices=("auto", "phc", "phcpy"), default="auto")
    parser.add_argument("--claim", action="append", default=[], metavar="KEY=VALUE",
                        help="override one of the theorem's numbers (to test the checker with a wrong claim)")
    parser.add_argument("--json", help="write the report here (atomically)")
    parser.set_defaults(func=run)


def _claims(items: list[str]) -> dict:
    claims = {}
    for item in items:
        key, separator, value = item.partition("=")
        if not separator:
            raise InputError("claim", f"{item!r} is not KEY=VALUE")
        try:
            number = Fraction(value)
        except (ValueError, ZeroDivisionError):
            raise InputError("claim", f"value {value!r} of {key} is not a number") from None
        claims[key.strip()] = int(number) if number.denominator == 1 else str(number)
    return claims


def run(args: argparse.Namespace) -> int:
    from ..checks import run_check

    target = check_output_path(args.json)
    report = run_check(args.theorem, args.widths, samples=args.samples, instances=args.instances, seed=args.seed,
                       data=args.data, regularization=args.regularization, claim=_claims(args.claim),
                       digits=args.digits, backend=args.backend)
    print(report.summary())
    if target is not None:
        write_json_atomically(report.to_json(), target)
        print(f"wrote {target}")
    return 1 if report.failed else 0
