import json
from fractions import Fraction

import pytest

from algeo.model.architecture import Architecture
from algeo.model.data import (
    RegularizationKind,
    degeneracy_warnings,
    exact_rank,
    generic_regularization,
    load_instance,
    parse_entry,
    parse_regularization,
    random_dataset,
)
from algeo.exceptions import InputError

ARCH = Architecture((2, 1, 2))


def write(tmp_path, content):
    path = tmp_path / "instance.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def test_entries_are_read_exactly():
    assert parse_entry("-3/7", "X") == Fraction(-3, 7)
    assert parse_entry("0.1", "X") == Fraction(1, 10)
    assert parse_entry(5, "X") == Fraction(5)


def test_json_decimals_are_exact(tmp_path):
    path = write(tmp_path, '{"X": [[0.1, 2]], "Y": [[1], [2]]}'.replace("[[0.1, 2]]", "[[0.1], [2]]"))
    dataset, regularization = load_instance(path, ARCH)
    assert dataset.X == ((Fraction(1, 10),), (Fraction(2),))
    assert regularization is None


def test_random_data_are_seeded_and_on_the_documented_grid():
    first, second = random_dataset(ARCH, 3, seed=11), random_dataset(ARCH, 3, seed=11)
    assert first == second
    assert random_dataset(ARCH, 3, seed=12).X != first.X
    for row in first.X + first.Y:
        for entry in row:
            assert abs(entry) <= 1 and (entry * 10**6).denominator == 1
    Lambda = generic_regularization(ARCH, seed=11).Lambda
    assert all(0 < entry <= 1 for matrix in Lambda for row in matrix for entry in row)


@pytest.mark.parametrize("content, field, fragment", [
    ({"X": [[1, 2]], "Y": [[1, 2], [3, 4]]}, "X", "shape 1x2, expected 2x?"),
    ({"X": [[1], [2]], "Y": [[1, 2], [3, 4]]}, "Y", "expected 2x1"),
    ({"X": [[1], ["a"]], "Y": [[1], [2]]}, "X[1]", "not a number"),
    ({"X": [[1], [None]], "Y": [[1], [2]]}, "X[1]", "not a number"),
    ({"X": [[1], [2]]}, "Y", "missing"),
    ({"X": [[1], [2]], "Y": [[1], [2]], "Lambda": [[[1, 1]]]}, "Lambda", "needs 2 matrices"),
    ({"X": [[1], [2]], "Y": [[1], [2]], "Lambda": [[[1, 1]], [[1, 1]]]}, "Lambda[1]", "expected 2x1"),
    ({"X": [[1], ["1/0"]], "Y": [[1], [2]]}, "X[1]", "not a number"),
    ({"X": [[1], ["inf"]], "Y": [[1], [2]]}, "X[1]", "not finite"),
])
def test_bad_files_name_the_field(tmp_path, content, field, fragment):
    with pytest.raises(InputError) as caught:
        load_instance(write(tmp_path, content), ARCH)
    assert caught.value.field == field
    assert fragment in str(caught.value)


def test_nan_truncated_and_missing_files(tmp_path):
    with pytest.raises(InputError, match="not a finite number"):
        load_instance(write(tmp_path, '{"X": [[NaN], [1]], "Y": [[1], [2]]}'), ARCH)
    with pytest.raises(InputError, match="truncated"):
        load_instance(write(tmp_path, '{"X": [[1], [2]], "Y": [[1'), ARCH)
    with pytest.raises(InputError, match="does not exist"):
        load_instance(tmp_path / "nope.json", ARCH)


def test_regularization_words():
    assert parse_regularization("generic", ARCH, 1).kind is RegularizationKind.GENERIC
    assert parse_regularization("none", ARCH, 1).kind is RegularizationKind.NONE
    scalar = parse_regularization("1/10", ARCH, 1)
    assert scalar.kind is RegularizationKind.SCALAR and scalar.Lambda[0][0][0] == Fraction(1, 10)
    with pytest.raises(InputError, match="unknown value"):
        parse_regularization("ridge", ARCH, 1)
    with pytest.raises(InputError, match="must be positive"):
        parse_regularization("-1", ARCH, 1)


def test_degenerate_data_are_flagged():
    assert exact_rank([[1, 2], [2, 4]]) == 1
    arch = Architecture((2, 2, 2))
    data = random_dataset(arch, 2, seed=3)
    reg = generic_regularization(arch, seed=3)
    assert degeneracy_warnings(data, reg) == ()
    zero_row = type(data)(data.X, ((Fraction(0), Fraction(0)), data.Y[1]))
    assert any("Y row 0 is zero" in w for w in degeneracy_warnings(zero_row, reg))
    collinear = type(data)(((Fraction(1), Fraction(2)), (Fraction(2), Fraction(4))), data.Y)
    assert any("X has rank 1" in w for w in degeneracy_warnings(collinear, reg))


@pytest.mark.parametrize("entry", ["1e999999999", "-1e-400", "1" * 500, 10 ** 305])
def test_out_of_range_entries_are_refused_at_once(entry):
    import time

    from algeo.model.data import parse_entry

    started = time.monotonic()
    with pytest.raises(InputError, match="out of range"):
        parse_entry(entry, "X")
    assert time.monotonic() - started < 1.0


def test_decimals_spread_over_magnitudes_are_read_exactly():
    from fractions import Fraction

    from algeo.model.data import parse_entry

    assert parse_entry("1.5e-3", "X") == Fraction(3, 2000)
    assert parse_entry("2.25e3", "X") == 2250
    assert parse_entry("-7e-300", "X") == Fraction(-7, 10 ** 300)


def test_generic_times_a_scale_keeps_the_directions():
    from algeo.model.data import generic_regularization, parse_regularization

    architecture = Architecture((2, 1, 2))
    base = generic_regularization(architecture, 4)
    scaled = parse_regularization("generic*1/100", architecture, 4)
    assert scaled.kind is RegularizationKind.GENERIC
    assert all(s * 100 == b for sm, bm in zip(scaled.Lambda, base.Lambda) for sr, br in zip(sm, bm)
               for s, b in zip(sr, br))
    assert parse_regularization("generic*0.01", architecture, 4).Lambda == scaled.Lambda
    assert "times 1/100" in scaled.description and scaled.description.endswith("seed 4")
    for bad in ("generic*0", "generic*-1", "generic*x", "generic*"):
        with pytest.raises(InputError, match="regularization"):
            parse_regularization(bad, architecture, 4)
