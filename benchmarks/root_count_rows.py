"""Generic root counts N_C and N_C* by monodromy, completeness by an independent count (run by hand).

    python benchmarks/root_count_rows.py --rows published --out benchmarks/results/root_counts_m1.jsonl
    python benchmarks/root_count_rows.py --rows 2,2,2,2:2,1,2,3 --out benchmarks/results/root_counts_m23.jsonl

For each row (widths and sample count m):

1. the modular count: Singular's ``vdim`` of the gradient ideal at random rational data,
   over ZZ/p (:func:`algeo.verify.exact.instance_counts`), and of its saturation by the
   product of the weights (solutions with no zero weight);
2. monodromy on the lifted family at random complex data
   (:func:`algeo.tracking.monodromy.populate_by_monodromy`, no blackbox), aiming at the modular
   count, with up to ``--passes`` passes: N_C is the number of distinct regular
   solutions found and N_C* the number whose weight coordinates are all nonzero;
3. the trace test (:func:`algeo.tracking.trace.trace_test`) when the set is small enough
   (``--trace-limit``; its witness sets grow to about ten times N_C).

The two counts are independent: the numerical one finds distinct regular points (a
lower bound at its data), the modular one counts with multiplicity. When they agree,
no solution is missing and none is multiple, up to the genericity of both data and
the luck of the prime (the row says which checks ran). Each finished row is appended
to ``--out`` as one JSON line (re-running skips finished rows), with the published
values for m = 1 (Bharadwaj & Hosten, Tables 3.1 and 3.2) and the times. ``--rows
published`` runs every published row, smallest N_C first.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy  # noqa: E402

from algeo.model.architecture import Architecture  # noqa: E402
from algeo.verify.exact import instance_counts, singular_available  # noqa: E402
from algeo.model.family import ParameterFamily  # noqa: E402
from algeo.verify.known_counts import CORRECTED, PUBLISHED_M1, published_counts  # noqa: E402
from algeo.tracking.monodromy import populate_by_monodromy  # noqa: E402
from algeo.tracking.trace import trace_test  # noqa: E402
from _jsonl import append_row, read_rows  # noqa: E402  (benchmarks/)

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


def run_row(widths, samples: int, *, seed: int, workers: int, passes: int, trace_limit: int) -> dict:
    family = ParameterFamily(Architecture(widths), samples)
    started = time.monotonic()
    exact = instance_counts(widths, samples, seed, timeout=3600) if singular_available() else None
    populated = populate_by_monodromy(family, seed=seed, workers=workers,
                                      target=exact.complex if exact is not None else None, passes=passes)
    monodromy_seconds = time.monotonic() - started - (exact.seconds if exact is not None else 0.0)
    n_c, n_c_star = len(populated.points), nonzero_count(family, populated.points)
    row = {
        "widths": list(widths), "samples": samples, "seed": seed, "workers": workers,
        "N_C": n_c, "N_C*": n_c_star,
        "monodromy_loops": populated.loops, "monodromy_passes": populated.passes,
        "monodromy_tracked_paths": populated.tracked_paths, "monodromy_lost_paths": populated.failed_paths,
        "added_by_symmetry": populated.added_by_symmetry, "monodromy_seconds": round(monodromy_seconds, 1),
    }
    confirmed_by = []
    if exact is not None:
        row["modular_count"] = exact.to_json()
        row["agrees_with_modular_count"] = (n_c, n_c_star) == (exact.complex, exact.nonzero)
        if row["agrees_with_modular_count"]:
            confirmed_by.append(f"modular count (Singular vdim over {exact.to_json()['field']})")
    if n_c <= trace_limit:
        traced = trace_test(family, populated.parameters, populated.points, seed=seed + 1, workers=workers)
        row.update(completeness=traced.verdict.value, trace_residual=traced.trace_residual,
                   trace_witnesses=traced.witnesses, trace_tracked_paths=traced.tracked_paths,
                   trace_lost_paths=traced.lost_paths, trace_seconds=round(traced.seconds, 1))
        if traced.verdict.value == "complete":
            confirmed_by.append("trace test")
    else:
        row["completeness"] = f"trace test not run (N_C > --trace-limit {trace_limit})"
    row["confirmed_by"] = confirmed_by
    row["seconds"] = round(time.monotonic() - started, 1)
    published = published_counts(widths, samples)
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
    parser.add_argument("--passes", type=int, default=3, help="monodromy passes while short of the modular count")
    parser.add_argument("--trace-limit", type=int, default=150, help="run the trace test only when N_C <= this")
    args = parser.parse_args()
    out = Path(args.out)
    done = {(tuple(entry["widths"]), entry["samples"], entry["seed"]) for entry in read_rows(out)}
    for widths, samples in parse_rows(args.rows, args.max_count):
        if (tuple(widths), samples, args.seed) in done:
            continue
        row = run_row(widths, samples, seed=args.seed, workers=args.workers, passes=args.passes,
                      trace_limit=args.trace_limit)
        append_row(out, row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
