"""Summarise phase CSVs (run by hand): the numbers quoted in docs/relu.md.

    python benchmarks/relu_phase_summary.py docs/relu_phase/karhadkar_d0_*.csv

Per grid: the largest gap between two rank methods, how many cells differ, and per ``n`` the
smallest width ``d1`` whose full-rank fraction reaches 1/2 under each method.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from algeo.relu.phase import read_cells


def summarise(path: Path) -> None:
    cells = read_cells(path)
    by_rank = defaultdict(dict)
    for cell in cells:
        by_rank[cell.rank][(cell.n, cell.d1)] = cell
    ranks = sorted(by_rank, key=("exact", "float64", "float32").index)
    print(f"== {path.name}: {len(cells)} rows, ranks {', '.join(ranks)}")
    for other in ranks[1:]:
        gaps = [(by_rank["exact"][k].fraction - by_rank[other][k].fraction, k) for k in by_rank["exact"]
                if k in by_rank[other]]
        differing = sum(1 for gap, _ in gaps if gap != 0)
        worst = max(gaps)
        below = sum(1 for gap, _ in gaps if gap < 0)
        print(f"  exact - {other}: {differing}/{len(gaps)} cells differ, {below} with {other} higher; "
              f"largest gap {worst[0]:+.2f} at (n, d1) = {worst[1]} "
              f"({by_rank['exact'][worst[1]].fraction:.2f} vs {by_rank[other][worst[1]].fraction:.2f})")
    samples = sorted({n for n, _ in by_rank[ranks[0]]})
    for rank in ranks:
        line = []
        for n in samples:
            reached = sorted(d1 for (m, d1), cell in by_rank[rank].items() if m == n and cell.fraction >= 0.5)
            line.append(f"{n}:{reached[0] if reached else '-'}")
        print(f"  smallest d1 with fraction >= 1/2 ({rank}), n:d1 = " + " ".join(line))
    for rank in ranks:
        row = " ".join(f"{by_rank[rank][(n, max(d for m, d in by_rank[rank] if m == n))].fraction:.2f}"
                       for n in samples)
        print(f"  fraction at the largest d1 ({rank}), n = {samples[0]}..{samples[-1]}: {row}")


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        summarise(Path(argument))
