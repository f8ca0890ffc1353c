"""Certification time against solve time, and the two interval backends on the same points.

Run by hand from the repository root (one PHCpack solve, about a minute on one core):

    python benchmarks/certify_vs_solve.py --widths 2,2,2 --samples 2 --seed 7 --digits 60

Target (issue 5): certification takes no longer than the solve. Prints JSON with the
solve time, each backend's certification time (best of ``--repeats``), the counts and
the ratios certify / solve, in wall-clock and in CPU seconds (the machine may be shared:
CPU time, including PHCpack's child process, is the steadier measure).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from algeo.verify.certify import BACKENDS, certify_points  # noqa: E402
from algeo.pipeline.solve import SolveOptions, solve  # noqa: E402
from algeo import build_system  # noqa: E402


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (PHCpack runs in a child process)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(widths: str = "2,2,2", samples: int = 2, seed: int = 7, digits: int = 60, repeats: int = 1) -> dict:
    """Solve once (without certification), then certify the same points with each backend."""
    started, cpu_started = time.monotonic(), _cpu_seconds()
    result = solve(widths, samples=samples, seed=seed, options=SolveOptions(digits=digits))
    solve_seconds, solve_cpu = time.monotonic() - started, _cpu_seconds() - cpu_started
    system = build_system(widths, samples=samples, seed=seed)
    centers = [list(p.refined) for p in result.points]
    real = [p.is_real for p in result.points]
    report = {"widths": widths, "samples": samples, "seed": seed, "digits": digits,
              "N_C": result.counts.complex, "N_R": result.counts.real, "solve_ok": result.ok,
              "solve_problems": list(result.problems), "solve_seconds": round(solve_seconds, 3),
              "solve_cpu_seconds": round(solve_cpu, 3), "backends": {}}
    for backend in BACKENDS:
        times, cpu_times = [], []
        for _ in range(repeats):
            started, cpu_started = time.monotonic(), _cpu_seconds()
            certification = certify_points(system, centers, digits=digits, real=real, backend=backend)
            times.append(time.monotonic() - started)
            cpu_times.append(_cpu_seconds() - cpu_started)
        report["backends"][backend] = {
            "seconds": round(min(times), 3), "cpu_seconds": round(min(cpu_times), 3),
            "ratio_to_solve": round(min(times) / solve_seconds, 4),
            "cpu_ratio_to_solve": round(min(cpu_times) / solve_cpu, 4), "counts": certification.counts}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", default="2,2,2")
    parser.add_argument("--samples", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--digits", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3, help="certification repeats (the minimum is kept)")
    args = parser.parse_args()
    print(json.dumps(run(args.widths, args.samples, args.seed, args.digits, args.repeats), indent=1))


if __name__ == "__main__":
    main()
