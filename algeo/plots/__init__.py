"""Figures of results (matplotlib): Hessian indices, losses, real counts, critical values, the Λ scale.

Each figure is a function of result objects returning a :class:`matplotlib.figure.Figure`
(:data:`FIGURES`); :func:`figure` picks one by name and :func:`save` writes PNG and PDF.
Labels name every quantity; ``usetex=True`` typesets them with LaTeX (needs a TeX
installation). :func:`algeo.plot` and ``algeo plot`` read the results from files first.
The library never prints; see docs/figures.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..exceptions import InputError
from .checks import critical_values
from .style import figure_style, save
from .sweeps import index_histogram, loss_by_index, real_counts, regularization_scale

__all__ = ["FIGURES", "figure", "save", "figure_style", "default_stem", "index_histogram", "loss_by_index", "real_counts",
           "critical_values", "regularization_scale"]

#: figure name -> (function, what it reads)
FIGURES = {
    "index-histogram": (index_histogram, "sweeps"),
    "loss-index": (loss_by_index, "sweeps"),
    "real-counts": (real_counts, "sweeps"),
    "scale": (regularization_scale, "sweeps"),
    "critical-values": (critical_values, "check reports (critical-values)"),
}


def figure(kind: str, sources: Sequence, *, usetex: bool = False):
    """The figure ``kind`` of ``sources`` (result objects), in the publication style."""
    if kind not in FIGURES:
        raise InputError("kind", f"is {kind!r}", f"use one of {', '.join(FIGURES)}")
    if not sources:
        raise InputError("sources", "none given", f"give {FIGURES[kind][1]}")
    function, _ = FIGURES[kind]
    with figure_style(usetex=usetex):
        return function(list(sources))


def default_stem(kind: str, out: str | Path) -> Path:
    """``out/kind`` when ``out`` is an existing directory, else ``out`` without a ``.png`` / ``.pdf`` suffix."""
    out = Path(out)
    if out.is_dir():
        return out / kind
    return out.with_suffix("") if out.suffix in (".png", ".pdf") else out
