"""Per-instance time of the parameter homotopy against PHCpack's blackbox (run by hand).

    python benchmarks/sweep_vs_blackbox.py --widths 2,2,2 --samples 2 --instances 10 --seed 1

The instances are those of ``algeo sweep --seed S`` (seeds ``instance_seed(S, k)``). Each
instance is solved twice, one after the other (never two PHCpack runs at once): by the
blackbox (``start_set="none"``) and by the parameter homotopy from the start-set library
(made first, its time reported apart as a one-time cost). Both go through the same
refinement and classification; the script checks that N_C, N_C*, N_R and the index
histogram agree per instance and prints the mean wall time and the mean CPU time (this
process and its PHCpack children; robust when other jobs share the machine) per
instance of each, their ratios, and the wall-time ratio of the PHCpack part alone.
Target (issue 8): the homotopy at least 10x faster per instance.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from algeo.model.architecture import Architecture  # noqa: E402
from algeo.model.family import tracking_family  # noqa: E402
from algeo.pipeline.solve import SolveOptions, instance_check, solve  # noqa: E402
from algeo.startsets.build import ensure_start_set  # noqa: E402
from algeo.startsets.store import start_set_path  # noqa: E402
from algeo.pipeline.sweep import instance_seed  # noqa: E402
from _jsonl import append_row, read_rows  # noqa: E402  (benchmarks/)


def _backend_seconds(result) -> float:
    return sum(a["seconds"] for a in result.provenance["backend"]["attempts"])


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (PHCpack runs in children)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(*, start_set: str, **instance):
    before = _cpu_seconds()
    result = solve(**instance, options=SolveOptions(start_set=start_set))
    return result, _cpu_seconds() - before


def run(widths: str = "2,2,2", samples: int = 2, instances: int = 10, seed: int = 1, out: str | None = None) -> dict:
    architecture = Architecture.parse(widths)
    family = tracking_family(architecture, samples)
    started = time.monotonic()
    existed = start_set_path(family).exists()
    start_set = ensure_start_set(family, check_instance=instance_check(family))
    setup = time.monotonic() - started
    rows = []
    partial = Path(f"{out}.partial") if out else None
    if partial is not None:  # resume: rows measured by an earlier, interrupted run
        rows = read_rows(partial)
    for k in range(len(rows), instances):
        s = instance_seed(seed, k)
        blackbox, blackbox_cpu = _timed(widths=architecture, samples=samples, seed=s, start_set="none")
        homotopy, homotopy_cpu = _timed(widths=architecture, samples=samples, seed=s,
                                        start_set=str(start_set_path(family)))
        keys = ("complex", "nonzero", "real", "index")
        rows.append({
            "index": k, "seed": s,
            "blackbox_seconds": blackbox.provenance["wall_time_seconds"],
            "homotopy_seconds": homotopy.provenance["wall_time_seconds"],
            "blackbox_cpu_seconds": round(blackbox_cpu, 2), "homotopy_cpu_seconds": round(homotopy_cpu, 2),
            "blackbox_phc_seconds": _backend_seconds(blackbox), "homotopy_phc_seconds": _backend_seconds(homotopy),
            "homotopy_method": homotopy.provenance["method"]["name"],
            "counts_agree": all(getattr(blackbox.counts, key) == getattr(homotopy.counts, key) for key in keys),
            "blackbox_ok": blackbox.ok, "homotopy_ok": homotopy.ok, "blackbox_problems": list(blackbox.problems),
            "N_C": homotopy.counts.complex, "N_R": homotopy.counts.real,
            "blackbox_paths": blackbox.counts.paths, "homotopy_paths": homotopy.counts.paths,
            "homotopy_tracked_paths": homotopy.provenance["method"].get("tracked_paths"),
            "homotopy_tracking_attempts": len(homotopy.provenance["method"].get("tracking_attempts", [])),
        })
        if partial is not None:
            append_row(partial, rows[-1])
        else:
            print(json.dumps(rows[-1]), flush=True)
    mean = lambda key: statistics.mean(r[key] for r in rows)
    report = {
        "widths": widths, "samples": samples, "instances": instances, "seed": seed,
        "start_set": {"size": start_set.size, "made_now": not existed, "seconds_to_load_or_make": round(setup, 1)},
        "mean_blackbox_seconds": round(mean("blackbox_seconds"), 2),
        "mean_homotopy_seconds": round(mean("homotopy_seconds"), 2),
        "ratio_total": round(mean("blackbox_seconds") / mean("homotopy_seconds"), 2),
        "mean_blackbox_cpu_seconds": round(mean("blackbox_cpu_seconds"), 2),
        "mean_homotopy_cpu_seconds": round(mean("homotopy_cpu_seconds"), 2),
        "ratio_cpu": round(mean("blackbox_cpu_seconds") / mean("homotopy_cpu_seconds"), 2),
        "mean_blackbox_phc_seconds": round(mean("blackbox_phc_seconds"), 2),
        "mean_homotopy_phc_seconds": round(mean("homotopy_phc_seconds"), 2),
        "ratio_phcpack_part": round(mean("blackbox_phc_seconds") / mean("homotopy_phc_seconds"), 2),
        "all_counts_agree": all(r["counts_agree"] for r in rows),
        # a disagreement where the blackbox result is flagged (e.g. it lost solutions) is the blackbox's failure
        "counts_agree_where_blackbox_ok": all(r["counts_agree"] for r in rows if r.get("blackbox_ok", True)),
        "blackbox_flagged": [r["index"] for r in rows if not r.get("blackbox_ok", True)],
        "homotopy_flagged": [r["index"] for r in rows if not r.get("homotopy_ok", True)],
        "homotopy_used": sum(r["homotopy_method"] == "parameter_homotopy" for r in rows),
        "rows": rows,
    }
    if out:
        Path(out).write_text(json.dumps(report, indent=1) + "\n")
        if partial.exists():
            partial.unlink()  # the report holds every row now
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", default="2,2,2")
    parser.add_argument("--samples", type=int, default=2)
    parser.add_argument("--instances", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="write the report JSON here")
    args = parser.parse_args()
    report = run(args.widths, args.samples, args.instances, args.seed, args.out)
    print(json.dumps({k: v for k, v in report.items() if k != "rows"}, indent=1))
    return 0 if report["counts_agree_where_blackbox_ok"] and not report["homotopy_flagged"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
