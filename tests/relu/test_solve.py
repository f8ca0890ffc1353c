"""Differentiable critical points of ReLU networks, region by region, and the local-minimum proof."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from algeo.phc import parse_blackbox_output
from algeo.relu.certify import RationalInterval, certify_local_minimum, positive_definite
from algeo.relu.instance import ReluArchitecture, load_relu_data, random_relu_data
from algeo.relu.system import build_region_system, generic_lambda, relu_loss

ROOT = Path(__file__).resolve().parents[2]
ALGEO = [sys.executable, "-m", "algeo.cli"]
needs_phc = pytest.mark.skipif(shutil.which("phc") is None, reason="PHCpack's phc is not installed")


def _example():
    spec = importlib.util.spec_from_file_location("relu_example", ROOT / "examples" / "relu_spurious_minimum.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_region_loss_is_the_relu_loss_inside_the_region_and_gradient_is_exact():
    architecture = ReluArchitecture(2, 2, 1, bias=True)
    data = random_relu_data(architecture, 3, seed=4, targets=True)
    Lambda = generic_lambda(architecture, seed=4, scale=Fraction(1, 100))
    theta = [Fraction(k, 7) for k in (3, -2, 1, -5, 4, 2, 3, -1)]
    points = data.augmented_inputs(True)
    pattern = tuple(tuple(int(sum(a * b for a, b in zip(x, theta[3 * i:3 * i + 3])) > 0) for x in points)
                    for i in range(2))
    system = build_region_system(architecture, data, pattern, Lambda)
    values = dict(zip(system.variables, [sympy.Rational(t.numerator, t.denominator) for t in theta]))
    assert system.loss.subs(values) == sympy.Rational(*relu_loss(architecture, data, theta, Lambda).as_integer_ratio())
    for variable, equation in zip(system.variables, system.equations):
        assert sympy.expand(sympy.diff(system.loss, variable) - equation) == 0


def test_positive_definiteness_and_interval_arithmetic_are_exact():
    assert positive_definite([[Fraction(1), Fraction(0)], [Fraction(0), Fraction(1, 10**30)]])
    assert not positive_definite([[Fraction(1), Fraction(1)], [Fraction(1), Fraction(1)]])
    box = RationalInterval(Fraction(-1), Fraction(2))
    product = box * box - 1
    assert (product.low, product.high) == (Fraction(-3), Fraction(3))


def test_certificate_refuses_a_point_that_is_not_a_minimum_inside_its_region():
    architecture = ReluArchitecture(1, 1, 1, bias=True)
    data = load_relu_data(ROOT / "examples" / "relu_spurious_data.json", architecture, targets=True)
    Lambda = generic_lambda(architecture, seed=0, scale=Fraction(1, 100))
    origin = certify_local_minimum(architecture, data, ((1, 1, 1, 1),), Lambda, [0, 0, 0])
    assert not origin.inside_region and not origin.is_local_minimum
    arbitrary = certify_local_minimum(architecture, data, ((1, 1, 1, 1),), Lambda, [Fraction(-1, 2), 3, 1])
    assert arbitrary.inside_region and not arbitrary.gradient_small and not arbitrary.is_local_minimum


def test_parser_reads_solutions_that_phc_deflated():
    block = ("THE SOLUTIONS :\n1 2\n===========================================================================\n"
             "solution 1 :    start residual :  1.623E-15   #deflations : 1   success\n"
             "t :  1.00000000000000E+00   0.00000000000000E+00\nm : 1\nthe solution for t :\n"
             " x :  1.0E+00   0.0E+00\n y : -2.0E+00   0.0E+00\n"
             "== err :  1.568E-13 = rco :  8.231E-09 = res :  1.399E-15 = real singular ==\n")
    parsed = parse_blackbox_output(block, ["x", "y"])
    assert parsed.declared_paths == 1 and len(parsed.paths) == 1
    assert parsed.paths[0].coordinates == (1 + 0j, -2 + 0j) and parsed.paths[0].label == "real singular"


@needs_phc
@pytest.mark.phc
def test_solver_finds_a_proven_spurious_local_minimum():
    outcome = _example().run()
    result = outcome["result"]
    assert result.ok
    counts = result.counts
    assert counts["regions"] == 8 and counts["regions_solved"] == 8
    assert counts["spurious_local_minima"] == 3 and counts["global_minima"] == 1
    assert counts["critical_points"] == counts["inside"]
    assert counts["certified_local_minima"] == 4 and counts["proven_spurious_local_minima"] == 3
    spurious = [m for m in outcome["minima"] if not m.is_global]
    assert len(spurious) == 3
    for minimum in spurious:
        certificate = minimum.certificate
        assert certificate.is_local_minimum and certificate.is_not_global and certificate.is_spurious_local_minimum
        # re-check the claims independently: the box is inside the region, the lower point is lower
        assert certificate.sign_margin_lower_bound > 0
        assert certificate.lower_point_loss < certificate.loss_lower
    right_branch = [m for m in spurious if m.pattern == ((0, 0, 1, 1),)]
    assert right_branch and right_branch[0].loss > 2  # fits x = 1, 2 only
    yun = outcome["yun"]
    assert yun.is_local_minimum and yun.is_not_global and yun.loss == Fraction(9, 32)


def test_yun_construction_exactly_on_random_data():
    from algeo.relu.yun import linear_fit_local_minimum

    for d0, d1, seed in [(1, 2, 0), (2, 3, 1), (3, 2, 2)]:
        architecture = ReluArchitecture(d0, d1, 1, bias=True)
        data = random_relu_data(architecture, 6, seed=seed, targets=True)
        found = linear_fit_local_minimum(architecture, data, lower_point=[Fraction(0)] * architecture.n_parameters)
        assert found.is_local_minimum
        # the zero network has loss sum y^2 / 2, above the least-squares loss
        assert found.loss < relu_loss(architecture, data, [Fraction(0)] * architecture.n_parameters,
                                      [Fraction(0)] * architecture.n_parameters)
        assert not found.is_not_global  # the zero network does not beat the fit: no false "not global"
    with pytest.raises(Exception, match="widths"):
        linear_fit_local_minimum(ReluArchitecture(1, 1, 1, bias=True), data)


@needs_phc
@pytest.mark.phc
def test_cli_solve_json_and_bad_input(tmp_path):
    out = tmp_path / "s.json"
    done = subprocess.run([*ALGEO, "relu", "solve", "--widths", "1,1,1", "--bias", "--data",
                           str(ROOT / "examples" / "relu_spurious_data.json"), "--json", str(out), "-q"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    import json

    content = json.loads(out.read_text())
    for key in ("regions_solved", "critical_points", "local_minima", "global_minima", "spurious_local_minima"):
        assert key in content["counts"]
    assert {p["placement"] for p in content["points"]} <= {"inside", "boundary", "outside"}
    bad = subprocess.run([*ALGEO, "relu", "solve", "--widths", "1,1", "--samples", "2"], capture_output=True,
                         text=True)
    assert bad.returncode == 2 and "widths" in bad.stderr
    none = subprocess.run([*ALGEO, "relu", "solve", "--widths", "1,1,1", "--samples", "2", "--regularization",
                           "none"], capture_output=True, text=True)
    assert none.returncode == 2 and "scaling" in none.stderr


@pytest.mark.phc
def test_relu_solve_result_round_trips_through_json():
    import json

    from algeo.relu.solve import ReluSolveResult, solve_relu

    result = solve_relu(ReluArchitecture(1, 2, 1, bias=False), samples=3, seed=1)  # 5 real points, about 1 s
    assert result.points
    assert ReluSolveResult.from_json(json.loads(json.dumps(result.to_json()))) == result
