"""``algeo table``: LaTeX (booktabs) tables from result and check JSON files."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from ..api import TABLE_KINDS
from ..exceptions import InputError
from .solve import check_output_path



def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "table", help="turn result/check JSON files into LaTeX tables (booktabs)",
        description="root-counts: one row per architecture (Bharadwaj & Hosten Table 3.1 layout) from solve "
        "results; points: the real critical points of each solve result; checks: the verdicts of check reports. "
        "A directory stands for every algeo JSON file below it: a sweep's --out directory gives its instances.")
    parser.add_argument("kind", choices=TABLE_KINDS, help="which table")
    parser.add_argument("inputs", nargs="+", help="result or check JSON files, or directories of them")
    parser.add_argument("--output", "-o", help="write the LaTeX here (default: print it)")
    parser.add_argument("--standalone", action="store_true", help="a complete document (compiles with pdflatex)")
    parser.add_argument("--digits", type=int, default=None, help="significant digits of losses (points table)")
    parser.add_argument("--exact", action="store_true",
                        help="root-counts: count each row exactly over ZZ/p (msolve at the integers law's instance of "
                        "the row's first seed, else Singular's vdim) and mark the N_C, N_C* that equal it")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import api, tables

    target = check_output_path(args.output, "output")
    if args.exact and args.kind != "root-counts":
        raise InputError("exact", "applies to root-counts tables only", "drop --exact")
    documents = tables.load_documents(args.inputs)
    exact = tables.row_exact_counts(documents) if args.exact else None
    if exact is not None:
        print(f"exact counts over ZZ/p: {exact}", file=sys.stderr)
    text = api.table(args.kind, *documents, digits=args.digits, standalone=args.standalone, exact_counts=exact)
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
