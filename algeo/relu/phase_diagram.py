"""``phase_diagram``: the phase diagram of ``algeo relu phase`` as a result object.

A thin wrapper around :func:`algeo.relu.phase.run_phase` and :func:`~algeo.relu.phase.plot_phase`
(which stay as they are): the grid, its cells and JSON in and out
(``"algeo_result": "relu_phase"``). The CSV that ``run_phase`` keeps for resuming is
written as before; the JSON keeps each cell's fields unrounded, so
``PhaseDiagram.from_json(d.to_json()) == d``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable, Sequence

from ..exceptions import InputError
from ..results.display import summary_html
from ..results.solve_result import expect_kind
from .phase import PhaseCell, plot_phase, run_phase

__all__ = ["PhaseDiagram", "phase_diagram"]


@dataclasses.dataclass(frozen=True)
class PhaseDiagram:
    """Fraction of full-rank Jacobians per cell ``(n, d1)`` of a grid (docs/relu.md)."""

    d0: int
    bias: bool
    samples: tuple[int, ...]  # dataset sizes n (x axis)
    widths: tuple[int, ...]  # hidden widths d1 (y axis)
    trials: int
    seed: int
    cells: tuple[PhaseCell, ...]

    def cell(self, n: int, d1: int) -> PhaseCell:
        """The cell of dataset size ``n`` and width ``d1``."""
        for cell in self.cells:
            if (cell.n, cell.d1) == (n, d1):
                return cell
        raise InputError("cell", f"(n, d1) = ({n}, {d1}) is not in the grid", "choose n in samples and d1 in widths")

    def to_json(self) -> dict:
        return {"algeo_result": "relu_phase", "schema_version": 1, "d0": self.d0, "bias": self.bias,
                "samples": list(self.samples), "widths": list(self.widths), "trials": self.trials, "seed": self.seed,
                "cells": [dataclasses.asdict(cell) for cell in self.cells]}

    @classmethod
    def from_json(cls, data: dict) -> "PhaseDiagram":
        expect_kind(data, "relu_phase")
        return cls(data["d0"], data["bias"], tuple(data["samples"]), tuple(data["widths"]), data["trials"],
                   data["seed"], tuple(PhaseCell(**cell) for cell in data["cells"]))

    def plot(self, stem: str | Path) -> list[Path]:
        """The heat map as ``stem.png`` and ``stem.pdf`` (:func:`algeo.relu.phase.plot_phase`)."""
        return plot_phase(self.cells, d0=self.d0, bias=self.bias, samples=list(self.samples), widths=list(self.widths),
                          stem=Path(stem))

    def summary(self) -> str:
        fractions = [c.fraction for c in self.cells if c.trials > c.boundary]
        return (f"PhaseDiagram  d0 {self.d0} {'with' if self.bias else 'without'} bias  {len(self.cells)} cells "
                f"(n {self.samples[0]}..{self.samples[-1]}, d1 {self.widths[0]}..{self.widths[-1]}), "
                f"{self.trials} draws per cell; full-rank fraction {min(fractions, default=0):.2f}.."
                f"{max(fractions, default=0):.2f}")

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return summary_html(self.summary())


def phase_diagram(*, d0: int, samples: Sequence[int], widths: Sequence[int], trials: int = 100, seed: int = 0,
                  bias: bool = True, csv_path: str | Path,
                  progress: Callable[[int, int], None] | None = None) -> PhaseDiagram:
    """Fill the grid (resuming from ``csv_path``) and return it: ``algeo relu phase`` from Python.

    Parameters
    ----------
    d0 : input dimension.
    samples, widths : the dataset sizes ``n`` and hidden widths ``d1`` of the grid.
    trials, seed, bias : parameter draws per cell, the seed, whether the first layer has a bias.
    csv_path : the CSV of cells (read to resume, rewritten after each cell).
    progress : called with ``(cells done, cells to do)``.
    """
    samples, widths = tuple(samples), tuple(widths)
    cells, _ = run_phase(d0=d0, samples=samples, widths=widths, trials=trials, seed=seed, bias=bias,
                         csv_path=Path(csv_path), progress=progress)
    order = {(n, d1): k for k, (d1, n) in enumerate((d1, n) for d1 in widths for n in samples)}
    return PhaseDiagram(d0, bias, samples, widths, trials, seed, tuple(sorted(cells, key=lambda c: order[(c.n, c.d1)])))
