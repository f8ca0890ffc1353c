"""Golden files: PHCpack's blackbox output for widths 2,1,2, m = 1, data seed 5, phc seed 12345."""

from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

import algeo
from algeo.phc import format_polynomials, format_system, parse_blackbox_output
from algeo.model.polynomial import Polynomial, PolynomialSystem

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
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


def test_deflated_and_two_word_outcomes_are_read():
    """Excerpt of ``phc -b -0264891`` on widths 2,2,2, m = 2, seed 7: blocks headed ``#deflations``."""
    names = algeo.build_system("2,2,2", samples=2, seed=7).variable_names
    parsed = parse_blackbox_output((GOLDEN / "phc_deflation_excerpt.txt").read_text(), names)
    assert parsed.declared_paths == len(parsed.paths) == 3
    assert [(p.outcome, p.label) for p in parsed.paths] == [
        ("success", "complex regular"), ("success", "complex regular"), ("failure", "no solution")]
    text = (GOLDEN / "phc_deflation_excerpt.txt").read_text().replace("#iterations : 0   failure",
                                                                       "#iterations : 0   at infinity")
    assert parse_blackbox_output(text, names).paths[2].outcome == "at infinity"


def test_blocks_of_deflated_solutions_are_read():
    """PHCpack writes ``#deflations : 1`` instead of ``#iterations : n`` for deflated end points
    (seen with widths 2,2,2, m = 2, data seed 7, phc seed 55433: 84 such blocks of 1024)."""
    names = ("w1_1_1", "w2_1_1")
    block = ("solution {k} :    start residual :  4.665E-12   #{kind} : 1   success\n"
             "t :  1.00000000000000E+00   0.00000000000000E+00\nm : 1\nthe solution for t :\n"
             " w1_1_1 : -1.10552784838505E-87  -1.24810577174583E+01\n"
             " w2_1_1 : -7.14273099200819E-89  -1.19809782172782E-01\n"
             "== err :  1.960E-11 = rco :  7.091E-05 = res :  1.564E-11 = complex regular ==\n")
    text = ("THE SOLUTIONS :\n2 2\n===========================================================================\n"
            + block.format(k=1, kind="iterations") + block.format(k=2, kind="deflations"))
    parsed = parse_blackbox_output(text, names)
    assert parsed.declared_paths == len(parsed.paths) == 2
    assert [p.label for p in parsed.paths] == ["complex regular"] * 2


def test_deflation_and_at_infinity_blocks_are_read():
    from algeo.model.architecture import Architecture

    golden = GOLDEN / "phc_deflation_and_infinity.txt"
    parsed = parse_blackbox_output(golden.read_text(), Architecture((2, 2, 2)).variable_names)
    assert parsed.declared_paths == 3 and len(parsed.paths) == 3  # every path accounted for
    assert [p.outcome for p in parsed.paths] == ["success", "failure", "at infinity"]
    assert parsed.paths[0].label == "complex regular" and parsed.paths[2].label == "at infinity"
