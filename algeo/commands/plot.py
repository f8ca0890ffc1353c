"""``algeo plot KIND SOURCES``: publication figures (PNG and PDF) of sweeps and check reports."""

from __future__ import annotations

import argparse

from ..exceptions import InputError


def register(subparsers) -> None:
    from ..plots import FIGURES

    parser = subparsers.add_parser(
        "plot", help="figures of sweeps and check reports (PNG and PDF)",
        description="index-histogram, loss-index, real-counts: one or more sweep directories; scale: one sweep per "
        "--regularization generic*SCALE; critical-values: critical-values check reports (--json). docs/figures.md.")
    parser.add_argument("kind", choices=sorted(FIGURES), help="which figure")
    parser.add_argument("sources", nargs="+", help="sweep directories or result JSON files")
    parser.add_argument("--out", "-o", required=True,
                        help="file stem (OUT.png, OUT.pdf) or an existing directory (OUT/KIND.png, OUT/KIND.pdf)")
    parser.add_argument("--format", action="append", choices=("png", "pdf"), dest="formats",
                        help="write only this format (repeatable; default png and pdf)")
    parser.add_argument("--usetex", action="store_true", help="typeset labels with LaTeX (needs a TeX installation)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import api
    from ..plots import default_stem

    formats = tuple(args.formats or ("png", "pdf"))
    if not args.sources:
        raise InputError("sources", "none given")
    api.plot(args.kind, *args.sources, out=args.out, formats=formats, usetex=args.usetex)
    stem = default_stem(args.kind, args.out)
    print("wrote " + ", ".join(str(stem.with_suffix(f".{f}")) for f in formats))
    return 0
