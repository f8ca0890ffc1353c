"""``critical-values``: every critical value is ``1/2 (tr YY^T - sum_{i in S} lambda_i(Sigma))``.

Zhou & Liang's critical values, checked on the rank strata of ``l(W) = 1/2||WX - Y||^2``
(REFERENCE.md section 4) without the unregularized network solver: for ``e = 1..r`` the
critical points of ``l`` on the rank-``e`` matrices come from homotopy continuation on
the chart equations (:mod:`algeo.checks.strata`), refined at ``digits`` digits on the exact
system, and ``l`` is evaluated there at that precision. The formula side is exact:
``lambda_i`` are the roots (sympy ``CRootOf``) of the characteristic polynomial of
``Sigma`` over QQ, evaluated to ``digits + 10`` digits with sympy's guaranteed ``evalf``.
A value agrees when ``|l - formula(S)| <= 10^(10 - digits) max(1, |l|)``; it disagrees
(FAIL) when no ``|S| = e`` comes within ``10^-8``; in between is UNDECIDED. ``e = 0``
(``W = 0``) is compared exactly in rationals. The comparison is therefore numeric at
``digits`` digits against exact algebraic numbers, and the report says so.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import mpmath
import sympy

from .common import eckart_young_hypothesis
from .instances import Instance
from .report import InstanceCheck, Verdict
from .strata import formula_value, solve_stratum

NAME = "critical-values"
STATEMENT = ("every critical value of l = 1/2||WX - Y||^2 on a rank-e stratum equals "
             "1/2(tr YY^T - sum_{i in S} lambda_i(Sigma)) for some |S| = e (Zhou & Liang)")
EXISTENCE = False
CLAIM_KEYS = ("offset",)
DISAGREE = mpmath.mpf("1e-8")


def validate(instance: Instance) -> None:
    return None


def check(instance: Instance, *, claim: dict, digits: int, backend: str = "auto") -> InstanceCheck:
    common = dict(seed=instance.seed, widths=instance.architecture.widths, samples=instance.dataset.n_samples)
    if digits < 50:
        digits = 50
    spectrum, reason = eckart_young_hypothesis(instance)
    if spectrum is None:
        return InstanceCheck(instance.label, Verdict.UNDECIDED, f"hypothesis not met: {reason}",
                             {"undecided_because": reason}, **common)
    offset = sympy.Rational(str(Fraction(str(claim.get("offset", 0)))))
    q, r = instance.architecture.outer_rank, instance.architecture.rank_bound
    comparisons, verdicts = [], []
    value_at_zero = spectrum.trace_YYt / 2
    exact_zero = formula_value(spectrum, (), offset=offset)
    verdicts.append(Verdict.PASS if sympy.simplify(value_at_zero - exact_zero) == 0 else Verdict.FAIL)
    comparisons.append({"rank": 0, "value": str(value_at_zero), "subset": [], "formula": str(exact_zero),
                        "comparison": "exact (rationals)"})
    tolerance = mpmath.mpf(10) ** (10 - digits)
    for e in range(1, r + 1):
        solution = solve_stratum(instance.dataset, e, seed=instance.seed or 0, digits=digits, backend=backend)
        with mpmath.workdps(digits + 10):
            formulas = {S: mpmath.mpf(str(formula_value(spectrum, S, offset=offset).evalf(digits + 10)))
                        for S in itertools.combinations(range(q), e)}
            for point in solution.points:
                if point.rank != e or not point.is_real:
                    continue
                value = mpmath.re(point.loss)
                S, formula = min(formulas.items(), key=lambda item: abs(item[1] - value))
                difference = abs(formula - value) / max(1, abs(value))
                if difference <= tolerance:
                    verdict = Verdict.PASS
                elif difference >= DISAGREE:
                    verdict = Verdict.FAIL
                else:
                    verdict = Verdict.UNDECIDED
                verdicts.append(verdict)
                comparisons.append({"rank": e, "value": mpmath.nstr(value, 30), "subset": [i + 1 for i in S],
                                    "formula": mpmath.nstr(formula, 30), "relative_difference": mpmath.nstr(difference, 5),
                                    "comparison": f"numeric at {digits} digits vs exact algebraic (CRootOf)",
                                    "verdict": verdict.value})
        if not solution.points:
            verdicts.append(Verdict.UNDECIDED)
            comparisons.append({"rank": e, "undecided_because": "no critical point found on the stratum: "
                                + solution.backend_detail})
    verdict = Verdict.FAIL if Verdict.FAIL in verdicts else (
        Verdict.PASS if all(v is Verdict.PASS for v in verdicts) else Verdict.UNDECIDED)
    numeric = [c for c in comparisons if "relative_difference" in c]
    worst = max((mpmath.mpf(c["relative_difference"]) for c in numeric), default=mpmath.mpf(0))
    summary = (f"{len(comparisons)} critical values on strata e = 0..{r}; largest relative difference "
               f"{mpmath.nstr(worst, 3)} at {digits} digits (e = 0 exact)"
               + (f"; claimed offset {offset}" if offset else ""))
    evidence = {"method": "values: PHCpack + Newton on the chart equations, l evaluated at the refined point; "
                "formula: exact CRootOf eigenvalues of Sigma over QQ", "tolerance_agree": mpmath.nstr(tolerance, 3),
                "tolerance_disagree": mpmath.nstr(DISAGREE, 3), "comparisons": comparisons,
                "sigma_eigenvalues": [mpmath.nstr(mpmath.mpf(str(v.evalf(30))), 25) for v in spectrum.eigenvalues],
                "characteristic_polynomial": str(spectrum.characteristic_polynomial.as_expr())}
    return InstanceCheck(instance.label, verdict, summary, evidence, **common)
