"""``critical-values``: every stratum is its own evidence; the full count C(q,e) is required.

The decision is tested on hand-made stratum solutions (no PHCpack): the points' values are the
exact formula values or deliberately not, and the cases that used to PASS on the ``e = 0`` row
alone (only non-real or lower-rank points found) must now be UNDECIDED.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import mpmath
import pytest

from algeo.checks import critical_values, run_check
from algeo.checks.instances import make_instances
from algeo.checks.report import Verdict
from algeo.checks.strata import StratumPoint, StratumSolution, formula_value, sigma_spectrum

DIGITS = 50


@pytest.fixture(scope="module")
def instance():
    return make_instances("2,1,2", samples=3, instances=1, seed=2, data=None)[0]  # q = 2, r = 1


@pytest.fixture(scope="module")
def spectrum(instance):
    return sigma_spectrum(instance.dataset, 2)


def _value(spectrum, subset, shift=0):
    with mpmath.workdps(DIGITS + 10):
        return mpmath.mpc(mpmath.mpf(str(formula_value(spectrum, subset).evalf(DIGITS + 10))) + shift)


def _point(loss, *, rank=1, real=True):
    return StratumPoint(W=mpmath.matrix(2, 2), is_real=real, rank=rank, singular_values=(1.0, 0.0), residual=1e-50,
                        converged=True, loss=loss)


def _solution(points, e=1):
    return StratumSolution(rank=e, unknowns=3, points=tuple(points), paths=7, statuses={"failed": 0}, stable_mixed_volume=7,
                           backend_ok=True, backend_detail="test", system=None, names=())


def _decide(spectrum, points, *, exact_count="found", offset=0):
    solution = _solution(points)
    count = len(points) if exact_count == "found" else exact_count
    return critical_values.stratum_decision(spectrum, solution, 2, offset=offset, digits=DIGITS, exact_count=count)


def test_both_values_found_exactly_once_pass(spectrum):
    verdict, evidence = _decide(spectrum, [_point(_value(spectrum, (0,))), _point(_value(spectrum, (1,)))])
    assert verdict is Verdict.PASS, evidence
    assert evidence["subsets_matched"] == [[1], [2]] and evidence["points_compared"] == 2


def test_only_non_real_or_lower_rank_points_are_undecided_not_pass(spectrum):
    non_real = [_point(_value(spectrum, (0,)), real=False), _point(_value(spectrum, (1,)), real=False)]
    verdict, evidence = _decide(spectrum, non_real)
    assert verdict is Verdict.UNDECIDED and evidence["points_compared"] == 0
    lower = [_point(_value(spectrum, ()), rank=0)]
    verdict, evidence = _decide(spectrum, lower)
    assert verdict is Verdict.UNDECIDED and evidence["lower_rank_solutions"] == 1


def test_a_missing_value_a_repeated_subset_or_an_incomplete_set_is_undecided(spectrum):
    one = _point(_value(spectrum, (0,)))
    assert _decide(spectrum, [one])[0] is Verdict.UNDECIDED  # 1 of C(2,1) = 2
    verdict, evidence = _decide(spectrum, [one, replace(one)])  # two points, one S
    assert verdict is Verdict.UNDECIDED and "share an S" in " ".join(evidence["undecided_because"])
    both = [one, _point(_value(spectrum, (1,)))]
    verdict, evidence = _decide(spectrum, both, exact_count=3)  # Singular counts a solution not found
    assert verdict is Verdict.UNDECIDED and not evidence["complete"]
    assert _decide(spectrum, [*both[:1], _point(_value(spectrum, (1,)), rank=None)])[0] is Verdict.UNDECIDED


def test_a_value_off_the_formula_fails_whatever_else(spectrum):
    wrong = _point(_value(spectrum, (1,), shift=mpmath.mpf("1e-3")))
    verdict, evidence = _decide(spectrum, [_point(_value(spectrum, (0,))), wrong])
    assert verdict is Verdict.FAIL and evidence["comparisons"][1]["verdict"] == "FAIL"
    assert _decide(spectrum, [wrong], exact_count=5)[0] is Verdict.FAIL  # incomplete, yet a counterexample
    near = _point(_value(spectrum, (1,), shift=mpmath.mpf("1e-20")))  # between the tolerances
    assert _decide(spectrum, [_point(_value(spectrum, (0,))), near])[0] is Verdict.UNDECIDED


def test_wrong_offset_fails_every_row(spectrum):
    points = [_point(_value(spectrum, (0,))), _point(_value(spectrum, (1,)))]
    assert _decide(spectrum, points, offset=Fraction(1, 1000))[0] is Verdict.FAIL


def test_zero_stratum_evaluates_the_loss_from_the_samples(instance, spectrum):
    assert critical_values.loss_at_zero(instance.dataset) == sum(y * y for row in instance.dataset.Y for y in row) / 2
    assert critical_values.zero_stratum(instance.dataset, spectrum, 0)[0] is Verdict.PASS
    assert critical_values.zero_stratum(instance.dataset, spectrum, Fraction(1, 10 ** 30))[0] is Verdict.FAIL
    other = replace(instance.dataset, Y=tuple(tuple(y + 1 for y in row) for row in instance.dataset.Y))
    assert critical_values.zero_stratum(other, spectrum, 0)[0] is Verdict.FAIL  # the loss, not the formula's trace


def test_check_is_not_passed_by_the_zero_row_alone(monkeypatch):
    """The old check PASSed when the stratum solve gave only non-real points; now UNDECIDED."""
    def fake_solve(dataset, e, **_):
        spectrum = sigma_spectrum(dataset, 2)
        return _solution([_point(_value(spectrum, (0,)), real=False), _point(_value(spectrum, (1,)), real=False)], e)

    monkeypatch.setattr(critical_values, "solve_stratum", fake_solve)
    monkeypatch.setattr(critical_values, "singular_available", lambda: False)
    report = run_check("critical-values", "2,1,2", samples=3, seed=2)
    assert report.verdict is Verdict.UNDECIDED, report.summary()
    strata = report.instances[0].evidence["strata"]
    assert [s["verdict"] for s in strata] == ["PASS", "UNDECIDED"]


@pytest.mark.phc
def test_critical_values_pass_and_wrong_offset_fails():
    report = run_check("critical-values", "2,1,2", samples=3, seed=2)
    assert report.verdict is Verdict.PASS, report.summary()
    strata = report.instances[0].evidence["strata"]
    assert strata[0]["comparisons"][0]["comparison"].startswith("exact (rationals)")
    assert strata[1]["subsets_matched"] == [[1], [2]] and strata[1]["complete"]
    for offset in ("1/1000", "-1/1000"):
        wrong = run_check("critical-values", "2,1,2", samples=3, seed=2, claim={"offset": offset})
        assert wrong.verdict is Verdict.FAIL
        assert all(s["verdict"] == "FAIL" for s in wrong.instances[0].evidence["strata"])
