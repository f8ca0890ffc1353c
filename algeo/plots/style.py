"""The publication style of algeo's figures, and writing them as PNG and PDF."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Iterator, Sequence

from ..exceptions import BackendUnavailableError, InputError

__all__ = ["figure_style", "save", "new_figure", "percent", "FORMATS", "COLUMN_WIDTH"]

FORMATS = ("png", "pdf")
#: inches: one column of a two-column paper
COLUMN_WIDTH = 3.4


@contextlib.contextmanager
def figure_style(*, usetex: bool = False) -> Iterator[None]:
    """matplotlib settings for small, legible figures (serif text; LaTeX when ``usetex``)."""
    import matplotlib

    if usetex:
        _check_latex()
    settings = {"font.family": "serif", "font.size": 8, "axes.labelsize": 8, "axes.titlesize": 8,
                "legend.fontsize": 7, "xtick.labelsize": 7, "ytick.labelsize": 7, "axes.spines.top": False,
                "axes.spines.right": False, "figure.dpi": 150, "savefig.dpi": 300, "savefig.bbox": "tight",
                "mathtext.fontset": "cm", "text.usetex": usetex}
    with matplotlib.rc_context(settings):
        yield


def new_figure(width: float, height: float, columns: int = 1):
    """A matplotlib ``Figure`` and its axes, made without pyplot: no backend is chosen or changed, so the
    library works headless and a notebook shows the figure with its own backend."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    return figure, figure.subplots(1, columns)


_INSTALL = ("usetex needs LaTeX with the type1cm and cm-super fonts and dvipng: apt-get install texlive-latex-extra "
            "cm-super dvipng (or leave usetex off: matplotlib's mathtext with Computer Modern looks alike)")


def _check_latex() -> None:
    """Typeset one letter the way matplotlib will; a missing program or package is a BackendUnavailableError."""
    if shutil.which("latex") is None or shutil.which("dvipng") is None:
        raise BackendUnavailableError(_INSTALL)
    from matplotlib.texmanager import TexManager

    try:
        TexManager().make_dvi("x", 10)
    except (RuntimeError, OSError):
        raise BackendUnavailableError(_INSTALL) from None


def percent(value: float) -> str:
    """``"40%"``, with the percent sign escaped when labels go through LaTeX."""
    import matplotlib

    return f"{value:.0f}" + (r"\%" if matplotlib.rcParams["text.usetex"] else "%")


def save(figure, stem: str | Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write ``figure`` as ``stem.png`` and ``stem.pdf`` (or ``formats``); returns the files."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise InputError("formats", f"{unknown} not supported", f"use {', '.join(FORMATS)}")
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix in formats:
        target = stem.with_suffix(f".{suffix}")
        figure.savefig(target, dpi=300, bbox_inches="tight")
        written.append(target)
    return written
