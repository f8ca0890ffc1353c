"""Figures of theorem checks: critical values against Zhou & Liang's formula."""

from __future__ import annotations

from typing import Sequence

from ..checks.report import CheckReport
from ..exceptions import InputError
from .style import COLUMN_WIDTH, new_figure

__all__ = ["critical_values"]


def critical_values(sources: Sequence):
    """Computed critical values against ``1/2 (tr YY^T - sum_{i in S} lambda_i(Sigma))``, and their difference.

    Reads ``critical-values`` check reports (``algeo check critical-values --json``): left, each
    critical value on a rank-``e`` stratum against the formula (the diagonal is agreement);
    right, the relative difference of the numeric comparisons (``e >= 1``; ``e = 0`` is exact).
    """
    reports = [r for r in sources if isinstance(r, CheckReport) and r.theorem == "critical-values"]
    if len(reports) != len(sources) or not reports:
        raise InputError("sources", "this figure reads critical-values check reports",
                         "give files written by algeo check critical-values --json")
    comparisons = [c for r in reports for i in r.instances for c in i.evidence.get("comparisons", [])
                   if "formula" in c and "value" in c]
    if not comparisons:
        raise InputError("sources", "the reports hold no compared critical value", "check an instance that meets "
                         "the hypothesis (m >= d_0, distinct singular values)")
    from fractions import Fraction

    def number(text: str) -> float:
        return float(Fraction(text)) if "/" in text else float(text)

    figure, (left, right) = new_figure(2 * COLUMN_WIDTH, 2.6, columns=2)
    ranks = sorted({c["rank"] for c in comparisons})
    colors = {rank: f"C{k}" for k, rank in enumerate(ranks)}
    differences = [float(c["relative_difference"]) for c in comparisons if "relative_difference" in c]
    floor = min((d for d in differences if d > 0), default=1e-60) / 10  # where exact zeros are drawn
    for rank in ranks:
        chosen = [c for c in comparisons if c["rank"] == rank]
        left.scatter([number(c["formula"]) for c in chosen], [number(c["value"]) for c in chosen], s=12,
                     color=colors[rank], label=f"rank $e = {rank}$", zorder=3)
        numeric = [c for c in chosen if "relative_difference" in c]
        for zero, marker in ((False, "o"), (True, "x")):
            shown = [c for c in numeric if (float(c["relative_difference"]) == 0) == zero]
            if shown:
                right.scatter([number(c["formula"]) for c in shown],
                              [floor if zero else float(c["relative_difference"]) for c in shown], s=12,
                              marker=marker, color=colors[rank],
                              label=f"$e = {rank}$" + (": difference 0" if zero else ""))
    values = [number(c["formula"]) for c in comparisons] + [number(c["value"]) for c in comparisons]
    low, high = min(values), max(values)
    left.plot([low, high], [low, high], color="black", linewidth=0.6, label="equal", zorder=2)
    left.set_xlabel(r"formula $\frac{1}{2}(\mathrm{tr}\,YY^\top - \sum_{i\in S}\lambda_i(\Sigma))$")
    left.set_ylabel(r"critical value $\ell$ on the stratum")
    left.legend(frameon=False)
    digits = {r.provenance.get("digits") for r in reports}
    right.set_yscale("log")
    right.legend(frameon=False, loc="lower right")
    right.set_xlabel("formula value")
    right.set_ylabel("relative difference")
    tolerances = {i.evidence.get("tolerance_agree") for r in reports for i in r.instances} - {None}
    for tolerance in tolerances:
        right.axhline(float(tolerance), color="black", linestyle=":", linewidth=0.6)
    right.set_title(f"{len(comparisons)} values, {sum(len(r.instances) for r in reports)} instances, "
                    f"{'/'.join(map(str, sorted(d for d in digits if d)))} digits; dotted: agreement tolerance")
    figure.tight_layout()
    return figure
