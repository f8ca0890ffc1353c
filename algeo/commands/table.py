"""``algeo table``: LaTeX (booktabs) tables from result and check JSON files."""

from __future__ import annotations

import argparse
import os
import tempfile

from ..exceptions import InputError
from .solve import check_output_path

KINDS = ("root-counts", "points", "checks")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "table", help="turn result/check JSON files into LaTeX tables (booktabs)",
        description="root-counts: one row per architecture (Bharadwaj & Hosten Table 3.1 layout) from solve "
        "results; points: the real critical points of each solve result; checks: the verdicts of check reports. "
        "A directory stands for every algeo JSON file below it.")
    parser.add_argument("kind", choices=KINDS, help="which table")
    parser.add_argument("inputs", nargs="+", help="result or check JSON files, or directories of them")
    parser.add_argument("--output", "-o", help="write the LaTeX here (default: print it)")
    parser.add_argument("--standalone", action="store_true", help="a complete document (compiles with pdflatex)")
    parser.add_argument("--digits", type=int, default=None, help="significant digits of losses (points table)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import tables

    target = check_output_path(args.output, "output")
    digits = tables.LOSS_DIGITS if args.digits is None else args.digits
    if not 1 <= digits <= 60:
        raise InputError("digits", f"is {digits}; use 1 to 60")
    documents = tables.load_documents(args.inputs)
    if args.kind == "root-counts":
        parts = [tables.root_count_table(documents)]
    elif args.kind == "points":
        results = [d for d in documents if d.get("algeo_result") in ("solve", "solve_unregularized")]
        if not results:
            raise InputError("inputs", "no solve result among the inputs", "give files written by algeo solve --json")
        parts = [tables.critical_points_table(d, digits=digits, label=f"tab:critical-points-{k}")
                 for k, d in enumerate(results)]
    else:
        parts = [tables.check_summary_table(documents)]
    text = tables.standalone_document(*parts) if args.standalone else "\n".join(parts)
    if target is None:
        print(text, end="")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    with os.fdopen(handle, "w") as stream:
        stream.write(text)
    os.replace(temporary, target)
    print(f"wrote {target}")
    return 0
