"""A plain ``algeo solve`` as a newcomer runs it, against ``phc -b`` on the same system, in one run.

For each instance: ``algeo solve --widths W --samples m --seed s --json ...`` in a fresh
process with an empty user start-set library (``ALGEO_START_SETS`` points at a new
directory, so only the sets shipped with the package are there), then PHCpack's blackbox
``phc -b -0SEED`` on the same exact system (written by :mod:`algeo.phc`, single task), one
after the other. Wall times are measured around the processes; the ratio is algeo / phc.
Rows without ``--phc`` run the solve alone (the large rows, where ``phc -b`` takes hours).

    .venv/bin/python benchmarks/plain_solve.py                       # the issue's rows
    .venv/bin/python benchmarks/plain_solve.py --rows 2,2,2:2:phc --seeds 1,2,3

Results: one JSON line per measurement in ``--out`` (default
benchmarks/results/plain_solve.jsonl), and a table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import algeo  # noqa: E402
from algeo.phc import format_system, phc_program  # noqa: E402

DEFAULT_ROWS = ("2,2,2:2:phc", "1,3,3,1:1", "2,2,2,2:1")


def _algeo(widths: str, samples: int, seed: int, library: str, out: Path, extra: list[str]) -> dict:
    env = dict(os.environ, ALGEO_START_SETS=library)
    command = [sys.executable, "-m", "algeo.cli", "solve", "--widths", widths, "--samples", str(samples),
               "--seed", str(seed), "--json", str(out), "-q", *extra]
    started = time.monotonic()
    completed = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    seconds = time.monotonic() - started
    result = json.loads(out.read_text()) if out.exists() else {}
    counts = result.get("counts", {})
    return {"seconds": round(seconds, 2), "exit": completed.returncode, "N_C": counts.get("complex"),
            "N_R": counts.get("real"), "exact_N_C": counts.get("exact_complex"), "exact_N_R": counts.get("exact_real"),
            "independent_check": counts.get("independent_check"),
            "exact_seconds": counts.get("exact_seconds"),
            "method": result.get("provenance", {}).get("method", {}).get("name"),
            "ok": result.get("ok"), "stderr_tail": completed.stderr.strip()[-300:]}


def _phc(widths: str, samples: int, seed: int, directory: Path) -> dict:
    system = algeo.build_system(widths, samples=samples, seed=seed)
    source, target = directory / "input", directory / "output"
    source.write_text(format_system(system.polynomial_system, system.variable_names))
    started = time.monotonic()
    completed = subprocess.run([phc_program(), "-b", f"-0{seed + 1}", str(source), str(target)],
                               capture_output=True, text=True, cwd=directory)
    return {"seconds": round(time.monotonic() - started, 2), "exit": completed.returncode}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", nargs="*", default=list(DEFAULT_ROWS),
                        help="rows W:m[:phc] (default: %(default)s; :phc also times phc -b)")
    parser.add_argument("--seeds", default="1", help="comma-separated seeds")
    parser.add_argument("--phc", action="store_true", help="time phc -b on every row")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "plain_solve.jsonl"))
    parser.add_argument("--solve-args", default="", help="extra arguments for algeo solve")
    args = parser.parse_args()
    rows = args.rows
    print(f"{'widths':>10} {'m':>2} {'seed':>5} {'algeo s':>8} {'phc -b s':>9} {'ratio':>6} "
          f"{'N_C':>5} {'exact':>6} {'N_R':>4} {'exact':>6} check")
    for row in rows:
        parts = row.split(":")
        widths, samples, with_phc = parts[0], int(parts[1]), args.phc or (len(parts) > 2 and parts[2] == "phc")
        for seed in map(int, args.seeds.split(",")):
            with tempfile.TemporaryDirectory(prefix="algeo-bench-") as directory:
                library = str(Path(directory) / "starts")
                mine = _algeo(widths, samples, seed, library, Path(directory) / "result.json",
                              args.solve_args.split())
                peer = _phc(widths, samples, seed, Path(directory)) if with_phc else None
            ratio = round(mine["seconds"] / peer["seconds"], 3) if peer else None
            record = {"widths": widths, "samples": samples, "seed": seed, "algeo": mine, "phc_b": peer,
                      "ratio": ratio, "finished": time.strftime("%Y-%m-%dT%H:%M:%S")}
            with open(args.out, "a") as stream:
                stream.write(json.dumps(record) + "\n")
            print(f"{widths:>10} {samples:>2} {seed:>5} {mine['seconds']:>8.1f} "
                  f"{peer['seconds'] if peer else float('nan'):>9.1f} {ratio if ratio is not None else float('nan'):>6.3f} "
                  f"{mine['N_C']!s:>5} {mine['exact_N_C']!s:>6} {mine['N_R']!s:>4} {mine['exact_N_R']!s:>6} "
                  f"{mine['independent_check']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
