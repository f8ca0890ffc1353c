"""Exact activation regions, witnesses, certificates and Khatri-Rao ranks (algeo.relu)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy

from algeo.relu.arrangement import Decision, chambers, decide_signs
from algeo.relu.estimate import wilson_interval
from algeo.relu.instance import ReluArchitecture, ReluData, random_relu_data
from algeo.relu.jacobian import jacobian_rank, khatri_rao_rows
from algeo.relu.regions import general_position_chambers, regions


def _sorted_1d(n: int, seed: int) -> ReluData:
    data = random_relu_data(ReluArchitecture(1, 1), n, seed=seed, targets=False)
    return ReluData((tuple(sorted(data.X[0])),), None, "sorted")


def _check_witnesses(result) -> None:
    """Re-check every region's witness exactly, independently of the library's own check."""
    points = result.data.augmented_inputs(result.architecture.bias)
    for region in result.regions:
        for row, witness in zip(region.pattern, region.witness):
            for active, x in zip(row, points):
                value = sum(Fraction(a) * Fraction(b) for a, b in zip(x, witness))
                assert (value > 0) if active else (value < 0)


@pytest.mark.parametrize("n, d1", [(2, 1), (3, 2), (4, 2), (5, 1), (3, 3), (6, 1)])
def test_sorted_1d_data_with_bias_gives_2n_to_the_d1_regions(n, d1):
    result = regions(ReluArchitecture(1, d1, bias=True), data=_sorted_1d(n, seed=n + 10 * d1))
    assert result.mode == "exact" and result.ok
    assert result.counts["per_neuron_patterns"] == 2 * n
    assert result.counts["regions"] == len(result.regions) == (2 * n) ** d1
    assert len({r.pattern for r in result.regions}) == (2 * n) ** d1
    _check_witnesses(result)


@pytest.mark.parametrize("d0, n, d1", [(2, 2, 2), (3, 3, 2), (4, 3, 1), (3, 2, 3), (5, 4, 1)])
def test_general_position_without_bias_and_d0_at_least_n_gives_all_patterns(d0, n, d1):
    result = regions(ReluArchitecture(d0, d1), samples=n, seed=3)
    assert result.counts["regions"] == len(result.regions) == 2 ** (n * d1)
    _check_witnesses(result)


def test_chamber_counts_match_the_general_position_formula_for_random_data():
    for d0, n, bias in [(2, 6, True), (2, 7, False), (3, 6, False), (1, 8, False)]:
        data = random_relu_data(ReluArchitecture(d0, 1, bias=bias), n, seed=5, targets=False)
        found = chambers(data.augmented_inputs(bias))
        assert found.complete
        assert len(found.chambers) == general_position_chambers(n, d0 + bias)


def test_degenerate_data_are_certified_not_guessed():
    # x = 0 without a bias: w . 0 = 0 is never strictly signed, so there is no chamber at all
    assert chambers([(Fraction(0),), (Fraction(1),)]).chambers == ()
    # three collinear points through the origin: only 2 chambers in the plane, not 2^3
    points = [(Fraction(1), Fraction(2)), (Fraction(2), Fraction(4)), (Fraction(-1), Fraction(-2))]
    result = chambers(points)
    assert sorted(c.signs for c in result.chambers) == [(-1, -1, 1), (1, 1, -1)]
    assert result.complete and result.infeasible_certificates > 0


def test_infeasible_sign_vectors_come_with_an_exact_gordan_certificate():
    points = [(Fraction(1), Fraction(1)), (Fraction(2), Fraction(1)), (Fraction(3), Fraction(1))]
    decision, certificate, _ = decide_signs((1, -1, 1), points)  # +,-,+ on sorted 1-D data is impossible
    assert decision is Decision.INFEASIBLE
    signs = (1, -1, 1)
    assert all(y >= 0 for y in certificate) and sum(certificate) == 1
    for k in range(2):
        assert sum(y * s * x[k] for y, s, x in zip(certificate, signs, points)) == 0
    decision, witness, _ = decide_signs((-1, 1, 1), points)
    assert decision is Decision.FEASIBLE
    assert all(s * sum(a * b for a, b in zip(x, witness)) > 0 for s, x in zip((-1, 1, 1), points))


def test_khatri_rao_rank_equals_sympy_rank_and_does_not_depend_on_v():
    data = random_relu_data(ReluArchitecture(2, 1), 5, seed=2, targets=False)
    points = data.augmented_inputs(True)
    v = (Fraction(3, 7), Fraction(-2), Fraction(5))
    for pattern in itertools.islice(itertools.product(itertools.product((0, 1), repeat=5), repeat=3), 0, 4000, 97):
        rank = jacobian_rank(pattern, points)
        reference = sympy.Matrix([[sympy.Rational(e) for e in row] for row in khatri_rao_rows(pattern, points)])
        assert rank == reference.rank()
        with_v = sympy.Matrix([[sympy.Rational(v[i]) * pattern[i][j] * sympy.Rational(x)
                                for i in range(3) for x in points[j]] for j in range(5)])
        assert with_v.rank() == rank


def test_sampled_mode_beyond_the_limit_states_it_and_brackets_the_exact_fraction():
    architecture = ReluArchitecture(1, 2, bias=True)
    exact = regions(architecture, samples=4, seed=4)
    fraction = exact.counts["full_rank"] / exact.counts["regions"]
    assert 0.05 < fraction < 0.95  # a non-trivial check
    sampled = regions(architecture, samples=4, seed=4, max_regions=10, trials=2000)
    assert sampled.mode == "sampled" and sampled.regions == ()
    assert any("exceed the exact-enumeration limit" in note for note in sampled.notes)
    assert sampled.counts["regions"] == exact.counts["regions"]  # the product count stays exact
    low, high = sampled.estimates["by_count"]["confidence_interval_95"]
    assert low <= fraction <= high
    volume = sampled.estimates["by_volume"]
    assert volume["trials"] + volume["draws_on_a_boundary"] == 2000
    assert volume["confidence_interval_95"][0] <= volume["fraction"] <= volume["confidence_interval_95"][1]


def test_wilson_interval_reference_values():
    low, high = wilson_interval(8, 10)
    assert abs(low - 0.4902) < 1e-4 and abs(high - 0.9433) < 1e-4
    assert wilson_interval(10, 10)[1] == 1.0


ALGEO = [sys.executable, "-m", "algeo.cli"]


def test_cli_regions_writes_json_and_rejects_bad_input(tmp_path):
    algeo_command = ALGEO
    out = tmp_path / "r.json"
    done = subprocess.run([*algeo_command, "relu", "regions", "--widths", "1,2", "--samples", "3", "--bias",
                           "--seed", "1", "--json", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    content = json.loads(out.read_text())
    assert content["counts"]["regions"] == 36 and len(content["regions"]) == 36
    assert {"pattern", "witness", "rank", "full_rank"} <= set(content["regions"][0])
    bad = subprocess.run([*algeo_command, "relu", "regions", "--widths", "1,x", "--samples", "3",
                          "--json", str(tmp_path / "bad.json")], capture_output=True, text=True)
    assert bad.returncode == 2 and "widths" in bad.stderr and not (tmp_path / "bad.json").exists()
    data = tmp_path / "d.json"
    data.write_text('{"X": [[1, 2], [3, 4]]}')
    wrong = subprocess.run([*algeo_command, "relu", "regions", "--widths", "3,2", "--data", str(data)],
                           capture_output=True, text=True)
    assert wrong.returncode == 2 and "X" in wrong.stderr


@pytest.mark.parametrize("d0,d1,n,trials", [(2, 2, 4, 1000), (3, 6, 9, 50)], ids=["exact", "sampled"])
def test_regions_result_round_trips_through_json(d0, d1, n, trials):
    import json

    from algeo.relu.regions import RegionsResult

    result = regions(ReluArchitecture(d0, d1, 1, bias=True), samples=n, seed=1, trials=trials)
    assert RegionsResult.from_json(json.loads(json.dumps(result.to_json()))) == result
