"""The authors' sampling and the three ranks of their Jacobian (algeo.relu.karhadkar)."""

from __future__ import annotations

from fractions import Fraction

import numpy
import pytest

from algeo.relu import karhadkar
from algeo.relu.jacobian import jacobian_rank
from algeo.relu.karhadkar import (KarhadkarDraws, draw_trials, exact_patterns, exact_ranks, float32_patterns,
                                  full_rank_counts, linear_bounds, numerical_ranks, rank_upper_bounds,
                                  torch_jacobians)


def test_draws_follow_nn_linear_defaults_and_fresh_uniform_data():
    d0, n, d1, trials = 3, 7, 50, 40
    draws = draw_trials(d0, n, d1, range(trials), seed=5)
    assert draws.shape == (trials, n, d0, d1)
    assert (draws.W.shape, draws.b.shape, draws.v.shape, draws.X.shape) == ((40, 50, 3), (40, 50), (40, 50), (40, 7, 3))
    assert all(a.dtype == numpy.float32 for a in (draws.W, draws.b, draws.v, draws.X))
    weight, bias = linear_bounds(d0)
    assert weight == pytest.approx(1 / numpy.sqrt(3)) and bias == 1 / numpy.sqrt(3)
    assert numpy.abs(draws.W).max() <= weight and numpy.abs(draws.b).max() <= bias
    assert numpy.abs(draws.W).max() > 0.95 * weight                     # uniform over the whole interval
    assert abs(draws.W.mean()) < 0.02 and abs(draws.W.std() - weight / numpy.sqrt(3)) < 0.02
    # torch.rand: float32 multiples of 2^-24 in [0, 1), fresh for every trial
    assert draws.X.min() >= 0 and draws.X.max() < 1
    assert numpy.array_equal(draws.X * 2**24, numpy.rint(draws.X * 2**24))
    assert abs(draws.X.mean() - 0.5) < 0.05
    assert len({draws.X[t].tobytes() for t in range(trials)}) == trials
    # torch.randn output layer
    assert abs(draws.v.mean()) < 0.05 and abs(draws.v.std() - 1) < 0.05
    # seeded by (seed, d0, n, d1, trial): a chunk equals the same trials drawn with the rest
    again = draw_trials(d0, n, d1, range(10, 12), seed=5)
    assert numpy.array_equal(again.X, draws.X[10:12]) and numpy.array_equal(again.W, draws.W[10:12])
    assert not numpy.array_equal(draw_trials(d0, n, d1, range(1), seed=6).X, draws.X[:1])


def _network_jacobian(W, b, v, X):
    """Derivatives of F(x_j) = v . relu(W x_j + b) by hand, columns v, W row-major, b (torch's order)."""
    pre = X @ W.T + b
    a = (pre > 0).astype(float)
    rows = []
    for j in range(len(X)):
        rows.append(numpy.concatenate([numpy.maximum(pre[j], 0), numpy.outer(v * a[j], X[j]).ravel(), v * a[j]]))
    return numpy.array(rows)


def test_jacobian_is_the_networks_derivative_in_torchs_column_order():
    draws = draw_trials(2, 5, 4, range(3), seed=1)
    jacobians = torch_jacobians(draws, exact_patterns(draws), numpy.float64)
    for t in range(3):
        expected = _network_jacobian(*(a[t].astype(float) for a in (draws.W, draws.b, draws.v, draws.X)))
        numpy.testing.assert_allclose(jacobians[t], expected, rtol=1e-12, atol=1e-15)


def test_exact_rank_is_the_khatri_rao_rank_and_float64_agrees_on_small_cases():
    for d0, n, d1 in [(1, 6, 3), (2, 10, 4), (3, 9, 2)]:
        draws = draw_trials(d0, n, d1, range(8), seed=2)
        pattern = exact_patterns(draws)
        ranks = exact_ranks(draws, pattern)
        for t in range(8):
            points = [[Fraction(float(x)) for x in draws.X[t, j]] + [Fraction(1)] for j in range(n)]
            rows = [[int(pattern[t, j, i]) for j in range(n)] for i in range(d1)]
            assert ranks[t] == jacobian_rank(rows, points)
        assert numpy.array_equal(numerical_ranks(torch_jacobians(draws, pattern, numpy.float64)), ranks)
        assert (rank_upper_bounds(pattern, d0) >= ranks).all()


def test_the_pattern_bound_proves_most_deficient_ranks():
    # d0 = 95, n = 190, d1 = 3 (the varying-d0 grid): enough columns (288), yet the bound is the rank
    draws = draw_trials(95, 190, 3, range(4), seed=0)
    pattern = exact_patterns(draws)
    bounds, ranks = rank_upper_bounds(pattern, 95), exact_ranks(draws, pattern)
    assert (bounds >= ranks).all() and (bounds < 190).any() and (ranks < 190).all()


def test_a_zero_output_weight_uses_the_full_exact_jacobian():
    draws = draw_trials(2, 6, 3, range(4), seed=3)
    v = draws.v.copy()
    v[:, 0] = 0                  # neuron 0 keeps only its v column relu(X~ w~_0)
    zeroed = KarhadkarDraws(draws.W, draws.b, v, draws.X)
    pattern = exact_patterns(zeroed)
    assert numpy.array_equal(exact_ranks(zeroed, pattern),
                             numerical_ranks(torch_jacobians(zeroed, pattern, numpy.float64)))


def test_exact_pattern_follows_torch_at_zero_and_decides_near_ties_exactly():
    # neuron 0: 2 * 1/2 + 0 - 1 = 0 exactly, inactive (relu'(0) = 0); neurons 1, 2: 1 -+ 2^-60 (1 - 2^-24) - 1,
    # which float64 rounds to 0, decided exactly: active, inactive
    tiny = 2.0**-60
    W = numpy.array([[[2.0, 0.0], [2.0, tiny], [2.0, -tiny]]], dtype=numpy.float32)
    b = numpy.full((1, 3), -1.0, dtype=numpy.float32)
    X = numpy.array([[[0.5, 1 - 2.0**-24]]], dtype=numpy.float32)
    draws = KarhadkarDraws(W, b, numpy.ones((1, 3), numpy.float32), X)
    assert (X.astype(float) @ W[0].T.astype(float) + b.astype(float)).tolist() == [[[0.0, 0.0, 0.0]]]
    assert exact_patterns(draws).tolist() == [[[False, True, False]]]


def test_float32_rank_underestimates_where_the_exact_rank_is_full():
    # the published setting d0 = 2, n = 100, d1 = 300 (seed 0, trial 0): float32 rank 97, exact 100
    draws = draw_trials(2, 100, 300, range(1), seed=0)
    assert exact_ranks(draws, exact_patterns(draws)).tolist() == [100]
    assert numerical_ranks(torch_jacobians(draws, float32_patterns(draws), numpy.float32)).tolist() == [97]
    assert numerical_ranks(torch_jacobians(draws, exact_patterns(draws), numpy.float64)).tolist() == [100]


def test_counts_do_not_depend_on_the_chunking_and_few_columns_are_never_full():
    both = ("exact", "float32")
    assert full_rank_counts(2, 20, 30, 12, 4, both) == full_rank_counts(2, 20, 30, 12, 4, both, chunk=5)
    assert full_rank_counts(1, 40, 15, 10, 0, ("exact", "float64")) == {"exact": 0, "float64": 0}
    with pytest.raises(ValueError, match="float16"):
        full_rank_counts(1, 4, 3, 2, 0, ("float16",))
    assert karhadkar.RANK_METHODS == ("exact", "float64", "float32")
