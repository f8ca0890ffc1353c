"""End-to-end: PHCpack's blackbox (``start_set="none"``) reproduces the published generic counts (REFERENCE.md section 2)."""

import pytest

import algeo
from algeo.verify.known_counts import PUBLISHED_M1
from algeo.results.solve_result import PathStatus

pytestmark = pytest.mark.phc

BLACKBOX = algeo.SolveOptions(start_set="none")

SMALL_ROWS = sorted(w for w, row in PUBLISHED_M1.items() if row["BKK"] <= 129)
MEDIUM_ROWS = sorted(w for w, row in PUBLISHED_M1.items() if 129 < row["BKK"] <= 300)


def assert_matches_published(result, widths):
    row = PUBLISHED_M1[widths]
    assert result.bounds.total_degree == row["CBB"]
    assert result.bounds.stable_mixed_volume == row["BKK"]
    assert (result.counts.complex, result.counts.nonzero) == (row["N_C"], row["N_C*"])
    assert result.counts.paths == row["BKK"]
    assert result.counts.regular + result.counts.singular + result.counts.at_infinity == result.counts.paths
    assert result.ok, result.problems


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("widths", SMALL_ROWS, ids=lambda w: ",".join(map(str, w)))
def test_small_published_rows(widths, seed):
    assert_matches_published(algeo.solve(list(widths), samples=1, seed=seed, options=BLACKBOX), widths)


@pytest.mark.parametrize("widths", MEDIUM_ROWS, ids=lambda w: ",".join(map(str, w)))
def test_medium_published_rows(widths):
    assert_matches_published(algeo.solve(list(widths), samples=1, seed=4, options=BLACKBOX), widths)


@pytest.fixture(scope="module")
def result_222():
    return algeo.solve("2,2,2", samples=1, seed=5, options=BLACKBOX)


def test_published_row_2_2_2(result_222):
    assert_matches_published(result_222, (2, 2, 2))
    assert result_222.bounds.mixed_volume == 1024


def test_points_are_classified_consistently(result_222):
    result = result_222
    real = result.real_points
    assert len(real) == result.counts.real >= 1
    assert sum(result.counts.index.values()) == len(real)
    least = min(p.loss for p in real)
    assert all(p.is_global == (abs(p.loss - least) <= 1e-12 * max(1, abs(least))) for p in real)
    assert any(p.is_global and p.is_local_minimum for p in real)
    for p in result.points:
        assert p.residual < 1e-30 and p.converged
        assert (p.max_imaginary <= 1e-12) == p.is_real
    # every path is accounted for and each finite path points at a critical point
    for path in result.paths:
        assert (path.point is not None) == (path.status in (PathStatus.REGULAR, PathStatus.SINGULAR))
    origin = [p for p in result.points if all(abs(z) == 0 for z in p.coordinates)]
    assert len(origin) == 1 and origin[0].is_real and origin[0].has_zero_coordinate


def test_result_json_has_the_promised_keys(result_222):
    data = result_222.to_json()
    assert set(data["counts"]) >= {"complex", "nonzero", "real", "paths", "regular", "singular", "at_infinity",
                                   "failed", "local_minima", "index"}
    assert set(data["bounds"]) == {"total_degree", "mixed_volume", "stable_mixed_volume"}
    point = next(p for p in data["points"] if p["real"])
    assert {"coordinates", "residual", "condition", "loss", "hessian_index", "global"} <= set(point)
    assert all(len(pair) == 2 for pair in point["coordinates"])
    provenance = data["provenance"]
    assert provenance["seed"] == 5 and provenance["widths"] == [2, 2, 2]
    assert "Lambda_l o W_l" in provenance["regularization"]["convention"]
    assert provenance["data"]["X"][0][0] == str(result_222_data_entry())
    assert provenance["versions"]["phcpack"].startswith("PHCv")
    assert provenance["backend"]["name"] == "phc" and provenance["backend"]["attempts"][0]["outcome"] == "ok"


def result_222_data_entry():
    return algeo.random_dataset(algeo.Architecture((2, 2, 2)), 1, seed=5).X[0][0]


def test_scalar_regularization_is_flagged_as_not_isolated():
    result = algeo.solve("1,1,1", samples=1, seed=2, regularization="1/10")
    assert any("scalar Lambda" in w for w in result.warnings)


def test_given_data_are_used_exactly(tmp_path):
    path = tmp_path / "instance.json"
    path.write_text('{"X": [["1/3"]], "Y": [["-2/7"]], "Lambda": [[["1/5"]], [["2/9"]]]}')
    result = algeo.solve("1,1,1", data=path, seed=0)
    assert result.provenance["data"]["X"] == [["1/3"]]
    assert result.provenance["regularization"]["Lambda"] == [[["1/5"]], [["2/9"]]]
    assert result.counts.complex == 5 and result.ok


def test_one_weight_matrix_is_a_linear_system():
    result = algeo.solve("2,3", samples=2, seed=1)
    assert result.ok and result.counts.paths == result.counts.complex == result.counts.real == 1
    assert result.provenance["method"]["name"] == "parameter_homotopy"   # a start set made by msolve on first use
    assert result.counts.extra["exact_complex"] == 1
    assert result.counts.local_minima == 1 and result.points[0].is_global
