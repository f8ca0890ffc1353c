"""Golden files: PHCpack's blackbox output for widths 2,1,2, m = 1, data seed 5, phc seed 12345."""

from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

import algeo
from algeo.phc import format_polynomials, format_system, parse_blackbox_output
from algeo.polynomial import Polynomial, PolynomialSystem

GOLDEN = Path(__file__).parent / "golden"
NAMES = ("w1_1_1", "w1_1_2", "w2_1_1", "w2_2_1")


def test_system_text_matches_golden_input():
    system = algeo.build_system("2,1,2", samples=1, seed=5)
    assert format_system(system.polynomial_system, system.variable_names) == \
        (GOLDEN / "phc_2_1_2_input.txt").read_text()


def test_coefficients_are_decimals_not_rationals():
    poly = Polynomial((((2, 0), Fraction(75, 97)), ((0, 1), Fraction(-1, 3))), 2)
    (text,) = format_polynomials(PolynomialSystem.from_polynomials([poly]), ("x", "y"))
    assert "/" not in text and text.endswith(";")
    assert "7.73195876288659822E-01*x^2" in text


def test_names_phc_cannot_read_are_refused():
    poly = Polynomial((((1,), Fraction(1)),), 1)
    with pytest.raises(ValueError, match="e, E, i or I"):
        format_polynomials(PolynomialSystem.from_polynomials([poly]), ("beta",))


def test_every_path_of_the_golden_output_is_read():
    parsed = parse_blackbox_output((GOLDEN / "phc_2_1_2_output.txt").read_text(), NAMES)
    assert parsed.root_counts == {"total_degree": 81, "mixed_volume": 32, "stable_mixed_volume": 33}
    assert parsed.declared_paths == len(parsed.paths) == 33
    assert parsed.seed == 12345
    kinds = Counter((p.outcome, p.label) for p in parsed.paths)
    assert kinds[("failure", "no solution")] == 24
    assert sum(v for (outcome, _), v in kinds.items() if outcome == "success") == 9
    assert parsed.version.startswith("PHCv2.4")


def test_truncated_output_is_not_taken_for_a_complete_one():
    text = (GOLDEN / "phc_2_1_2_output.txt").read_text()
    cut = text[: text.rfind("solution 20 :")]
    parsed = parse_blackbox_output(cut, NAMES)
    assert len(parsed.paths) < parsed.declared_paths


def test_a_linear_system_solved_directly_has_no_labels_and_is_still_read():
    names = tuple(f"w1_{i}_{j}" for i in (1, 2, 3) for j in (1, 2))
    parsed = parse_blackbox_output((GOLDEN / "phc_linear_2_3_output.txt").read_text(), names)
    assert parsed.declared_paths == len(parsed.paths) == 1
    (path,) = parsed.paths
    assert path.outcome == "success" and path.label == "regular (rco)"
    assert abs(path.coordinates[0] - complex(-0.299120092562245)) < 1e-14
