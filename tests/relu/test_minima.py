"""What is proven about ReLU local minima, with and without Lambda (algeo.relu.minima)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import pytest

from algeo.relu.instance import ReluArchitecture, ReluData, load_relu_data
from algeo.relu.minima import UnregularizedStatus, assess_minima, region_least_squares
from algeo.relu.system import generic_lambda, relu_loss

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "relu_spurious_data.json"
ONE = ReluArchitecture(1, 1, 1, bias=True)
TWO = ReluArchitecture(1, 2, 1, bias=True)

#: the two interior critical points of widths 1,2,1 on the example data (seed-0 Lambda), 25 digits:
#: the "V" fit and its neuron-swapped copy, regularized losses 0.0129665 (global) and 0.0129750
V_FIT = {21: ((1, 1, 0, 0), (0, 0, 1, 1)), 42: ((0, 0, 1, 1), (1, 1, 0, 0))}
V_POINTS = {
    21: ("-0.9431551089910839216179518", "0.0251711711906577636935916", "0.6870909900310383925004532",
         "0.03741136148923263352162273", "1.041736192216033354562526", "0.7022155194047489852434055"),
    42: ("0.6609519043756045076896262", "0.03591745117283095745802139", "-0.9804719325405120448274119",
         "0.02621818363377657814519098", "0.7300367927838244000182685", "1.002053412161756819386651"),
}


def _point(index, coordinates, loss):
    exact = [Fraction(c) for c in coordinates]
    return SimpleNamespace(index=index, loss=loss, exact_real_coordinates=lambda: list(exact))


@pytest.mark.parametrize("pattern, value", [((1, 1, 1, 1), Fraction(9, 32)), ((1, 1, 1, 0), Fraction(65, 112)),
                                            ((1, 1, 0, 0), Fraction(5, 8)), ((0, 0, 1, 1), Fraction(5, 2))])
def test_region_least_squares_fits_of_the_one_neuron_example(pattern, value):
    data = load_relu_data(DATA, ONE, targets=True)
    w = [Fraction(-1, 2), Fraction(1, 10)] if pattern[0] else [Fraction(1, 2), Fraction(-1, 10)]
    fit = region_least_squares(ONE, data, (pattern,), [*w, Fraction(1)])
    assert fit.status is UnregularizedStatus.LEAST_FOUND and fit.is_local_minimum
    assert fit.least_squares_value == value  # 0.28125, 0.580357..., 0.625, 2.5 exactly
    # the realization: strictly inside the region, with unregularized loss exactly the least-squares value
    pre = [fit.realization[0] * x + fit.realization[1] for x in data.X[0]]
    assert all((p > 0) == bool(a) and p != 0 for p, a in zip(pre, pattern))
    assert relu_loss(ONE, data, fit.realization, [0, 0, 0]) == value
    assert not fit.proven_global


def test_a_fit_outside_its_region_is_not_called_a_minimum():
    data = ReluData(((Fraction(-2), Fraction(-1), Fraction(1), Fraction(2)),),
                    ((Fraction(-2), Fraction(-1), Fraction(1), Fraction(2)),), "test")  # y = x crosses 0
    fit = region_least_squares(ONE, data, ((1, 1, 1, 1),), [Fraction(1, 10), Fraction(1), Fraction(1)])
    assert fit.least_squares_value == 0 and fit.status is UnregularizedStatus.NOT_REALIZED
    assert not fit.is_local_minimum and "sign" in fit.reason


def test_two_outputs_are_undecided():
    architecture = ReluArchitecture(1, 1, 2, bias=True)
    data = ReluData(((Fraction(1), Fraction(2)),), ((Fraction(1), Fraction(0)), (Fraction(0), Fraction(1))), "test")
    fit = region_least_squares(architecture, data, ((1, 1),), [Fraction(1), Fraction(1), Fraction(1), Fraction(1)])
    assert fit.status is UnregularizedStatus.UNDECIDED and not fit.is_local_minimum


def test_neuron_swapped_copy_is_non_global_only_through_lambda():
    data = load_relu_data(DATA, TWO, targets=True)
    Lambda = generic_lambda(TWO, seed=0, scale=Fraction(1, 100))
    candidates = [(21, V_FIT[21], _point(0, V_POINTS[21], 0.01296654788145902), True),
                  (42, V_FIT[42], _point(0, V_POINTS[42], 0.012975012632101688), False)]
    best, copy = assess_minima(TWO, data, Lambda, candidates)
    assert best.certificate.is_local_minimum and copy.certificate.is_spurious_local_minimum  # proven, for L_Lambda
    for minimum in (best, copy):  # both regions fit the data exactly: L_0 = 0, a proven global minimum of L_0
        assert minimum.unregularized.least_squares_value == 0 and minimum.unregularized.proven_global
        assert minimum.unregularized.is_local_minimum
    assert copy.only_through_regularization is True and copy.neuron_permutation_of == 21
    assert best.only_through_regularization is None  # the global one is not flagged
    assert "only through the asymmetric Lambda" in copy.describe()


def test_genuine_unregularized_spurious_minimum_is_not_flagged():
    data = load_relu_data(DATA, ONE, targets=True)
    Lambda = generic_lambda(ONE, seed=0, scale=Fraction(1, 100))
    candidates = [(0, ((1, 1, 1, 1),), _point(0, ("-0.4883967766", "2.205932787", "0.5099858199"), 0.283582), True),
                  (2, ((1, 1, 0, 0),), _point(0, ("-0.972087", "0.027622", "1.009589"), 0.634209), False)]
    best, other = assess_minima(ONE, data, Lambda, candidates)
    assert best.unregularized.status is UnregularizedStatus.LEAST_FOUND
    assert other.unregularized.status is UnregularizedStatus.SPURIOUS and other.unregularized.lower_region == 0
    assert other.unregularized.lower_value == Fraction(9, 32) < other.unregularized.least_squares_value == Fraction(5, 8)
    assert other.only_through_regularization is False and other.neuron_permutation_of is None
    # six-digit coordinates are too rough for the exact certificate: reported as not proven, never as proven
    assert not other.certificate.is_local_minimum


@pytest.mark.phc
def test_solver_reports_what_is_proven_for_every_minimum():
    from algeo.relu.solve import solve_relu

    result = solve_relu(ONE, data=str(DATA), seed=0)
    assert result.counts["unregularized_spurious_minima"] == 3 and result.counts["proven_spurious_local_minima"] == 3
    values = {m.pattern: m.unregularized.least_squares_value for m in result.minima}
    assert values == {((1, 1, 1, 1),): Fraction(9, 32), ((1, 1, 1, 0),): Fraction(65, 112),
                      ((1, 1, 0, 0),): Fraction(5, 8), ((0, 0, 1, 1),): Fraction(5, 2)}
    assert all(m.only_through_regularization is False for m in result.minima if not m.is_global)
    content = result.to_json()
    assert len(content["minima"]) == 4 and {m["unregularized"]["status"] for m in content["minima"]} == {
        "least_found", "spurious"}
    two = solve_relu(TWO, data=str(DATA), seed=0, region_indices=[21, 42])  # the two "V" regions only
    assert two.counts["spurious_only_through_regularization"] == 1 and two.counts["unregularized_spurious_minima"] == 0
    assert "non-global only through the asymmetric Lambda" in two.summary()
