"""Result objects: refined values kept as numbers, exact rationals from them, text only for JSON."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest

import algeo
from algeo.exceptions import InputError
from algeo.results.solve_result import CriticalPoint, PathStatus, SolveResult, decimal_text, to_fraction
from algeo.results.unregularized import UnregularizedSolveResult


def test_to_fraction_is_the_exact_binary_value():
    assert to_fraction(mpmath.mpf("0.375")) == Fraction(3, 8)
    assert to_fraction(mpmath.mpf(-3)) == -3
    assert to_fraction(mpmath.mpf(0)) == 0
    with mpmath.workdps(50):
        third = mpmath.mpf(1) / 3
        exact = to_fraction(third)
        assert exact != Fraction(1, 3) and abs(exact - Fraction(1, 3)) < Fraction(1, 10 ** 49)
    with pytest.raises(ValueError):
        to_fraction(mpmath.inf)


def _point(refined, digits=30):
    return CriticalPoint(index=0, coordinates=tuple(complex(z) for z in refined), refined=tuple(refined),
                         digits=digits, is_real=True, has_zero_coordinate=False, residual=0.0, newton_step=0.0,
                         converged=True, condition=1.0, singular=False, paths=(0,), max_imaginary=0.0)


def test_point_text_is_made_from_the_refined_values():
    with mpmath.workdps(40):
        root = mpmath.sqrt(2)
        point = _point([mpmath.mpc(root, 0), mpmath.mpc(0, 0)])
    assert point.coordinates_text[0][0].startswith("1.4142135623730950488016887242")
    assert point.coordinates_text[1] == ("0", "0")
    assert point.to_json()["coordinates_text"][0][1] == "0"
    assert point.exact_real_coordinates()[1] == 0
    assert abs(point.exact_real_coordinates()[0] ** 2 - 2) < Fraction(1, 10 ** 28)


def test_decimal_text_zero_and_digits():
    assert decimal_text(mpmath.mpf(0), 20) == "0"
    assert decimal_text(mpmath.mpf("0.5"), 5) == "0.50000"


GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "result_1_2_1_seed1.json"


def _through_json(result):
    """What a reader of the file gets: the JSON text parsed again (tuples become lists)."""
    return json.loads(json.dumps(result.to_json(), allow_nan=False))


def test_golden_result_loads_and_round_trips():
    data = json.loads(GOLDEN.read_text())
    result = SolveResult.from_json(data)
    assert result.counts.complex == 9 and result.counts.index == {0: 2, 1: 1}
    assert result.paths[9].status is PathStatus.AT_INFINITY and result.paths[0].point == 0
    written = result.to_json()["points"]
    assert [p["coordinates_text"] for p in written] == [p["coordinates_text"] for p in data["points"]]
    assert [p.get("loss_text") for p in written] == [p.get("loss_text") for p in data["points"]]
    again = SolveResult.from_json(_through_json(result))
    assert again == result
    assert [p.coordinates_text for p in again.points] == [p.coordinates_text for p in result.points]
    with mpmath.workdps(45):  # the text's 40 digits, read with guard digits
        assert again.points[2].refined[0].real == mpmath.mpf("0.2061676806960265866388904648953693554514")


def test_from_json_refuses_another_kind():
    with pytest.raises(InputError, match="algeo_result"):
        SolveResult.from_json({"algeo_result": "check"})
    with pytest.raises(InputError, match="algeo_result"):
        SolveResult.from_json([1, 2])


@pytest.mark.phc
def test_certified_solve_round_trips_through_json():
    result = algeo.solve("1,2,1", samples=1, seed=1, options=algeo.SolveOptions(certify=True, start_set="none"))
    assert all(p.certificate is not None for p in result.points)
    again = SolveResult.from_json(_through_json(result))
    assert again == result
    assert again.points[0].certificate.box == result.points[0].certificate.box  # exact rational centre and radius


@pytest.mark.phc
def test_unregularized_solve_round_trips_through_json():
    result = algeo.solve("2,1,2", samples=2, seed=1, regularization="none")
    assert isinstance(result, UnregularizedSolveResult) and result.products
    again = UnregularizedSolveResult.from_json(_through_json(result))
    assert again == result
    assert algeo.result_from_json(_through_json(result)) == result
