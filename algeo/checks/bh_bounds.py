"""``bh-bounds``: Bharadwaj & Hoşten's bounds for one hidden layer and one sample.

Widths ``(d_x, d, p)`` (``p = d_y``), ``m = 1``, generic data and ``Lambda``:
``N_C <= (1+4p)^d``, ``N_C* <= (4p)^d``, and exactly ``4pd`` complex critical points have
exactly one nonzero row of ``W_1`` (REFERENCE.md section 2).

Evidence: the counts of :func:`algeo.solve` (exact integers) and, per point, the rows of
``W_1`` from the coordinates refined at ``digits`` digits on the exact system. An entry is
zero when ``|w| <= zero_coordinate * max(1, ||x||)`` (the project's zero tolerance, 1e-12),
nonzero when ``|w| >= 1e-6 * max(1, ||x||)``; an entry in between makes the point undecided.
"""

from __future__ import annotations

import mpmath

from ..exceptions import InputError
from ..pipeline.options import SolveOptions
from ..pipeline.solve import solve
from .instances import Instance
from .report import InstanceCheck, Verdict

NAME = "bh-bounds"
STATEMENT = ("one hidden layer (widths d_x,d,p), m = 1: N_C <= (1+4p)^d, N_C* <= (4p)^d, and exactly 4pd "
             "complex critical points have exactly one nonzero row of W_1 (Bharadwaj & Hosten)")
EXISTENCE = False
CLAIM_KEYS = ("complex_bound", "nonzero_bound", "one_nonzero_row")
#: entries at least this large (relative) are nonzero; between the zero tolerance and this: undecided
NONZERO_THRESHOLD = 1e-6


def validate(instance: Instance) -> None:
    if instance.architecture.depth != 2:
        raise InputError("widths", f"{NAME} is about one hidden layer: widths d_x,d,d_y (got {instance.architecture})")
    if instance.dataset.n_samples != 1:
        raise InputError("samples", f"{NAME} is about m = 1 sample (got {instance.dataset.n_samples})", "use --samples 1")


def row_pattern(point, d: int, dx: int, zero_tolerance: float) -> tuple[int | None, float, float]:
    """Number of nonzero rows of ``W_1`` (None if undecided), largest |entry| called zero, smallest called nonzero."""
    with mpmath.workdps(60):
        point = [mpmath.mpc(z) for z in point]
        scale = max(mpmath.mpf(1), max(abs(z) for z in point))
        largest_zero, smallest_nonzero, undecided, nonzero_rows = 0.0, float("inf"), False, 0
        for i in range(d):
            row = [abs(point[i * dx + j]) / scale for j in range(dx)]
            if any(v >= NONZERO_THRESHOLD for v in row):
                nonzero_rows += 1
            for v in row:
                if v <= zero_tolerance:
                    largest_zero = max(largest_zero, float(v))
                elif v >= NONZERO_THRESHOLD:
                    smallest_nonzero = min(smallest_nonzero, float(v))
                else:
                    undecided = True
    return (None if undecided else nonzero_rows), largest_zero, smallest_nonzero


def check(instance: Instance, *, claim: dict, digits: int, backend: str = "auto") -> InstanceCheck:
    validate(instance)
    dx, d, p = instance.architecture.widths
    bounds = {"complex_bound": (1 + 4 * p) ** d, "nonzero_bound": (4 * p) ** d, "one_nonzero_row": 4 * p * d}
    stated = {k: claim.get(k, v) for k, v in bounds.items()}
    result = solve(instance.architecture, data=instance.dataset, regularization=instance.regularization,
                   seed=instance.seed or 0, options=SolveOptions(digits=digits, backend=backend))
    zero_tolerance = result.provenance["tolerances"]["zero_coordinate"]
    patterns = [row_pattern(pt.refined, d, dx, zero_tolerance) for pt in result.points]
    undecided = [pt.index for pt, pat in zip(result.points, patterns) if pat[0] is None]
    one_row = sum(1 for pat in patterns if pat[0] == 1)
    c = result.counts
    evidence = {
        "method": f"algeo.solve (PHCpack blackbox, Newton refinement at {digits} digits on the exact system); counts "
                  "are exact integers of distinct refined points",
        "N_C": c.complex, "N_C*": c.nonzero, "one_nonzero_row_of_W1": one_row,
        "claimed": stated, "theorem_values": bounds,
        "rows_per_point": [pat[0] for pat in patterns],
        "largest_entry_called_zero": max((pat[1] for pat in patterns), default=0.0),
        "smallest_entry_called_nonzero": min((pat[2] for pat in patterns), default=None),
        "zero_tolerance": zero_tolerance, "nonzero_threshold": NONZERO_THRESHOLD,
        "solve_ok": result.ok, "solve_problems": list(result.problems),
        "paths": {"tracked": c.paths, "regular": c.regular, "singular": c.singular, "at_infinity": c.at_infinity,
                  "failed": c.failed},
    }
    text = (f"N_C = {c.complex} vs <= {stated['complex_bound']}; N_C* = {c.nonzero} vs <= {stated['nonzero_bound']}; "
            f"one nonzero row of W_1: {one_row} vs = {stated['one_nonzero_row']}")
    failures = []
    if c.complex > stated["complex_bound"]:
        failures.append("N_C exceeds the bound")
    if c.nonzero > stated["nonzero_bound"]:
        failures.append("N_C* exceeds the bound")
    if not undecided and one_row != stated["one_nonzero_row"]:
        failures.append("wrong number of points with one nonzero row")
    common = dict(seed=instance.seed, widths=instance.architecture.widths, samples=instance.dataset.n_samples)
    if not result.ok:
        evidence["undecided_because"] = "the solve was flagged (solutions may be missing): " + "; ".join(result.problems)
        return InstanceCheck(instance.label, Verdict.UNDECIDED, text + " (solve flagged)", evidence, **common)
    if failures:
        evidence["failures"] = failures
        return InstanceCheck(instance.label, Verdict.FAIL, text + " -- " + "; ".join(failures), evidence, **common)
    if undecided:
        evidence["undecided_because"] = f"points {undecided} have a W_1 entry between the zero and nonzero thresholds"
        return InstanceCheck(instance.label, Verdict.UNDECIDED, text + " (row pattern undecided)", evidence, **common)
    return InstanceCheck(instance.label, Verdict.PASS, text, evidence, **common)
