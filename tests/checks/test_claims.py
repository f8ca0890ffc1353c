"""Every check PASSes with the theorem's numbers and FAILs with a wrong claim of each kind.

One instance per check (PHCpack): first the true statement must PASS (so a FAIL below is caused
by the claim), then every claim key, too low and too high where both are wrong. A bound that is
claimed *looser* is not wrong, so only too-small bounds appear. ``regularized-spurious-minima``
is an existence search with no claim keys. The claim changes only the decision, so the solver
calls are memoized within a test (same arguments, same answer): each instance is solved once.
"""

from __future__ import annotations

import pytest

from algeo.checks import THEOREMS, run_check, theorem_module
from algeo.checks.report import Verdict
from algeo.exceptions import InputError

INSTANCES = {  # theorem -> (widths, samples, seed)
    "bh-bounds": ("1,1,2", 1, 1),  # N_C = 9 <= 9, N_C* = 8 <= 8, 8 points with one nonzero row of W_1
    "ed-degree": ("2,2,2", 2, 3),  # C(2,e) = 2, 1 real critical points on the rank-e matrices
    "critical-values": ("2,1,2", 3, 2),
    "no-spurious-minima": ("2,1,2", 2, 1),  # 3 products: 1 global minimum, 2 saddles
    "pure-spurious": ("2,1,2", 2, 1),  # 3 products, 2 pure
}

WRONG_CLAIMS = {
    "bh-bounds": [{"complex_bound": 8}, {"nonzero_bound": 7}, {"one_nonzero_row": 7}, {"one_nonzero_row": 9}],
    "ed-degree": [{"rank_1": 1}, {"rank_1": 3}, {"rank_2": 0}, {"rank_2": 2}],
    "critical-values": [{"offset": "1/1000"}, {"offset": "-1/1000000"}],
    "no-spurious-minima": [{"local_minima": 0}, {"local_minima": 2}],
    "pure-spurious": [{"products": 2}, {"products": 4}, {"pure": 1}, {"pure": 3}],
}


def test_every_claim_key_of_every_check_is_covered():
    for theorem in THEOREMS:
        module = theorem_module(theorem)
        if theorem in ("no-spurious-minima", "pure-spurious"):
            module = module.for_theorem(theorem)
        covered = {key for claim in WRONG_CLAIMS.get(theorem, []) for key in claim}
        if theorem == "ed-degree":
            covered |= {"rank_3", "rank_4"}  # rank_3: test_ed_degree_claims_on_higher_strata; rank_4 needs
            # widths 4,4,4, over 7 minutes here (not run); a rank_4 claim on smaller widths is refused
        assert covered == set(module.CLAIM_KEYS), theorem


def test_a_claim_the_instance_cannot_test_is_refused():
    with pytest.raises(InputError, match="claim"):
        run_check("ed-degree", "2,1,2", samples=2, seed=3, claim={"rank_2": 1})  # r = 1: silently untested before


def _memoized(function):
    answers = {}

    def wrapper(*args, **kwargs):
        key = repr((args, sorted(kwargs.items())))
        if key not in answers:
            answers[key] = function(*args, **kwargs)
        return answers[key]

    return wrapper


@pytest.fixture
def solve_once(monkeypatch):
    from algeo.checks import bh_bounds, critical_values, ed_degree, unregularized

    for module, name in [(bh_bounds, "solve"), (ed_degree, "solve_stratum"), (ed_degree, "singular_counts"),
                         (critical_values, "solve_stratum"), (critical_values, "singular_counts"),
                         (unregularized, "_unregularized_solve")]:
        monkeypatch.setattr(module, name, _memoized(getattr(module, name)))


@pytest.mark.phc
@pytest.mark.parametrize("theorem", sorted(WRONG_CLAIMS))
def test_true_statement_passes_and_each_wrong_claim_fails(theorem, solve_once):
    widths, samples, seed = INSTANCES[theorem]
    report = run_check(theorem, widths, samples=samples, seed=seed)
    assert report.verdict is Verdict.PASS, report.summary()
    for claim in WRONG_CLAIMS[theorem]:
        wrong = run_check(theorem, widths, samples=samples, seed=seed, claim=claim)
        assert wrong.verdict is Verdict.FAIL, (claim, wrong.summary())
        assert wrong.provenance["claim"] == claim


@pytest.mark.phc
def test_ed_degree_claims_on_higher_strata(solve_once):
    """rank_3 on widths 3,3,3 (C(3,e) = 3, 3, 1; about 7 s here, one solve per stratum)."""
    assert run_check("ed-degree", "3,3,3", samples=3, seed=3).verdict is Verdict.PASS
    for claim in ({"rank_3": 0}, {"rank_3": 2}, {"rank_2": 2}):
        assert run_check("ed-degree", "3,3,3", samples=3, seed=3, claim=claim).verdict is Verdict.FAIL, claim
