"""``critical-values``: every critical value is ``1/2 (tr YY^T - sum_{i in S} lambda_i(Sigma))``.

Zhou & Liang's critical values, checked on the rank strata of ``l(W) = 1/2||WX - Y||^2``
(REFERENCE.md section 4) without the unregularized network solver. Every stratum
``e = 0..r`` is its own piece of evidence, and the instance PASSes only when every stratum does:

- ``e = 0``: the stratum is the single point ``W = 0``; ``l(0)`` is evaluated from the data
  (``1/2 sum_j ||y_j||^2`` summed sample by sample, in rationals) and compared *exactly* with
  the formula at ``S = {}``.
- ``e = 1..r``: the critical points of ``l`` on the rank-``e`` matrices come from homotopy
  continuation on the chart equations (:mod:`algeo.checks.strata`), refined at ``digits``
  digits on the exact system; ``l`` is evaluated at each at that precision. The formula side
  is exact: ``lambda_i`` are the roots (sympy ``CRootOf``) of the characteristic polynomial of
  ``Sigma`` over QQ, evaluated to ``digits + 10`` digits with sympy's guaranteed ``evalf``.
  A value agrees when ``|l - formula(S)| <= 10^(10 - digits) max(1, |l|)`` for its nearest
  ``S``; it disagrees (FAIL) when no ``|S| = e`` comes within ``10^-8``; in between is
  UNDECIDED. The stratum PASSes only when every value agrees, the real rank-``e`` points
  number exactly ``C(q, e)`` and match ``C(q, e)`` *different* subsets (so every formula value
  is met once), no point has an undecided rank or is non-real on the stratum, and the
  solution set is complete (Singular's exact ``vdim`` of the chart equations equals the number
  of distinct solutions found; without Singular, PHCpack's path accounting). Anything short of
  that is UNDECIDED with the reason; a disagreeing value is a FAIL whatever else happened.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import comb

import mpmath
import sympy

from ..verify.exact import singular_available, singular_counts
from .common import eckart_young_hypothesis
from .instances import Instance
from .report import InstanceCheck, Verdict
from .strata import SigmaSpectrum, StratumSolution, formula_value, solve_stratum

NAME = "critical-values"
STATEMENT = ("every critical value of l = 1/2||WX - Y||^2 on a rank-e stratum equals "
             "1/2(tr YY^T - sum_{i in S} lambda_i(Sigma)) for some |S| = e (Zhou & Liang)")
EXISTENCE = False
CLAIM_KEYS = ("offset",)
RATIONAL_CLAIM_KEYS = ("offset",)
DISAGREE = mpmath.mpf("1e-8")


def validate(instance: Instance) -> None:
    return None


def combine(verdicts) -> Verdict:
    """FAIL if any is FAIL; PASS only if there is at least one and all are PASS; else UNDECIDED."""
    verdicts = list(verdicts)
    if Verdict.FAIL in verdicts:
        return Verdict.FAIL
    return Verdict.PASS if verdicts and all(v is Verdict.PASS for v in verdicts) else Verdict.UNDECIDED


def loss_at_zero(dataset) -> Fraction:
    """``l(0) = 1/2 sum_j ||0 - y_j||^2``, summed sample by sample from the data (exact)."""
    return sum((y * y for row in dataset.Y for y in row), Fraction(0)) / 2


def zero_stratum(dataset, spectrum: SigmaSpectrum, offset) -> tuple[Verdict, dict]:
    """The rank-0 stratum ``{0}``: ``l(0)`` from the data against the formula at ``S = {}``, exactly."""
    value = loss_at_zero(dataset)
    formula = formula_value(spectrum, (), offset=offset)
    verdict = Verdict.PASS if sympy.Rational(value.numerator, value.denominator) - formula == 0 else Verdict.FAIL
    row = {"rank": 0, "value": str(value), "subset": [], "formula": str(formula), "verdict": verdict.value,
           "comparison": "exact (rationals): l(0) = 1/2 sum_j ||y_j||^2 from the samples vs the formula at S = {}"}
    return verdict, {"rank": 0, "verdict": verdict.value, "expected_points": 1, "points_compared": 1,
                     "complete": True, "comparisons": [row]}


def _row_verdict(difference, tolerance) -> Verdict:
    if difference <= tolerance:
        return Verdict.PASS
    return Verdict.FAIL if difference >= DISAGREE else Verdict.UNDECIDED


def stratum_decision(spectrum: SigmaSpectrum, solution: StratumSolution, q: int, *, offset, digits: int,
                     exact_count: int | None) -> tuple[Verdict, dict]:
    """The verdict on the rank-``e`` stratum (``e = solution.rank >= 1``) and its evidence.

    ``exact_count`` is Singular's number of complex solutions of the chart equations (or None).
    """
    e = solution.rank
    expected = comb(q, e)
    tolerance = mpmath.mpf(10) ** (10 - digits)
    rows, reasons, verdicts = [], [], []
    with mpmath.workdps(digits + 10):
        formulas = {S: mpmath.mpf(str(formula_value(spectrum, S, offset=offset).evalf(digits + 10)))
                    for S in itertools.combinations(range(q), e)}
        matched = []
        for k, point in enumerate(solution.points):
            if point.rank is None:
                reasons.append(f"solution {k}: rank undecided (no clear singular-value gap)")
                continue
            if point.rank < e:
                continue  # a critical point of the chart parametrization, not on the rank-e stratum
            if not point.is_real:
                reasons.append(f"solution {k}: a non-real critical point on the stratum (see ed-degree)")
                continue
            if not point.converged:
                reasons.append(f"solution {k}: Newton's method did not converge")
            value = mpmath.re(point.loss)
            S, formula = min(formulas.items(), key=lambda item: abs(item[1] - value))
            difference = abs(formula - value) / max(1, abs(value))
            verdict = _row_verdict(difference, tolerance)
            verdicts.append(verdict)
            matched.append(S)
            rows.append({"rank": e, "solution": k, "value": mpmath.nstr(value, 30), "subset": [i + 1 for i in S],
                         "formula": mpmath.nstr(formula, 30), "relative_difference": mpmath.nstr(difference, 5),
                         "comparison": f"numeric at {digits} digits vs exact algebraic (CRootOf)",
                         "verdict": verdict.value})
    if len(matched) != expected:
        reasons.append(f"{len(matched)} real rank-{e} critical points compared, C(q,e) = {expected} expected")
    elif len(set(matched)) != expected:
        reasons.append(f"the values match only {len(set(matched))} of the {expected} index sets S "
                       "(two points share an S)")
    found = len(solution.points)
    if exact_count is not None:
        complete = exact_count == found
        how = f"Singular vdim {exact_count} vs {found} distinct solutions found"
    else:
        complete = solution.backend_ok and solution.statuses.get("failed", 0) == 0
        how = "PHCpack path accounting (Singular not installed)"
    if not complete:
        reasons.append(f"solution set not shown complete ({how})")
    verdict = combine(verdicts) if verdicts else Verdict.UNDECIDED
    if verdict is Verdict.PASS and reasons:
        verdict = Verdict.UNDECIDED
    if not verdicts:
        reasons.append(f"no real rank-{e} critical point to compare: " + (solution.backend_detail or "none found"))
    evidence = {"rank": e, "verdict": verdict.value, "expected_points": expected, "points_compared": len(matched),
                "subsets_matched": sorted([i + 1 for i in S] for S in set(matched)),
                "distinct_solutions": found,
                "lower_rank_solutions": sum(1 for p in solution.points if p.rank is not None and p.rank < e),
                "exact_vdim_singular": exact_count, "completeness": how, "complete": complete,
                "paths": solution.paths, "path_statuses": solution.statuses, "comparisons": rows}
    if reasons:
        evidence["undecided_because" if verdict is not Verdict.FAIL else "also"] = reasons
    return verdict, evidence


def check(instance: Instance, *, claim: dict, digits: int, backend: str = "auto") -> InstanceCheck:
    common = dict(seed=instance.seed, widths=instance.architecture.widths, samples=instance.dataset.n_samples)
    digits = max(digits, 50)
    spectrum, reason = eckart_young_hypothesis(instance)
    if spectrum is None:
        return InstanceCheck(instance.label, Verdict.UNDECIDED, f"hypothesis not met: {reason}",
                             {"undecided_because": reason}, **common)
    offset = sympy.Rational(str(Fraction(str(claim.get("offset", 0)))))
    q, r = instance.architecture.outer_rank, instance.architecture.rank_bound
    verdict, zero = zero_stratum(instance.dataset, spectrum, offset)
    strata, verdicts = [zero], [verdict]
    for e in range(1, r + 1):
        solution = solve_stratum(instance.dataset, e, seed=instance.seed or 0, digits=digits, backend=backend)
        exact = singular_counts(solution.system, list(solution.names)).complex if singular_available() else None
        verdict, evidence = stratum_decision(spectrum, solution, q, offset=offset, digits=digits, exact_count=exact)
        strata.append(evidence)
        verdicts.append(verdict)
    verdict = combine(verdicts)
    numeric = [c for s in strata for c in s["comparisons"] if "relative_difference" in c]
    worst = max((mpmath.mpf(c["relative_difference"]) for c in numeric), default=mpmath.mpf(0))
    parts = [f"e={s['rank']}: {s['verdict']} ({s['points_compared']}/{s['expected_points']} values)" for s in strata]
    summary = ("; ".join(parts) + f"; largest relative difference {mpmath.nstr(worst, 3)} at {digits} digits "
               "(e = 0 exact)" + (f"; claimed offset {offset}" if offset else ""))
    evidence = {"method": "per stratum: values of l at the critical points (e = 0: W = 0, exact; e >= 1: PHCpack + "
                "Newton on the chart equations) vs the formula with exact CRootOf eigenvalues of Sigma over QQ; "
                "C(q,e) points with distinct S and a complete solution set required",
                "tolerance_agree": mpmath.nstr(mpmath.mpf(10) ** (10 - digits), 3),
                "tolerance_disagree": mpmath.nstr(DISAGREE, 3), "strata": strata,
                "comparisons": [c for s in strata for c in s["comparisons"]],
                "sigma_eigenvalues": [mpmath.nstr(mpmath.mpf(str(v.evalf(30))), 25) for v in spectrum.eigenvalues],
                "characteristic_polynomial": str(spectrum.characteristic_polynomial.as_expr())}
    return InstanceCheck(instance.label, verdict, summary, evidence, **common)
