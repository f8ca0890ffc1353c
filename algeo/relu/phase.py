"""Karhadkar et al.'s phase diagram: the fraction of random regions with a full-rank Jacobian.

A :class:`PhaseGrid` is one heat map: dataset sizes ``n`` (x) times widths ``d1`` (y), with a
fixed input dimension ``d0`` or ``d0 = ceil(ratio n)``. Two sampling protocols:

- ``karhadkar`` (default): the authors' own sampling, a fresh network and dataset per trial,
  ranks by any of :data:`~algeo.relu.karhadkar.RANK_METHODS` on the same draws
  (:mod:`algeo.relu.karhadkar`); the fraction is over all trials;
- ``algeo``: the project's earlier law, kept as an option: one dataset per ``n`` (exact
  dyadic data centred on ``[-1, 1]^d0``, seeded by ``(seed, n)``) reused for every ``d1`` and
  trial, Gaussian ``w~_i`` (seeded by ``(seed, n, d1)``), exact rank only; draws too close to a
  boundary to decide their pattern are counted in ``boundary`` and left out of the fraction.

Each finished cell (one row per rank method) is added to the grid's CSV, rewritten atomically
and sorted; a rerun with the same settings computes only the rows missing from the CSV.
Cells run in ``workers`` processes.
"""

from __future__ import annotations

import csv
import logging
import math
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Callable, Sequence

import numpy

from ..exceptions import InputError
from .estimate import wilson_interval
from .instance import ReluArchitecture, random_relu_data
from .jacobian import integer_points, jacobian_rank
from .karhadkar import RANK_METHODS, full_rank_counts
from .regions import sample_patterns

__all__ = ["PROTOCOLS", "PhaseCell", "PhaseGrid", "run_grids", "read_cells", "parse_range", "parse_ratios", "CSV_FIELDS",
           "AUTHORS_FIXED_D0", "AUTHORS_RATIOS"]

logger = logging.getLogger(__name__)

PROTOCOLS = ("karhadkar", "algeo")
CSV_FIELDS = ("protocol", "d0", "ratio", "bias", "n", "d1", "trials", "seed", "rank", "full_rank", "boundary",
              "fraction", "ci_low", "ci_high", "seconds")
#: the authors' grids (experiments/full_rank_regions.sh): d0, samples, widths
AUTHORS_FIXED_D0 = ((1, 2, 3, 5), tuple(range(10, 101, 10)), tuple(range(30, 301, 30)))
AUTHORS_RATIOS = (("0.25", "0.5", "1", "2"), tuple(range(10, 191, 20)), tuple(range(1, 16)))


@dataclass(frozen=True)
class PhaseCell:
    """One grid cell under one rank method; ``ratio`` is ``""`` for a fixed-``d0`` grid."""

    protocol: str
    d0: int
    ratio: str
    bias: bool
    n: int
    d1: int
    trials: int
    seed: int
    rank: str
    full_rank: int
    boundary: int
    seconds: float

    @property
    def fraction(self) -> float:
        decided = self.trials - self.boundary
        return self.full_rank / decided if decided else float("nan")

    @property
    def key(self) -> tuple:
        return self.protocol, self.d0, self.ratio, self.bias, self.n, self.d1, self.trials, self.seed, self.rank

    def row(self) -> dict:
        low, high = wilson_interval(self.full_rank, self.trials - self.boundary)
        return {"protocol": self.protocol, "d0": self.d0, "ratio": self.ratio, "bias": int(self.bias), "n": self.n,
                "d1": self.d1, "trials": self.trials, "seed": self.seed, "rank": self.rank,
                "full_rank": self.full_rank, "boundary": self.boundary, "fraction": f"{self.fraction:.6f}",
                "ci_low": f"{low:.6f}", "ci_high": f"{high:.6f}", "seconds": f"{self.seconds:.3f}"}

    @classmethod
    def from_row(cls, row: dict) -> "PhaseCell":
        return cls(row["protocol"], int(row["d0"]), row["ratio"], bool(int(row["bias"])), int(row["n"]),
                   int(row["d1"]), int(row["trials"]), int(row["seed"]), row["rank"], int(row["full_rank"]),
                   int(row["boundary"]), float(row["seconds"]))


@dataclass(frozen=True)
class PhaseGrid:
    """One heat map: ``d0`` fixed, or ``d0 = ceil(ratio n)`` when ``ratio`` is given."""

    protocol: str
    d0: int | None
    ratio: str | None
    samples: tuple[int, ...]
    widths: tuple[int, ...]
    trials: int
    seed: int
    ranks: tuple[str, ...]
    bias: bool = True

    def __post_init__(self):
        if self.protocol not in PROTOCOLS:
            raise InputError("protocol", f"{self.protocol!r} is unknown", f"choose from {', '.join(PROTOCOLS)}")
        if (self.d0 is None) == (self.ratio is None):
            raise InputError("d0", "give either a fixed d0 or a ratio d0/n", "use --d0 or --ratio")
        if self.trials <= 0:
            raise InputError("trials", f"is {self.trials}; it must be a positive integer")
        bad = [r for r in self.ranks if r not in RANK_METHODS]
        if bad or not self.ranks:
            raise InputError("rank", f"{','.join(bad) or 'nothing'} is not a rank method",
                             f"choose from {', '.join(RANK_METHODS)}")
        if self.protocol == "algeo" and (self.ranks != ("exact",) or self.ratio is not None):
            raise InputError("protocol", "the algeo protocol has a fixed d0 and the exact rank only",
                             "use --protocol karhadkar for --ratio or --rank float32/float64")
        if self.protocol == "karhadkar" and not self.bias:
            raise InputError("no-bias", "the karhadkar protocol has a bias (nn.Linear's default)",
                             "drop --no-bias, or use --protocol algeo")

    def d0_for(self, n: int) -> int:
        return self.d0 if self.ratio is None else math.ceil(Fraction(self.ratio) * n)

    @property
    def name(self) -> str:
        """File stem: ``karhadkar_d0_2``, ``karhadkar_ratio_0.5``, ``algeo_d0_2`` (``_nobias``)."""
        what = f"d0_{self.d0}" if self.ratio is None else f"ratio_{self.ratio}"
        return f"{self.protocol}_{what}{'' if self.bias else '_nobias'}"

    def cell_key(self, n: int, d1: int, rank: str) -> tuple:
        return (self.protocol, self.d0_for(n), self.ratio or "", self.bias, n, d1, self.trials, self.seed, rank)


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


