"""Time ``algeo relu solve`` (run by hand; not a test): regions solved and wall time per instance.

    python benchmarks/relu_solve.py
"""

from __future__ import annotations

import time
from pathlib import Path

from algeo.relu import ReluArchitecture, solve_relu

DATA = Path(__file__).resolve().parents[1] / "examples" / "relu_spurious_data.json"
CASES = [((1, 1, 1), str(DATA), None), ((1, 2, 1), str(DATA), None), ((1, 1, 1), None, 5), ((2, 1, 1), None, 4)]

if __name__ == "__main__":
    for widths, data, samples in CASES:
        started = time.monotonic()
        result = solve_relu(ReluArchitecture(*widths, bias=True), data=data, samples=samples, seed=0)
        c = result.counts
        print(f"widths {widths} bias, {data and 'example data' or f'{samples} random samples'}: "
              f"{c['regions_solved']}/{c['regions']} regions solved ({c['regions_dead_neuron']} by a dead neuron), "
              f"{c['critical_points']} critical points, {c['local_minima']} local minima, "
              f"{c['spurious_local_minima']} spurious, {time.monotonic() - started:.1f} s, ok={result.ok}")
