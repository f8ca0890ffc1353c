"""Heat maps of a phase grid: one panel per rank method, side by side (x: ``n``, y: ``d1``)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy

from .phase import PhaseCell, PhaseGrid

__all__ = ["plot_grid"]

_RANK_TITLES = {"exact": "exact rank (over ℚ)", "float64": "float64 SVD rank", "float32": "float32 SVD rank (published)"}


def _edges(values: Sequence[int]) -> numpy.ndarray:
    values = numpy.asarray(values, dtype=float)
    if len(values) == 1:
        return numpy.array([values[0] - 0.5, values[0] + 0.5])
    middle = (values[1:] + values[:-1]) / 2
    return numpy.concatenate([[2 * values[0] - middle[0]], middle, [2 * values[-1] - middle[-1]]])


def plot_grid(grid: PhaseGrid, cells: Sequence[PhaseCell], stem: Path, *, annotate: bool | None = None) -> list[Path]:
    """Write ``stem.png``; the dashed line is ``d1 (d0 + 1) = n`` (``d1 d0 = n``
    without a bias): as many ``(W, b)`` Jacobian columns as samples."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    samples, widths = list(grid.samples), list(grid.widths)
    annotate = len(samples) * len(widths) <= 150 if annotate is None else annotate
    figure, axes = plt.subplots(1, len(grid.ranks), figsize=(5.2 * len(grid.ranks) + 1, 4.6), squeeze=False,
                                sharey=True)
    xs = numpy.array(samples, dtype=float)            # d0 may depend on n: the line through the grid's n
    columns = numpy.array([grid.d0_for(n) + (1 if grid.bias else 0) for n in samples])
    for panel, rank in zip(axes[0], grid.ranks):
        values = numpy.full((len(widths), len(samples)), numpy.nan)
        for cell in cells:
            if cell.rank == rank and cell.n in samples and cell.d1 in widths:
                values[widths.index(cell.d1), samples.index(cell.n)] = cell.fraction
        image = panel.pcolormesh(_edges(samples), _edges(widths), values, cmap="viridis", vmin=0, vmax=1)
        if annotate:
            for (row, column), value in numpy.ndenumerate(values):
                if not numpy.isnan(value):
                    panel.text(samples[column], widths[row], f"{value:.2f}".lstrip("0") if value < 1 else "1",
                               ha="center", va="center", fontsize=6, color="white" if value < 0.6 else "black")
        panel.plot(xs, xs / columns, "w--", lw=1)
        panel.set_ylim(_edges(widths)[0], _edges(widths)[-1])
        panel.set_xlim(_edges(samples)[0], _edges(samples)[-1])
        panel.set_xlabel("dataset size n")
        panel.set_title(_RANK_TITLES[rank], fontsize=10)
    axes[0][0].set_ylabel("width $d_1$")
    what = f"$d_0 = {grid.d0}$" if grid.ratio is None else f"$d_0 = \\lceil {grid.ratio}\\, n \\rceil$"
    line = r"$d_1 (d_0+1) = n$" if grid.bias else r"$d_1 d_0 = n$"
    figure.suptitle(f"fraction of full-rank Jacobians, {what}, {grid.protocol} sampling, "
                    f"{grid.trials} trials/cell, seed {grid.seed}; dashed: {line}", fontsize=10)
    figure.colorbar(image, ax=list(axes[0]), fraction=0.03)
    target = stem.parent / f"{stem.name}.png"   # not with_suffix: a stem may hold a dot (ratio_0.25)
    figure.savefig(target, dpi=130)
    plt.close(figure)
    return [target]
