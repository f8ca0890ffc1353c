"""Theorem checks: every theorem runs on an instance; deliberately wrong claims FAIL."""

import json
import subprocess
from fractions import Fraction

import pytest

from algeo.model.architecture import Architecture
from algeo.checks import run_check
from algeo.checks.instances import make_instances
from algeo.checks.report import Verdict, overall_verdict
from algeo.checks.proof import exact_ldl_pivots
from algeo.checks.strata import eckart_young_points, sigma_spectrum
from algeo.checks import unregularized
from algeo.exceptions import InputError


def test_overall_verdict_rules():
    assert overall_verdict([Verdict.PASS, Verdict.PASS]) is Verdict.PASS
    assert overall_verdict([Verdict.PASS, Verdict.UNDECIDED]) is Verdict.UNDECIDED
    assert overall_verdict([Verdict.PASS, Verdict.FAIL]) is Verdict.FAIL
    assert overall_verdict([Verdict.UNDECIDED, Verdict.PASS], existence=True) is Verdict.PASS
    assert overall_verdict([Verdict.UNDECIDED], existence=True) is Verdict.UNDECIDED
    assert overall_verdict([]) is Verdict.UNDECIDED


def test_exact_ldl_pivots_decide_definiteness():
    F = Fraction
    assert all(p > 0 for p in exact_ldl_pivots([[F(2), F(1)], [F(1), F(2)]]))
    assert not all(p > 0 for p in exact_ldl_pivots([[F(1), F(2)], [F(2), F(1)]]))


def test_sigma_spectrum_is_exact_and_matches_the_svd():
    import mpmath

    instance = make_instances("2,1,2", samples=3, instances=1, seed=2, data=None)[0]
    spectrum = sigma_spectrum(instance.dataset, 2)
    assert spectrum.generic and len(spectrum.eigenvalues) == 2
    points = eckart_young_points(instance.dataset, 2, 50)  # I = {1, 2}: W = W* (least squares)
    with mpmath.workdps(50):
        (W,) = points.values()
        X = mpmath.matrix([[mpmath.mpf(v.numerator) / v.denominator for v in row] for row in instance.dataset.X])
        Y = mpmath.matrix([[mpmath.mpf(v.numerator) / v.denominator for v in row] for row in instance.dataset.Y])
        residual = W * X - Y
        loss = sum(residual[i, j] ** 2 for i in range(residual.rows) for j in range(residual.cols)) / 2
        formula = mpmath.mpf(str(((spectrum.trace_YYt - spectrum.eigenvalues[0] - spectrum.eigenvalues[1]) / 2)
                                 .evalf(60)))
        assert abs(loss - formula) < mpmath.mpf(10) ** -40


def test_unknown_theorem_claim_and_bad_hypotheses_are_input_errors():
    with pytest.raises(InputError, match="theorem"):
        run_check("riemann", "1,1,1", samples=1)
    with pytest.raises(InputError, match="claim"):
        run_check("bh-bounds", "1,1,1", samples=1, claim={"nonsense": 3})
    with pytest.raises(InputError, match="samples"):
        run_check("bh-bounds", "1,1,1", samples=2)
    with pytest.raises(InputError, match="widths"):
        run_check("bh-bounds", "1,1,1,1", samples=1)


def test_eckart_young_hypothesis_failure_is_undecided_not_pass():
    report = run_check("ed-degree", "2,1,2", samples=1, seed=1)  # XX^T is 2x2 of rank 1
    assert report.verdict is Verdict.UNDECIDED
    assert "XX^T is singular" in report.instances[0].summary


@pytest.mark.phc
def test_bh_bounds_pass_and_wrong_claim_fails():
    report = run_check("bh-bounds", "1,2,1", samples=1, seed=1)
    assert report.verdict is Verdict.PASS, report.summary()
    evidence = report.instances[0].evidence
    assert evidence["N_C"] == 9 and evidence["one_nonzero_row_of_W1"] == 8 == 4 * 1 * 2
    wrong = run_check("bh-bounds", "1,2,1", samples=1, seed=1, claim={"one_nonzero_row": 7})
    assert wrong.verdict is Verdict.FAIL and wrong.failed


@pytest.mark.phc
def test_ed_degree_pass_and_wrong_count_fails():
    report = run_check("ed-degree", "2,1,2", samples=2, seed=3)
    assert report.verdict is Verdict.PASS, report.summary()
    (stratum,) = report.instances[0].evidence["strata"]
    assert stratum["rank_e_solutions"] == stratum["real"] == 2
    wrong = run_check("ed-degree", "2,1,2", samples=2, seed=3, claim={"rank_1": 3})
    assert wrong.verdict is Verdict.FAIL


