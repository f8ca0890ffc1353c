"""Unregularized solves (``algeo solve --regularization none``) of the issue's architectures, timed.

    .venv/bin/python benchmarks/unregularized.py [--seeds 1,2] [--law random] [--only 3,2,3:3] [--checks] [--keep DIR]

Each row runs the command line in a child process (wall time as ``/usr/bin/time`` would give
it, start-set loading, msolve's exact-count budget and classification included) and reads the
JSON result: distinct end-to-end matrices against ``sum_(k <= r) C(q, k)``, pure against
``C(q, r)`` (non-filling) or 1 (filling), undecided, local minima on ``M_r`` (exactly one),
continuation paths failed, and ``ok`` when all of them hold within 120 s. ``--checks`` also runs
``algeo check pure-spurious`` and ``algeo check no-spurious-minima`` on the same instance and
times them. Rows are appended to benchmarks/results/unregularized.jsonl.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from math import comb
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._jsonl import append_row  # noqa: E402

#: (widths, m): shallow and deep, filling and non-filling, m >= d_0
ROWS = [("3,2,3", 3), ("2,3,3", 2), ("3,2,2", 3), ("2,2,2,3", 2), ("3,1,2,3", 3), ("2,3,2,2", 2)]
BUDGET = 120.0
ALGEO = str(ROOT / ".venv" / "bin" / "algeo")
COMMIT = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                        text=True).stdout.strip() or None  # the code each row measured


def expected(widths: str) -> tuple[int, int, bool]:
    d = [int(w) for w in widths.split(",")]
    q, r = min(d[0], d[-1]), min(d)
    filling = r == q
    return sum(comb(q, k) for k in range(r + 1)), 1 if filling else comb(q, r), filling


def _timed(command: list[str]) -> tuple[int, float, str]:
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    return done.returncode, time.monotonic() - started, done.stdout + done.stderr


def data_file(widths: str, samples: int, law: str, seed: int, directory: str) -> list[str]:
    """``--data FILE`` for the integer and decimal laws (their X, Y; Lambda left out), else the seed alone."""
    if law == "random":
        return []
    from algeo.model.architecture import Architecture
    from algeo.model.data_laws import instance_json

    content = instance_json(Architecture.parse(widths), samples, law, seed)
    content.pop("Lambda", None)
    path = Path(directory, f"{widths}-{samples}-{law}-{seed}.json")
    path.write_text(json.dumps(content))
    return ["--data", str(path)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2")
    parser.add_argument("--law", default="random", choices=("random", "integers", "decimals"))
    parser.add_argument("--only", help="widths:m of one row")
    parser.add_argument("--checks", action="store_true", help="also time algeo check pure-spurious / no-spurious-minima")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "unregularized.jsonl"))
    parser.add_argument("--keep", help="a directory to keep each solve's JSON result in (WIDTHS-m-LAW-SEED.json)")
    args = parser.parse_args()
    rows = ROWS
    if args.only:
        widths, m = args.only.split(":")
        rows = [(widths, int(m))]
    failures = 0
    with tempfile.TemporaryDirectory() as directory:
        for widths, samples in rows:
            products, pure, filling = expected(widths)
            for seed in (int(s) for s in args.seeds.split(",")):
                result_path = str(Path(directory, "result.json"))
                command = [ALGEO, "solve", "--widths", widths, "--samples", str(samples), "--seed", str(seed),
                           "--regularization", "none", "--quiet", "--json", result_path,
                           *data_file(widths, samples, args.law, seed, directory)]
                code, wall, output = _timed(command)
                row = {"commit": COMMIT, "widths": widths, "samples": samples, "seed": seed, "law": args.law,
                       "exit": code,
                       "wall_seconds": round(wall, 1), "expected_products": products, "expected_pure": pure,
                       "filling": filling}
                if Path(result_path).exists():
                    result = json.loads(Path(result_path).read_text())
                    extra = result["counts"]  # the extra counts are flattened into counts in JSON
                    row.update(lambda0_points=result["counts"]["complex"], start_set_size=extra.get("start_set_size"),
                               start_set_confirmed_by=extra.get("start_set_confirmed_by"),
                               products=extra["products"], pure=extra["pure"], spurious=extra["spurious"],
                               undecided=extra["undecided"], local_minima=extra["local_minima_on_M_r"],
                               continuation_failed=extra["continuation_failed"],
                               continuation_diverged=extra["continuation_diverged"],
                               problems=len(result["problems"]))
                    row["ok"] = (code == 0 and row["products"] == products and row["pure"] == pure
                                 and row["undecided"] == 0 and row["local_minima"] == 1 and wall <= BUDGET)
                    if args.keep:
                        Path(args.keep).mkdir(parents=True, exist_ok=True)
                        Path(result_path).replace(Path(args.keep, f"{widths}-{samples}-{args.law}-{seed}.json"))
                    else:
                        Path(result_path).unlink()
                else:
                    row.update(ok=False, output_tail=output.strip()[-400:])
                if args.checks:
                    for name in ("pure-spurious", "no-spurious-minima"):
                        check = [ALGEO, "check", name, "--widths", widths, "--samples", str(samples),
                                 "--seed", str(seed), *data_file(widths, samples, args.law, seed, directory)]
                        check_code, check_wall, check_output = _timed(check)
                        said = [v for v in ("FAIL", "UNDECIDED", "PASS") if v in check_output]
                        verdict = said[0] if said else f"no verdict (exit {check_code})"
                        row[f"check_{name}"] = {"verdict": verdict, "wall_seconds": round(check_wall, 1)}
                        row["ok"] = row["ok"] and verdict == "PASS" and check_wall <= BUDGET
                failures += not row["ok"]
                append_row(args.out, row)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
