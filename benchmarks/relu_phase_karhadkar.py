"""Time Karhadkar et al.'s full fixed-d0 grid (run by hand; not a test).

    python benchmarks/relu_phase_karhadkar.py --workers 2 [--out DIR] [--ratio] [--ranks exact,float32]

d0 in {1, 2, 3, 5}, n = 10:100:10, d1 = 30:300:30, 100 trials per cell, exact and float32 ranks on
the same draws (``algeo relu phase --d0 1,2,3,5 --workers W``). ``--ratio`` runs the varying-d0
experiment instead (d0 = ceil(r n), r in {0.25, 0.5, 1, 2}, n = 10:190:20, d1 = 1:15). The
grid starts from scratch in a fresh temporary directory unless ``--out`` names one (then it
resumes). Each worker's BLAS is held to one thread, so ``--workers`` is the number of cores used.
Prints the wall time, the summed cell time and the slowest cells.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")   # before numpy is imported, so workers inherit it

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from algeo.relu.phase import AUTHORS_FIXED_D0, AUTHORS_RATIOS, PhaseGrid, run_grids  # noqa: E402
from algeo.relu.phase_plot import plot_grid  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", help="resume in this directory (default: a fresh temporary one)")
    parser.add_argument("--ratio", action="store_true", help="the varying-d0 experiment instead")
    parser.add_argument("--ranks", default="exact,float32")
    parser.add_argument("--trials", type=int, default=100)
    args = parser.parse_args()
    ranks = tuple(args.ranks.split(","))
    if args.ratio:
        ratios, samples, widths = AUTHORS_RATIOS
        grids = [PhaseGrid("karhadkar", None, r, samples, widths, args.trials, 0, ranks) for r in ratios]
    else:
        d0s, samples, widths = AUTHORS_FIXED_D0
        grids = [PhaseGrid("karhadkar", d0, None, samples, widths, args.trials, 0, ranks) for d0 in d0s]
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="relu_phase_karhadkar."))
    started = time.monotonic()
    results, computed = run_grids(grids, out, workers=args.workers)
    wall = time.monotonic() - started
    cells = [cell for grid_cells in results.values() for cell in grid_cells]
    per_cell = {}
    for cell in cells:
        per_cell[(cell.d0, cell.ratio, cell.n, cell.d1)] = cell.seconds
    print(f"{computed} cells computed ({len(cells)} rows, ranks {','.join(ranks)}, {args.trials} trials/cell) "
          f"in {wall:.1f} s wall with {args.workers} worker(s); cell time summed {sum(per_cell.values()):.1f} s")
    for key, seconds in sorted(per_cell.items(), key=lambda item: -item[1])[:5]:
        print(f"  slowest: d0={key[0]} ratio={key[1] or '-'} n={key[2]} d1={key[3]}: {seconds:.2f} s")
    for grid, grid_cells in results.items():
        plot_grid(grid, grid_cells, out / grid.name)
    print(f"CSV and PNG in {out}")


if __name__ == "__main__":
    main()