@pytest.mark.phc
def test_regularized_spurious_minima_search_reports_evidence():
    report = run_check("regularized-spurious-minima", "1,2,1", samples=1, seed=1)
    (instance,) = report.instances
    # an existence search never FAILs; without a certificate it cannot PASS either
    assert instance.verdict is Verdict.UNDECIDED
    assert "no non-global local minimum" in instance.summary or "not certified" in instance.summary
    assert instance.evidence["local_minima"] >= 1


@pytest.mark.phc
def test_check_command_exits_one_on_fail_and_writes_json(tmp_path, algeo_command):
    out = tmp_path / "report.json"
    run = subprocess.run([*algeo_command, "check", "bh-bounds", "--widths", "1,1,1", "--samples", "1", "--seed", "2",
                          "--claim", "complex_bound=4", "--json", str(out)], capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    report = json.loads(out.read_text())
    assert report["algeo_result"] == "check" and report["verdict"] == "FAIL"
    assert report["instances"][0]["evidence"]["N_C"] == 5 and report["provenance"]["claim"] == {"complex_bound": 4}


@pytest.mark.phc
def test_unregularized_theorems_run_on_the_unregularized_solver():
    report = run_check("pure-spurious", "2,1,2", samples=2, seed=1)  # regularization none is the default here
    assert report.verdict is Verdict.PASS, report.summary()
    evidence = report.instances[0].evidence
    assert evidence["products"] == 3 and evidence["pure"] == 2 and evidence["critical_on_stratum_per_point"]["no"] == 0
    assert run_check("no-spurious-minima", "2,1,2", samples=2, seed=1).verdict is Verdict.PASS
    wrong = run_check("pure-spurious", "2,1,2", samples=2, seed=1, claim={"products": 4})
    assert wrong.verdict is Verdict.FAIL


def test_unregularized_theorems_refuse_regularized_instances():
    with pytest.raises(InputError, match="regularization"):
        run_check("pure-spurious", "2,1,2", samples=2, seed=1, regularization="generic")


def _products_instance():
    return make_instances("2,1,2", samples=2, instances=1, seed=1, data=None, regularization="none")[0]


def test_pure_spurious_decision_on_given_products():
    instance = _products_instance()  # q = 2, r = 1, non-filling: 1 + 2 products, C(2,1) = 2 pure
    products = [{"rank": 0, "purity": "spurious"}, {"rank": 1, "purity": "pure"}, {"rank": 1, "purity": "pure"}]
    verdict, _, _ = unregularized._pure_spurious(instance, {"products": products}, {})
    assert verdict is Verdict.PASS
    verdict, _, evidence = unregularized._pure_spurious(instance, {"products": products}, {"pure": 1})
    assert verdict is Verdict.FAIL
    products[1]["purity"] = "spurious"  # a rank-r product that is not pure contradicts REFERENCE.md section 4
    verdict, _, evidence = unregularized._pure_spurious(instance, {"products": products}, {})
    assert verdict is Verdict.FAIL and evidence["rank_r_not_pure"] == [1]


def test_no_spurious_minima_decision_on_given_products():
    instance = _products_instance()
    products = [{"is_local_minimum_on_M_r": True, "is_global": True}, {"local_minimum": False, "stratum_index": 1},
                {"local_minimum": False, "purity": "spurious"}]
    assert unregularized._no_spurious_minima(instance, {"products": products}, {})[0] is Verdict.PASS
    products[1] = {"is_local_minimum_on_M_r": True, "is_global": False}
    assert unregularized._no_spurious_minima(instance, {"products": products}, {})[0] is Verdict.FAIL
    products[1] = {"global": False}  # no index information: undecided, never PASS
    assert unregularized._no_spurious_minima(instance, {"products": products}, {})[0] is Verdict.UNDECIDED


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


def test_user_data_file_is_one_instance(tmp_path):
    path = tmp_path / "instance.json"
    path.write_text('{"X": [["1/3"], ["2/5"]], "Y": [["-2/7"], ["1"]]}')
    report = run_check("critical-values", "2,1,2", data=path)
    (instance,) = report.instances
    assert instance.label == "file instance.json" and instance.seed is None
    assert instance.verdict is Verdict.UNDECIDED and "XX^T is singular" in instance.summary  # one sample, d_0 = 2
    with pytest.raises(InputError, match="instances"):
        run_check("critical-values", "2,1,2", data=path, instances=2)


@pytest.mark.phc
def test_regularized_spurious_minimum_is_found_and_proven():
    # widths 2,1,1,2 (H = 3), m = 2, seed 1: 5 local minima; the non-global one is the origin, where the
    # Hessian is diag(Lambda) (the fit term is cubic in the weights) -- proven by intervals, not assumed
    report = run_check("regularized-spurious-minima", "2,1,1,2", samples=2, seed=1)
    assert report.verdict is Verdict.PASS, report.summary()
    evidence = report.instances[0].evidence
    assert evidence["proof"]["proven"] and evidence["certified"]
    assert evidence["loss_difference"] > 0.1
