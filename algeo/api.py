"""The Python API beside the commands: load any result, and a table from results or a sweep.

Every command has a function that returns a result object (``algeo.solve``, ``algeo.sweep``,
``algeo.check``, ``algeo.relu.regions`` / ``solve_relu`` / ``phase_diagram``, ``algeo.table``,
``algeo.plot``); every result a command writes as JSON loads back with :func:`load_result`
into the object it came from (``from_json(r.to_json()) == r``). This module sits above the
stages whose results it reads (results, checks, relu) and below the command line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence, Union

from .exceptions import InputError
from .results.solve_result import SolveResult
from .results.sweep_result import SweepResult, instance_path
from .results.unregularized import UnregularizedSolveResult

if TYPE_CHECKING:
    from .checks.report import CheckReport
    from .relu.phase_diagram import PhaseDiagram
    from .relu.regions import RegionsResult
    from .relu.solve import ReluSolveResult

__all__ = ["RESULT_KINDS", "result_types", "Result", "load_result", "result_from_json", "table", "TABLE_KINDS",
           "plot"]

#: every ``algeo_result`` a JSON document can have
RESULT_KINDS = ("solve", "solve_unregularized", "sweep", "check", "relu_regions", "relu_solve", "relu_phase")

Result = Union[SolveResult, UnregularizedSolveResult, SweepResult, "CheckReport", "RegionsResult", "ReluSolveResult",
               "PhaseDiagram"]


def result_types() -> dict[str, type]:
    """``algeo_result`` -> the type that reads it (imported here: ``import algeo`` stays light)."""
    from .checks.report import CheckReport
    from .relu.phase_diagram import PhaseDiagram
    from .relu.regions import RegionsResult
    from .relu.solve import ReluSolveResult

    return {"solve": SolveResult, "solve_unregularized": UnregularizedSolveResult, "sweep": SweepResult,
            "check": CheckReport, "relu_regions": RegionsResult, "relu_solve": ReluSolveResult,
            "relu_phase": PhaseDiagram}

TABLE_KINDS = ("root-counts", "points", "checks")


def result_from_json(data: dict) -> Result:
    """The result object of a parsed algeo JSON document, by its ``algeo_result`` field.

    >>> result_from_json({"algeo_result": "nonsense"})
    Traceback (most recent call last):
    ...
    algeo.exceptions.InputError: algeo_result: is 'nonsense'; expected one of solve, solve_unregularized, sweep, check, relu_regions, relu_solve, relu_phase
    """
    kind = data.get("algeo_result") if isinstance(data, dict) else None
    if kind not in RESULT_KINDS:
        raise InputError("algeo_result", f"is {kind!r}; expected one of {', '.join(RESULT_KINDS)}")
    return result_types()[kind].from_json(data)


def load_result(path: str | Path) -> Result:
    """Read a result file written by an algeo command, or a sweep's ``--out`` directory.

    Parameters
    ----------
    path : a JSON file (``algeo solve|check|relu ... --json``, a sweep's ``summary.json``)
        or a sweep directory (its ``summary.json``; the instances are read on demand).

    Returns
    -------
    The result object (:func:`result_types`): ``SolveResult``, ``UnregularizedSolveResult``,
    ``SweepResult``, ``CheckReport``, ``RegionsResult``, ``ReluSolveResult`` or ``PhaseDiagram``.
    """
    path = Path(path)
    if path.is_dir():
        return SweepResult.load(path)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError("path", f"{str(path)!r} does not exist", "give a result file or a sweep directory") from None
    except json.JSONDecodeError as error:
        raise InputError("path", f"{str(path)!r} is not valid JSON ({error.msg} at line {error.lineno})") from None
    if isinstance(data, dict) and data.get("algeo_result") == "sweep":
        return SweepResult.from_json(data, directory=path.parent)
    return result_from_json(data)


def _documents(sources: Iterable) -> list[dict]:
    """JSON documents from paths (files, directories), result objects and dicts."""
    from . import tables

    documents, paths = [], []
    for source in sources:
        if isinstance(source, (str, Path)):
            paths.append(source)
        elif isinstance(source, SweepResult):
            if source.directory is None:
                raise InputError("sources", "a SweepResult without its directory has no instances to tabulate",
                                 "load it with algeo.load_result(OUT)")
            paths += [instance_path(source.directory, e.index) for e in source.solved]
        elif isinstance(source, dict):
            documents.append(source)
        elif hasattr(source, "to_json"):
            documents.append(source.to_json())
        else:
            raise InputError("sources", f"cannot tabulate a {type(source).__name__}",
                             "give result objects, result files or directories")
    return documents + (tables.load_documents(paths) if paths else [])


def table(kind: str, *sources, digits: int | None = None, standalone: bool = False,
          exact_counts: dict | None = None) -> str:
    """A LaTeX (booktabs) table from results: ``algeo table`` from Python (docs/tables.md).

    Parameters
    ----------
    kind : ``"root-counts"`` (Bharadwaj & Hoşten's layout, one row per architecture and ``m``),
        ``"points"`` (the real critical points of each solve result) or ``"checks"``.
    sources : result objects (a ``SweepResult`` stands for its instances), result files, or
        directories (a sweep's ``--out``: every instance below it).
    digits : significant digits of losses (points table; default 10).
    standalone : a complete document that compiles with ``pdflatex``.
    exact_counts : for ``root-counts``, ``{(widths, m): (N_C, N_C*)}`` from an exact computation
        (marked in the table beside the published counts).
    """
    from . import tables

    if kind not in TABLE_KINDS:
        raise InputError("kind", f"is {kind!r}", f"use one of {', '.join(TABLE_KINDS)}")
    digits = tables.LOSS_DIGITS if digits is None else digits
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 60:
        raise InputError("digits", f"is {digits!r}; use 1 to 60")
    if not sources:
        raise InputError("sources", "none given", "give result objects, files or a sweep directory")
    documents = _documents(sources)
    if kind == "root-counts":
        parts = [tables.root_count_table(documents, exact_counts=exact_counts)]
    elif kind == "points":
        results = [d for d in documents if d.get("algeo_result") in ("solve", "solve_unregularized")]
        if not results:
            raise InputError("sources", "no solve result among the inputs", "give files written by algeo solve --json")
        parts = [tables.critical_points_table(d, digits=digits, label=f"tab:critical-points-{k}")
                 for k, d in enumerate(results)]
    else:
        parts = [tables.check_summary_table(documents)]
    return tables.standalone_document(*parts) if standalone else "\n".join(parts)


def plot(kind: str, *sources, out: str | Path | None = None, formats: Sequence[str] = ("png", "pdf"),
         usetex: bool = False):
    """A figure of results: ``algeo plot`` from Python (docs/figures.md).

    Parameters
    ----------
    kind : ``"index-histogram"``, ``"loss-index"``, ``"real-counts"``, ``"scale"`` (sweeps; for
        ``scale`` one sweep per ``generic*SCALE``) or ``"critical-values"`` (check reports).
    sources : result objects, result files or sweep directories.
    out : when given, the figure is also written as ``out.png`` and ``out.pdf`` (``out/KIND.*``
        when ``out`` is an existing directory).
    formats : which files to write.
    usetex : typeset the labels with LaTeX.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .plots import default_stem, figure, figure_style, save

    objects = [load_result(s) if isinstance(s, (str, Path)) else s for s in sources]
    with figure_style(usetex=usetex):
        made = figure(kind, objects, usetex=usetex)
        if out is not None:
            save(made, default_stem(kind, out), formats)
    return made