def parse_ratios(text: str) -> tuple[str, ...]:
    """``"0.25,0.5,1,2"``: positive decimals, kept as written (they name the files).

    >>> parse_ratios("0.25, 2")
    ('0.25', '2')
    """
    ratios = tuple(part.strip() for part in text.split(","))
    for ratio in ratios:
        try:
            positive = Fraction(ratio) > 0
        except (ValueError, ZeroDivisionError):
            positive = False
        if not positive or "/" in ratio:
            raise InputError("ratio", f"{ratio!r} is not a positive decimal", "use e.g. 0.25,0.5,1,2")
    return ratios


def algeo_cell(d0: int, bias: bool, n: int, d1: int, trials: int, seed: int) -> tuple[int, int]:
    """The ``algeo`` protocol's cell: ``(full_rank, boundary)`` (see the module docstring)."""
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
    return full, boundary


def compute_cell(grid: PhaseGrid, n: int, d1: int, ranks: tuple[str, ...]) -> list[PhaseCell]:
    """The rows of cell ``(n, d1)`` for ``ranks`` (one draw of the trials serves every method)."""
    started = time.monotonic()
    d0 = grid.d0_for(n)
    if grid.protocol == "algeo":
        counts = {"exact": algeo_cell(d0, grid.bias, n, d1, grid.trials, grid.seed)}
    else:
        counts = {rank: (full, 0) for rank, full in full_rank_counts(d0, n, d1, grid.trials, grid.seed, ranks).items()}
    seconds = time.monotonic() - started
    return [PhaseCell(grid.protocol, d0, grid.ratio or "", grid.bias, n, d1, grid.trials, grid.seed, rank,
                      counts[rank][0], counts[rank][1], seconds) for rank in ranks]


def read_cells(path: Path) -> list[PhaseCell]:
    """Every row of a phase CSV (none if the file does not exist)."""
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
            for cell in sorted(cells, key=lambda c: (c.protocol, c.ratio, c.bias, c.trials, c.seed, c.rank, c.n, c.d1, c.d0)):
                writer.writerow(cell.row())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _cost(grid: PhaseGrid, n: int, d1: int) -> float:
    return grid.trials * n * n * d1 * (grid.d0_for(n) + 2)


def run_grids(grids: Sequence[PhaseGrid], out: Path, *, workers: int = 1,
              progress: Callable[[int, int], None] | None = None) -> tuple[dict[PhaseGrid, list[PhaseCell]], int]:
    """Fill every grid, resuming from ``out/<grid.name>.csv``; cells run in ``workers`` processes.

    Returns each grid's cells (old and new, in the grid's order) and how many cells were computed now.
    """
    if workers <= 0:
        raise InputError("workers", f"is {workers}; it must be a positive integer")
    out.mkdir(parents=True, exist_ok=True)
    stored = {grid: read_cells(out / f"{grid.name}.csv") for grid in grids}
    todo = []
    for grid in grids:
        done = {cell.key for cell in stored[grid]}
        for n in grid.samples:
            for d1 in grid.widths:
                missing = tuple(r for r in grid.ranks if grid.cell_key(n, d1, r) not in done)
                if missing:
                    todo.append((grid, n, d1, missing))
    todo.sort(key=lambda unit: -_cost(*unit[:3]))   # the largest first: better balance between workers

    def finish(grid: PhaseGrid, rows: list[PhaseCell], count: int) -> None:
        stored[grid].extend(rows)
        _write_cells(stored[grid], out / f"{grid.name}.csv")
        if progress is not None:
            progress(count, len(todo))

    if workers == 1 or len(todo) <= 1:
        for count, unit in enumerate(todo, start=1):
            finish(unit[0], compute_cell(*unit), count)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(compute_cell, *unit): unit[0] for unit in todo}
            try:
                for count, future in enumerate(as_completed(futures), start=1):
                    finish(futures[future], future.result(), count)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    result = {}
    for grid in grids:
        wanted = {grid.cell_key(n, d1, r): None for n in grid.samples for d1 in grid.widths for r in grid.ranks}
        for cell in stored[grid]:
            if cell.key in wanted:
                wanted[cell.key] = cell
        result[grid] = [cell for cell in wanted.values() if cell is not None]
    return result, len(todo)
