"""Regenerate, from scratch, the one-hidden-layer root-count rows with N <= 10 as a LaTeX table.

The rows of Bharadwaj & Hoşten's Table 3.1 (REFERENCE.md section 2) are the widths
``d_x, d, d_y`` with ``d, d_x, d_y`` in 1..3; here every such architecture with
``N = d (d_x + d_y) <= 10`` unknowns is solved on one random instance (m = 1, generic Λ,
seed 1) and tabulated. Nothing in the table comes from the published values: the test
compares the columns with ``algeo.verify.known_counts.PUBLISHED_M1`` afterwards.

Run: ``.venv/bin/python examples/root_count_table.py > table.tex``
"""

from __future__ import annotations

import logging

import algeo
from algeo.tables import root_count_table, standalone_document


def architectures(max_unknowns: int = 10) -> list[tuple[int, int, int]]:
    """Widths ``(d_x, d, d_y)`` with ``d, d_x, d_y`` in 1..3 and at most ``max_unknowns`` unknowns."""
    return [(dx, d, dy) for d in (1, 2, 3) for dy in (1, 2, 3) for dx in (1, 2, 3) if d * (dx + dy) <= max_unknowns]


def run(max_unknowns: int = 10, seed: int = 1, standalone: bool = True) -> tuple[str, list]:
    """Solve every architecture, return (LaTeX text, the result JSON documents)."""
    documents = []
    for widths in architectures(max_unknowns):
        result = algeo.solve(list(widths), samples=1, seed=seed)
        documents.append(result.to_json())
    table = root_count_table(documents, label="tab:one-hidden-layer")
    return (standalone_document(table) if standalone else table), documents


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    text, _ = run()
    print(text, end="")
