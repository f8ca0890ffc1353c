"""``ed-degree``: ``l(W) = 1/2 ||WX - Y||^2`` has ``C(q, e)`` critical points on the rank-e matrices, all real.

Eckart-Young; the ED degree of the determinantal variety (Draisma et al.). REFERENCE.md
section 4. For each ``e = 1..r`` the critical equations of ``l(A B^T)`` in a chart of the
stratum (:mod:`algeo.checks.strata`) are solved by PHCpack and refined at ``digits``
digits on the exact system; the check counts distinct solutions of rank exactly ``e``
(singular-value gap), how many are real, and compares with ``C(q, e)``. Completeness:
the exact number of complex solutions of the same chart equations over QQ (Singular,
``vdim``) when Singular is installed, else PHCpack's path accounting. Each solution is
also matched to the SVD construction ``U_I (XX^T)^{-1/2}`` (evidence, distance reported).
"""

from __future__ import annotations

from math import comb

import mpmath

from ..exceptions import InputError
from ..verify.exact import singular_available, singular_counts
from .common import eckart_young_hypothesis
from .instances import Instance
from .report import InstanceCheck, Verdict
from .strata import eckart_young_points, solve_stratum

NAME = "ed-degree"
STATEMENT = "l = 1/2||WX - Y||^2 has exactly C(q,e) complex critical points on the rank-e matrices, all real (e = 1..r)"
EXISTENCE = False
CLAIM_KEYS = ("rank_1", "rank_2", "rank_3", "rank_4")


def validate(instance: Instance) -> None:
    return None


def validate_claim(instance: Instance, claim: dict) -> None:
    """A claim about a stratum the instance does not have would be silently untested: refuse it."""
    r = instance.architecture.rank_bound
    beyond = sorted(key for key in claim if int(key.split("_")[1]) > r)
    if beyond:
        raise InputError("claim", f"{', '.join(beyond)} is about a rank above r = {r} for widths "
                         f"{instance.architecture}", ("use rank_1" if r == 1 else f"use rank_1 .. rank_{r}") + ", or wider layers")


def _stratum_evidence(instance: Instance, e: int, expected: int, digits: int, backend: str) -> tuple[dict, Verdict]:
    solution = solve_stratum(instance.dataset, e, seed=instance.seed or 0, digits=digits, backend=backend)
    on_stratum = [p for p in solution.points if p.rank == e]
    undecided = [k for k, p in enumerate(solution.points) if p.rank is None]
    real = sum(p.is_real for p in on_stratum)
    exact = None
    if singular_available():
        counts = singular_counts(solution.system, list(solution.names))
        exact = counts.complex
    construction = eckart_young_points(instance.dataset, e, digits)
    with mpmath.workdps(digits):
        distances = [min(mpmath.mnorm(p.W - W_I, 1) for W_I in construction.values()) for p in on_stratum]
    evidence = {
        "rank": e, "expected": expected, "C(q,e)": comb(instance.architecture.outer_rank, e),
        "chart_unknowns": solution.unknowns, "stable_mixed_volume": solution.stable_mixed_volume,
        "paths": solution.paths, "path_statuses": solution.statuses, "paths_observed": solution.backend_ok,
        "backend_attempts": solution.backend_detail,
        "distinct_solutions": len(solution.points), "rank_e_solutions": len(on_stratum), "real": real,
        "lower_rank_solutions": sum(1 for p in solution.points if p.rank is not None and p.rank < e),
        "rank_undecided": len(undecided),
        "exact_vdim_singular": exact if exact is not None else "not computed (Singular missing)",
        "max_distance_to_svd_construction": mpmath.nstr(max(distances), 5) if distances else None,
        "max_residual": max((p.residual for p in solution.points), default=None),
    }
    complete = (exact == len(solution.points)) if exact is not None else (
        solution.backend_ok and solution.statuses.get("failed", 0) == 0)
    evidence["complete"] = complete
    if undecided or not all(p.converged for p in on_stratum):
        return evidence, Verdict.UNDECIDED
    if len(on_stratum) != expected or real != len(on_stratum):
        # more solutions than claimed is a counterexample whatever was lost; fewer needs completeness
        if len(on_stratum) > expected or real != len(on_stratum) or complete:
            return evidence, Verdict.FAIL
        return evidence, Verdict.UNDECIDED
    return evidence, (Verdict.PASS if complete else Verdict.UNDECIDED)


def check(instance: Instance, *, claim: dict, digits: int, backend: str = "auto") -> InstanceCheck:
    common = dict(seed=instance.seed, widths=instance.architecture.widths, samples=instance.dataset.n_samples)
    spectrum, reason = eckart_young_hypothesis(instance)
    if spectrum is None:
        return InstanceCheck(instance.label, Verdict.UNDECIDED, f"hypothesis not met: {reason}",
                             {"undecided_because": reason}, **common)
    q, r = instance.architecture.outer_rank, instance.architecture.rank_bound
    strata, verdicts, parts = [], [], []
    for e in range(1, r + 1):
        expected = int(claim.get(f"rank_{e}", comb(q, e)))
        evidence, verdict = _stratum_evidence(instance, e, expected, digits, backend)
        strata.append(evidence)
        verdicts.append(verdict)
        parts.append(f"e={e}: {evidence['rank_e_solutions']} ({evidence['real']} real) vs {expected}"
                     + (f", exact vdim {evidence['exact_vdim_singular']}" if isinstance(evidence['exact_vdim_singular'], int) else ""))
    verdict = Verdict.FAIL if Verdict.FAIL in verdicts else (
        Verdict.PASS if all(v is Verdict.PASS for v in verdicts) else Verdict.UNDECIDED)
    evidence = {"method": "PHCpack on the chart's critical equations of l(AB^T), Newton at "
                f"{digits} digits on the exact system; completeness by Singular vdim over QQ", "strata": strata}
    return InstanceCheck(instance.label, verdict, "; ".join(parts), evidence, **common)
