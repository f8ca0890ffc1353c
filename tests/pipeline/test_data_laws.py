"""Plain solves of data people type reach msolve's exact counts (N_C, N_C*, N_R) on the instance's own system.

Three data laws (algeo.model.data_laws: small integers with Lambda = k/97, decimals spread over
1e-3 ... 1e3, the project's random law), several seeds, published (m = 1) and m = 2, 3 rows.
"""

from __future__ import annotations

import pytest

import algeo
from algeo.model.architecture import Architecture
from algeo.model.data_laws import LAWS, instance

pytestmark = [pytest.mark.phc, pytest.mark.msolve, pytest.mark.slow]

ROWS = [("2,1,2", 3, (1, 2)), ("1,2,2,1", 1, (1, 2)), ("2,2,2", 2, (1, 2)), ("1,3,3", 1, (1,))]


@pytest.mark.parametrize("widths, samples, seeds", ROWS, ids=[f"{w}-m{m}" for w, m, _ in ROWS])
@pytest.mark.parametrize("law", LAWS)
def test_plain_solve_reaches_the_exact_counts(widths, samples, seeds, law):
    for seed in seeds:
        data, regularization = instance(Architecture.parse(widths), samples, law, seed)
        result = algeo.solve(widths, data=data, regularization=regularization, seed=seed,
                             options=algeo.SolveOptions(exact_budget=300))
        counts = result.counts
        label = f"{widths} m={samples} {law} seed {seed}: {result.problems}"
        assert counts.extra["independent_check"] == "msolve", label
        assert counts.complex == counts.extra["exact_complex"], label
        assert counts.nonzero == counts.extra["exact_nonzero"], label
        assert counts.real == counts.extra["exact_real"] == counts.extra["real_points_in_boxes"], label
        assert result.ok, label
