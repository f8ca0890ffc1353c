"""Root counts of the rows no table has: graph monodromy without a target, against msolve's count.

    .venv/bin/python benchmarks/new_rows.py --rows 2,2,2,2:2/2,3,3:2 --out benchmarks/results/new_rows.jsonl

For each row (``widths:m``) graph monodromy (:mod:`algeo.tracking.graph_monodromy`) runs on the
tracking family (Gram for ``m >= d_0``, lifted otherwise) with no target: it stops by its stall
rule (closed sets, then four fresh nodes in a row that add nothing), so its count is a second,
numerical count, independent of msolve's count over ZZ/p (``benchmarks/modular_counts.py
--engine msolve``), which the row is compared with when that file has it. N_C* counts the points
with no zero weight. Each row is one JSON line (re-running skips finished rows).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from algeo.model.architecture import Architecture  # noqa: E402
from algeo.model.family import tracking_family  # noqa: E402
from algeo.tracking.graph_monodromy import graph_monodromy  # noqa: E402
from algeo.tracking.homotopy import batch_evaluator  # noqa: E402
from _jsonl import append_row, read_rows  # noqa: E402  (benchmarks/)
from modular_counts import _parse_rows  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", required=True, help="widths:m rows separated by '/', e.g. 2,2,2,2:2/2,3,3:2")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--counts", default=str(Path(__file__).parent / "results" / "modular_counts_msolve.jsonl"),
                        help="msolve's counts over ZZ/p to compare with")
    args = parser.parse_args()
    out = Path(args.out)
    done = {(tuple(r["widths"]), r["samples"]) for r in read_rows(out)}
    for widths, samples in _parse_rows(args.rows):
        if (widths, samples) in done:
            continue
        architecture = Architecture(widths)
        family = tracking_family(architecture, samples)
        started = time.monotonic()
        result = graph_monodromy(family, batch_evaluator(family), seed=args.seed)
        seconds = time.monotonic() - started
        points = numpy.array(result.points)
        weights = points[:, : architecture.n_parameters]
        nonzero = int(numpy.all(numpy.abs(weights) > 1e-8 * numpy.maximum(1, numpy.abs(weights).max(axis=1))[:, None],
                                axis=1).sum())
        row = {"widths": list(widths), "samples": samples, "family": type(family).__name__, "seed": args.seed,
               "N_C": len(points), "N_C*": nonzero, "seconds": round(seconds, 1), "tracked_paths": result.tracked_paths,
               "failed_paths": result.failed_paths, "rounds": result.loops}
        counted = [r for r in read_rows(args.counts) if (tuple(r["widths"]), r["samples"]) == (widths, samples)
                   and "N_C" in r]
        if counted:
            row.update(msolve_N_C=counted[-1]["N_C"], msolve_N_C_star=counted[-1]["N_C*"],
                       agrees=(row["N_C"], row["N_C*"]) == (counted[-1]["N_C"], counted[-1]["N_C*"]))
        append_row(out, row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
