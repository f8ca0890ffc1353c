"""``phase_diagram``: one grid of ``algeo relu phase`` as a result object.

A thin wrapper around :func:`algeo.relu.phase.run_grids` and
:func:`algeo.relu.phase_plot.plot_grid`: the grid (:class:`~algeo.relu.phase.PhaseGrid`), its
cells, and JSON in and out (``"algeo_result": "relu_phase"``). The CSV that ``run_grids``
keeps for resuming is written as before; the JSON keeps each cell's fields unrounded, so
``PhaseDiagram.from_json(d.to_json()) == d``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable, Sequence

from ..exceptions import InputError
from ..results.display import summary_html
from ..results.solve_result import expect_kind
from .phase import PhaseCell, PhaseGrid, run_grids

__all__ = ["PhaseDiagram", "phase_diagram"]


@dataclasses.dataclass(frozen=True)
class PhaseDiagram:
    """Fraction of full-rank Jacobians per cell ``(n, d1)`` and rank method of one grid (docs/relu.md)."""

    grid: PhaseGrid
    cells: tuple[PhaseCell, ...]

    def cell(self, n: int, d1: int, rank: str | None = None) -> PhaseCell:
        """The cell of dataset size ``n`` and width ``d1`` (rank method: the grid's first by default)."""
        rank = rank or self.grid.ranks[0]
        for cell in self.cells:
            if (cell.n, cell.d1, cell.rank) == (n, d1, rank):
                return cell
        raise InputError("cell", f"(n, d1, rank) = ({n}, {d1}, {rank}) is not in the grid",
                         "choose n in samples, d1 in widths and a rank method of the grid")

    def to_json(self) -> dict:
        grid = dataclasses.asdict(self.grid)
        grid.update(samples=list(self.grid.samples), widths=list(self.grid.widths), ranks=list(self.grid.ranks))
        return {"algeo_result": "relu_phase", "schema_version": 2, "grid": grid,
                "cells": [dataclasses.asdict(cell) for cell in self.cells]}

    @classmethod
    def from_json(cls, data: dict) -> "PhaseDiagram":
        expect_kind(data, "relu_phase")
        grid = dict(data["grid"])
        grid.update(samples=tuple(grid["samples"]), widths=tuple(grid["widths"]), ranks=tuple(grid["ranks"]))
        return cls(PhaseGrid(**grid), tuple(PhaseCell(**cell) for cell in data["cells"]))

    def plot(self, stem: str | Path) -> list[Path]:
        """The heat maps (one per rank method, side by side) as ``stem.png``."""
        from .phase_plot import plot_grid

        return plot_grid(self.grid, self.cells, Path(stem))

    def summary(self) -> str:
        g = self.grid
        what = f"d0 {g.d0}" if g.ratio is None else f"d0 = ceil({g.ratio} n)"
        parts = []
        for rank in g.ranks:
            fractions = [c.fraction for c in self.cells if c.rank == rank and c.trials > c.boundary]
            parts.append(f"{rank} {min(fractions, default=0):.2f}..{max(fractions, default=0):.2f}")
        return (f"PhaseDiagram  {g.protocol} protocol, {what}  {len(self.cells)} cells "
                f"(n {g.samples[0]}..{g.samples[-1]}, d1 {g.widths[0]}..{g.widths[-1]}), {g.trials} draws per cell; "
                f"full-rank fraction {', '.join(parts)}")

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return summary_html(self.summary())


def phase_diagram(*, d0: int | None = None, ratio: str | None = None, samples: Sequence[int],
                  widths: Sequence[int], trials: int = 100, seed: int = 0, protocol: str = "karhadkar",
                  ranks: Sequence[str] = ("exact", "float32"), bias: bool = True, out: str | Path,
                  workers: int = 1, progress: Callable[[int, int], None] | None = None) -> PhaseDiagram:
    """Fill one grid (resuming from ``out/<grid name>.csv``) and return it: ``algeo relu phase`` from Python.

    Parameters
    ----------
    d0, ratio : a fixed input dimension, or ``d0 = ceil(ratio * n)`` (exactly one of them).
    samples, widths : the dataset sizes ``n`` and hidden widths ``d1`` of the grid.
    trials, seed : draws per cell and the seed.
    protocol : ``"karhadkar"`` (the authors' sampling, default) or ``"algeo"``.
    ranks : rank methods (``exact``, ``float64``, ``float32``).
    out : the directory of the resumable CSV files.
    """
    grid = PhaseGrid(protocol, d0, ratio, tuple(samples), tuple(widths), trials, seed, tuple(ranks), bias)
    cells, _ = run_grids([grid], Path(out), workers=workers, progress=progress)
    return PhaseDiagram(grid, tuple(cells[grid]))
