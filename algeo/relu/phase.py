"""Karhadkar et al.'s phase diagram: how often a random region has a full-rank Jacobian.

For each grid cell (dataset size ``n``, width ``d1``) one dataset ``X`` (``d0 x n``,
uniform on the grid of :mod:`algeo.relu.instance`, seeded by ``(seed, n)``) is drawn and
``trials`` parameter vectors ``w~_i`` i.i.d. standard Gaussian (seeded by ``(seed, n, d1)``);
the cell's value is the fraction of draws whose region has an exactly full-rank
Jacobian (:mod:`algeo.relu.jacobian`), with a 95% Wilson interval. Draws too close to a
boundary to decide their pattern are counted separately and left out of the fraction.

Each finished cell is appended to the CSV, rewritten atomically; a rerun with the same
``d0``, ``bias``, ``trials`` and ``seed`` skips the cells already in the CSV.
"""

from __future__ import annotations

import csv
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy

from ..exceptions import InputError
from .estimate import wilson_interval
from .instance import ReluArchitecture, random_relu_data
from .jacobian import integer_points, jacobian_rank
from .regions import sample_patterns

__all__ = ["PhaseCell", "run_phase", "parse_range", "plot_phase", "CSV_FIELDS"]

logger = logging.getLogger(__name__)

CSV_FIELDS = ("d0", "bias", "n", "d1", "trials", "seed", "full_rank", "boundary", "fraction", "ci_low", "ci_high",
              "seconds")


@dataclass(frozen=True)
class PhaseCell:
    d0: int
    bias: bool
    n: int
    d1: int
    trials: int
    seed: int
    full_rank: int
    boundary: int
    seconds: float

    @property
    def fraction(self) -> float:
        decided = self.trials - self.boundary
        return self.full_rank / decided if decided else float("nan")

    def row(self) -> dict:
        low, high = wilson_interval(self.full_rank, self.trials - self.boundary)
        return {"d0": self.d0, "bias": int(self.bias), "n": self.n, "d1": self.d1, "trials": self.trials,
                "seed": self.seed, "full_rank": self.full_rank, "boundary": self.boundary,
                "fraction": f"{self.fraction:.6f}", "ci_low": f"{low:.6f}", "ci_high": f"{high:.6f}",
                "seconds": f"{self.seconds:.3f}"}

    @classmethod
    def from_row(cls, row: dict) -> "PhaseCell":
        return cls(int(row["d0"]), bool(int(row["bias"])), int(row["n"]), int(row["d1"]), int(row["trials"]),
                   int(row["seed"]), int(row["full_rank"]), int(row["boundary"]), float(row["seconds"]))


def parse_range(text: str, field: str) -> tuple[int, ...]:
    """``"10:100:10"`` (start:stop:step, stop included), ``"5"`` or ``"2,4,8"``.

    >>> parse_range("10:50:10", "samples"), parse_range("3", "width"), parse_range("2,4", "width")
    ((10, 20, 30, 40, 50), (3,), (2, 4))
    """
    try:
        if ":" in text:
            parts = [int(p) for p in text.split(":")]
            if len(parts) != 3 or parts[2] <= 0:
                raise ValueError
            values = tuple(range(parts[0], parts[1] + 1, parts[2]))
        else:
            values = tuple(int(p) for p in text.split(","))
    except ValueError:
        raise InputError(field, f"{text!r} is not a range", "use start:stop:step, a number, or a list a,b,c") from None
    if not values or any(v <= 0 for v in values):
        raise InputError(field, f"{text!r} gives no positive values", "use positive integers")
    return values


def run_cell(d0: int, bias: bool, n: int, d1: int, trials: int, seed: int) -> PhaseCell:
    started = time.monotonic()
    architecture = ReluArchitecture(d0, d1, bias=bias)
    data = random_relu_data(ReluArchitecture(d0, 1, bias=bias), n, seed=seed * 100_003 + n, targets=False)
    points = data.augmented_inputs(bias)
    scaled = integer_points(points)
    rng = numpy.random.default_rng([seed, n, d1, 8191])
    full = boundary = 0
    for pattern in sample_patterns(architecture, points, trials, rng):
        if pattern is None:
            boundary += 1
        elif jacobian_rank(pattern, scaled) == n:
            full += 1
    return PhaseCell(d0, bias, n, d1, trials, seed, full, boundary, time.monotonic() - started)


