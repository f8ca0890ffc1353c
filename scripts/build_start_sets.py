#!/usr/bin/env python3
"""Build the start sets that ship with algeo (algeo/startsets/shipped/), by msolve.

One set per parameter family of the rows in benchmarks/results/modular_counts.jsonl with
N_C <= --max-count (Bharadwaj & Hosten's m = 1 rows and the m = 2, 3 rows; a Gram family,
m >= d_0, serves every such m). Each set is every solution at small-integer start data,
from msolve's exact parametrization, confirmed by the modular count of an independent
instance and checked against the row's count in the JSON-lines file. Resumable: existing
files are kept. ``--family 3,2,3:3 --method monodromy`` builds a family the file has no row for,
by graph monodromy confirmed by msolve's modular count. Usage:

    .venv/bin/python scripts/build_start_sets.py [--max-count 1000] [--only 2,2,2:2]
    .venv/bin/python scripts/build_start_sets.py --max-count 0 --method monodromy --family 3,1,2,3:3
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from algeo.model.architecture import Architecture  # noqa: E402
from algeo.model.family import tracking_family  # noqa: E402
from algeo.startsets.build import make_start_set  # noqa: E402
from algeo.startsets.store import SHIPPED, load_start_set, save_start_set, start_set_path  # noqa: E402


def rows(path: Path, max_count: int) -> list[tuple[tuple[int, ...], int, int]]:
    """(widths, m, N_C) of every row with a modular count <= max_count, one per family, smallest first."""
    seen, chosen = set(), []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        count = row.get("N_C")
        if count is None or count > max_count:
            continue
        widths, m = tuple(row["widths"]), row["samples"]
        family = tracking_family(Architecture(widths), m)
        if family.key in seen:
            continue
        seen.add(family.key)
        chosen.append((widths, m, count))
    return sorted(chosen, key=lambda r: (r[2], r[0], r[1]))


def with_bounds(start_set, widths, m: int, timeout: float):
    """The set with the total degree and (stable) mixed volume of its family's weight system.

    The supports are those of every generic instance, so the bounds are the family's; phcpy
    computes them in a child process, time-limited (a missing value means it ran out).
    """
    import dataclasses

    from algeo import build_system, phc

    system = build_system(list(widths), samples=m, seed=1)
    volumes = phc.mixed_volumes(system.polynomial_system, system.variable_names, timeout=timeout)
    bounds = {"total_degree": system.architecture.total_degree, "mixed_volume": volumes.get("mixed_volume"),
              "stable_mixed_volume": volumes.get("stable_mixed_volume")}
    return dataclasses.replace(start_set, check={**start_set.check, "weight_system_bounds": bounds})


def _progress_printer(label: str, every: float = 60.0):
    """A progress callback printing the count at most once a minute (long graph monodromy runs)."""
    last = [time.monotonic()]

    def report(count: int) -> None:
        if time.monotonic() - last[0] >= every:
            last[0] = time.monotonic()
            print(f"{label}: {count} points so far", flush=True)

    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default=str(ROOT / "benchmarks" / "results" / "modular_counts.jsonl"))
    parser.add_argument("--max-count", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=3600.0,
                        help="seconds for msolve per set (0 with --method monodromy: no count; a second, "
                             "independent graph monodromy confirms the set)")
    parser.add_argument("--only", help="one family, widths:m (e.g. 2,2,2:2)")
    parser.add_argument("--accept-unconfirmed", action="store_true",
                        help="keep a graph monodromy set nothing confirmed (the union of two runs), marked "
                             "unconfirmed: only the unregularized mode uses it")
    parser.add_argument("--family", action="append", default=[],
                        help="widths:m of a family to build whether or not the counts file has its row "
                             "(repeatable; its own modular count confirms it)")
    parser.add_argument("--method", default="msolve", choices=("msolve", "monodromy"),
                        help="msolve (exact parametrization) or monodromy (graph monodromy, batched tracker, "
                             "aiming at msolve's modular count)")
    parser.add_argument("--bounds-timeout", type=float, default=300.0,
                        help="seconds for the mixed volumes of each set's weight system (0: skip)")
    args = parser.parse_args()
    chosen = rows(Path(args.counts), args.max_count)
    if args.only:
        widths, m = args.only.split(":")
        chosen = [r for r in chosen if r[0] == tuple(map(int, widths.split(","))) and r[1] == int(m)]
    for text in args.family:
        widths, m = text.split(":")
        chosen.append((tuple(map(int, widths.split(","))), int(m), None))
    failures = 0
    for widths, m, count in chosen:
        family = tracking_family(Architecture(widths), m)
        path = start_set_path(family, SHIPPED)
        found = load_start_set(family, path)
        if found is not None:
            if args.bounds_timeout and "weight_system_bounds" not in found.check:
                save_start_set(with_bounds(found, widths, m, args.bounds_timeout), path)
                print(f"{widths} m={m}: bounds added to {path.name}", flush=True)
            else:
                print(f"{widths} m={m}: kept {path.name}", flush=True)
            continue
        started = time.monotonic()
        try:
            start_set = make_start_set(family, method=args.method, seed=0, timeout=args.timeout, trace=False,
                                       progress=_progress_printer(f"{widths} m={m}"),
                                       accept_unconfirmed=args.accept_unconfirmed)
        except Exception as error:  # noqa: BLE001 - reported, the next family goes on
            failures += 1
            print(f"{widths} m={m}: FAILED {type(error).__name__}: {error}", flush=True)
            continue
        if count is not None and start_set.size != count:
            failures += 1
            print(f"{widths} m={m}: {start_set.size} points but the row's modular count is {count}; not saved")
            continue
        if args.bounds_timeout:
            start_set = with_bounds(start_set, widths, m, args.bounds_timeout)
        save_start_set(start_set, path)
        print(f"{widths} m={m}: {start_set.size} points, confirmed by {start_set.check['confirmed_by']}, "
              f"{time.monotonic() - started:.1f} s", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
