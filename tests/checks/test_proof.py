"""``regularized-spurious-minima`` and its interval proof (algeo.checks.proof)."""

from fractions import Fraction

import pytest

from algeo.checks import run_check
from algeo.checks.proof import exact_ldl_pivots
from algeo.checks.report import Verdict


def test_exact_ldl_pivots_decide_definiteness():
    F = Fraction
    assert all(p > 0 for p in exact_ldl_pivots([[F(2), F(1)], [F(1), F(2)]]))
    assert not all(p > 0 for p in exact_ldl_pivots([[F(1), F(2)], [F(2), F(1)]]))


def _double_well():
    import mpmath
    import sympy

    from algeo.model.polynomial import Polynomial, PolynomialSystem

    x, y = sympy.symbols("x y")
    loss = (x ** 2 - 1) ** 2 + sympy.Rational(1, 10) * x + y ** 2 * (1 + x ** 2) / 2  # minima near +1 (higher), -1
    system = PolynomialSystem.from_polynomials([Polynomial.from_sympy(sympy.diff(loss, v), (x, y)) for v in (x, y)])
    with mpmath.workdps(50):
        roots = [mpmath.findroot(lambda t: 4 * t * (t ** 2 - 1) + mpmath.mpf(1) / 10, s) for s in (1, -1, 0)]
        points = [[Fraction(mpmath.nstr(r, 45)), Fraction(0)] for r in roots]
    return system, Polynomial.from_sympy(loss, (x, y)), points


def test_interval_proof_of_a_non_global_minimum_and_its_failures():
    from algeo.checks.proof import prove_non_global_minimum

    system, loss, (high, low, middle) = _double_well()
    assert prove_non_global_minimum(system, loss, high, low)["proven"]
    wrong_way = prove_non_global_minimum(system, loss, low, high)  # the global minimum is not non-global
    assert not wrong_way["proven"] and "loss" in wrong_way["step"]
    saddle = prove_non_global_minimum(system, loss, middle, low)  # a critical point that is not a minimum
    assert not saddle["proven"] and "Hessian" in saddle["step"]
    moved = [high[0] + Fraction(1, 10 ** 10), high[1]]  # not within the box of a critical point
    assert "Krawczyk" in prove_non_global_minimum(system, loss, moved, low)["step"]


@pytest.mark.phc
def test_regularized_spurious_minima_search_reports_evidence():
    report = run_check("regularized-spurious-minima", "1,2,1", samples=1, seed=1)
    (instance,) = report.instances
    # an existence search never FAILs; without a certificate it cannot PASS either
    assert instance.verdict is Verdict.UNDECIDED
    assert "no non-global local minimum" in instance.summary or "not certified" in instance.summary
    assert instance.evidence["local_minima"] >= 1


@pytest.mark.phc
def test_regularized_spurious_minimum_is_found_and_proven():
    # widths 2,1,1,2 (H = 3), m = 2, seed 1: 5 local minima; the non-global one is the origin, where the
    # Hessian is diag(Lambda) (the fit term is cubic in the weights) -- proven by intervals, not assumed
    report = run_check("regularized-spurious-minima", "2,1,1,2", samples=2, seed=1)
    assert report.verdict is Verdict.PASS, report.summary()
    evidence = report.instances[0].evidence
    assert evidence["proof"]["proven"] and evidence["certified"]
    assert evidence["loss_difference"] > 0.1
