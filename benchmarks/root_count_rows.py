"""Generic root counts N_C and N_C* by monodromy, completeness by the trace test (run by hand).

    python benchmarks/root_count_rows.py --rows published --out benchmarks/results/root_counts_m1.jsonl
    python benchmarks/root_count_rows.py --rows 2,2,2:2,1,2,1:3 --out benchmarks/results/root_counts_m23.jsonl

For each row (widths and sample count m) the start set of the lifted family is populated
by monodromy at random complex data (:func:`algeo.monodromy.populate_by_monodromy`, no
blackbox), N_C is the number of distinct regular solutions and N_C* the number whose
weight coordinates are all nonzero; then the trace test (:func:`algeo.trace.trace_test`)
decides whether the set is complete. Each finished row is appended to ``--out`` as one
JSON line (re-running skips finished rows), with the published values for m = 1
(Bharadwaj & Hosten, Tables 3.1 and 3.2) and the times. ``--rows published`` runs every
published row, smallest N_C first.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy  # noqa: E402

from algeo.architecture import Architecture  # noqa: E402
from algeo.family import ParameterFamily  # noqa: E402
from algeo.known_counts import CORRECTED, PUBLISHED_M1, published_counts  # noqa: E402
from algeo.monodromy import populate_by_monodromy  # noqa: E402
from algeo.trace import trace_test  # noqa: E402

ZERO = 1e-8  # a weight coordinate below ZERO * max(1, |x|) at random complex data counts as zero


def parse_rows(text: str, max_count: int | None) -> list[tuple[tuple[int, ...], int]]:
    if text == "published":
        rows = sorted(PUBLISHED_M1, key=lambda w: (PUBLISHED_M1[w]["N_C"], len(w), w))
        return [(w, 1) for w in rows if max_count is None or PUBLISHED_M1[w]["N_C"] <= max_count]
    rows = []
    for item in text.split(":"):
        *widths, m = item.split(",")
        rows.append((Architecture.parse(",".join(widths)).widths, int(m)))
    return rows


def nonzero_count(family: ParameterFamily, points) -> int:
    n = family.architecture.n_parameters
    count = 0
    for point in points:
        weights = numpy.abs(numpy.asarray(point)[:n])
        count += bool((weights > ZERO * max(1.0, float(numpy.abs(point).max()))).all())
    return count


def run_row(widths, samples: int, *, seed: int, workers: int) -> dict:
    family = ParameterFamily(Architecture(widths), samples)
    started = time.monotonic()
    populated = populate_by_monodromy(family, seed=seed, workers=workers)
    monodromy_seconds = time.monotonic() - started
    traced = trace_test(family, populated.parameters, populated.points, seed=seed + 1, workers=workers)
    published = published_counts(widths, samples)
    row = {
        "widths": list(widths), "samples": samples, "seed": seed, "workers": workers,
        "N_C": len(populated.points), "N_C*": nonzero_count(family, populated.points),
        "completeness": traced.verdict.value, "trace_residual": traced.trace_residual,
        "monodromy_loops": populated.loops, "monodromy_tracked_paths": populated.tracked_paths,
        "monodromy_lost_paths": populated.failed_paths, "added_by_symmetry": populated.added_by_symmetry,
        "trace_witnesses": traced.witnesses, "trace_tracked_paths": traced.tracked_paths,
        "trace_lost_paths": traced.lost_paths,
        "monodromy_seconds": round(monodromy_seconds, 1), "trace_seconds": round(traced.seconds, 1),
        "seconds": round(time.monotonic() - started, 1),
    }
    if published is not None:
        row.update(published_N_C=published["N_C"], published_N_C_star=published["N_C*"], BKK=published["BKK"],
                   source=published["source"], agrees=row["N_C"] == published["N_C"]
                   and row["N_C*"] == published["N_C*"])
        if tuple(widths) in CORRECTED:
            row["note"] = CORRECTED[tuple(widths)]
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="published", help="published, or WIDTHS,M[:WIDTHS,M...] e.g. 2,2,2,2:1,2,1,3")
    parser.add_argument("--max-count", type=int, help="with --rows published: only rows with published N_C <= this")
    parser.add_argument("--out", required=True, help="JSON lines file (appended; finished rows are skipped)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1, help="phcpy processes per monodromy leg")
    args = parser.parse_args()
    out = Path(args.out)
    done = set()
    if out.exists():
        for line in out.read_text().splitlines():
            if line.strip():
                entry = json.loads(line)
                done.add((tuple(entry["widths"]), entry["samples"], entry["seed"]))
    for widths, samples in parse_rows(args.rows, args.max_count):
        if (tuple(widths), samples, args.seed) in done:
            continue
        row = run_row(widths, samples, seed=args.seed, workers=args.workers)
        print(json.dumps(row), flush=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("a") as stream:
            stream.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