def _read_cells(path: Path) -> list[PhaseCell]:
    if not path.exists():
        return []
    with path.open(newline="") as stream:
        reader = csv.DictReader(stream)
        if tuple(reader.fieldnames or ()) != CSV_FIELDS:
            raise InputError("out", f"{str(path)!r} is not a phase CSV (columns {reader.fieldnames})",
                             "choose another --out directory")
        return [PhaseCell.from_row(row) for row in reader]


def _write_cells(cells: Sequence[PhaseCell], path: Path) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS)
            writer.writeheader()
            for cell in cells:
                writer.writerow(cell.row())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run_phase(*, d0: int, samples: Sequence[int], widths: Sequence[int], trials: int, seed: int, bias: bool,
              csv_path: Path, progress: Callable[[int, int], None] | None = None) -> tuple[list[PhaseCell], int]:
    """Fill the grid; returns the cells of this grid (old and new) and how many were computed now."""
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    cells = _read_cells(csv_path)
    done = {(c.n, c.d1) for c in cells if (c.d0, c.bias, c.trials, c.seed) == (d0, bias, trials, seed)}
    todo = [(n, d1) for d1 in widths for n in samples if (n, d1) not in done]
    for count, (n, d1) in enumerate(todo, start=1):
        cells.append(run_cell(d0, bias, n, d1, trials, seed))
        _write_cells(cells, csv_path)
        if progress is not None:
            progress(count, len(todo))
    grid = [c for c in cells if (c.d0, c.bias, c.trials, c.seed) == (d0, bias, trials, seed)
            and c.n in samples and c.d1 in widths]
    return grid, len(todo)


def plot_phase(cells: Sequence[PhaseCell], *, d0: int, bias: bool, samples: Sequence[int], widths: Sequence[int],
               stem: Path) -> list[Path]:
    """Heat map (x: n, y: d1) with the lines ``d1 d0 = n`` and, with a bias, ``d1 (d0+1) = n``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    values = numpy.full((len(widths), len(samples)), numpy.nan)
    for c in cells:
        values[widths.index(c.d1), samples.index(c.n)] = c.fraction
    figure, axes = plt.subplots(figsize=(6, 4.8))
    image = axes.imshow(values, origin="lower", aspect="auto", cmap="viridis", vmin=0, vmax=1,
                        extent=(samples[0] - 0.5, samples[-1] + 0.5, widths[0] - 0.5, widths[-1] + 0.5)
                        if len(samples) == 1 or len(widths) == 1 else _extent(samples, widths))
    xs = numpy.linspace(samples[0], samples[-1], 100)
    axes.plot(xs, xs / d0, "w--", label=r"$d_1 d_0 = n$")
    if bias:
        axes.plot(xs, xs / (d0 + 1), "r:", label=r"$d_1 (d_0+1) = n$")
    axes.set_ylim(_extent(samples, widths)[2:])
    axes.set_xlabel("dataset size n")
    axes.set_ylabel("width $d_1$")
    trials = cells[0].trials if cells else 0
    axes.set_title(f"fraction of full-rank Jacobians, $d_0 = {d0}$" + (", bias" if bias else "")
                   + f", {trials} draws/cell")
    axes.legend(loc="upper left", fontsize=8)
    figure.colorbar(image, ax=axes)
    figure.tight_layout()
    written = []
    for suffix in (".png", ".pdf"):
        target = stem.with_suffix(suffix)
        figure.savefig(target, dpi=150)
        written.append(target)
    plt.close(figure)
    return written


def _extent(samples: Sequence[int], widths: Sequence[int]) -> tuple[float, float, float, float]:
    dx = (samples[-1] - samples[0]) / max(len(samples) - 1, 1) / 2 or 0.5
    dy = (widths[-1] - widths[0]) / max(len(widths) - 1, 1) / 2 or 0.5
    return samples[0] - dx, samples[-1] + dx, widths[0] - dy, widths[-1] + dy
