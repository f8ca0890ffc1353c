"""Karhadkar et al.'s full-rank experiment, sampled as in the authors' code, with three ranks.

The authors' code (public repository kedar2/loss-landscape, ``experiments/full_rank_regions.py``
with ``models.MLP`` and ``metrics.jacobian``; arXiv 2305.19510, TMLR 2024) draws, for every
trial, a fresh network and a fresh dataset:

- ``W`` (``d1 x d0``) and ``b`` (``d1``): PyTorch ``nn.Linear`` defaults, ``W`` uniform on
  ``(-B_w, B_w)`` with ``B_w = sqrt(3) * sqrt(2/(1+5)) / sqrt(d0)`` (Kaiming-uniform with
  ``a = sqrt(5)``, so ``B_w = 1/sqrt(d0)`` up to rounding) and ``b`` uniform on
  ``(-1/sqrt(d0), 1/sqrt(d0))``; both float32, as ``k 2^-24 * 2B - B`` rounded to float32;
- ``v`` (``d1``): ``torch.randn``, float32 standard normal, frozen (``requires_grad=False``);
- ``X`` (``n x d0``): ``torch.rand``, float32 uniform on ``[0, 1)``, i.e. ``k 2^-24``;

then the Jacobian ``J`` of the ``n`` outputs with respect to *every* registered parameter
(``torch.func.jacrev`` differentiates the frozen ``v`` too), columns in the order of
``named_parameters()``: ``v`` (``d1``: ``relu(w_i.x_j + b_i)``), ``W`` row-major
(``d1 d0``: ``v_i a_ij x_jk``), ``b`` (``d1``: ``v_i a_ij``), with ``a_ij = 1`` iff the
pre-activation is ``> 0`` (PyTorch's ``relu'(0) = 0``). A trial counts when
``torch.linalg.matrix_rank(J) == n``: float32 SVD, singular values ``> max(n, P) eps32 s_max``.

Here the same distributions are drawn with numpy (a ``Generator`` per trial, seeded by
``(seed, d0, n, d1, trial)``; the random streams are numpy's, not PyTorch's) and the rank
of ``J`` is computed three ways (:data:`RANK_METHODS`):

- ``float32``: the published computation, emulated: pattern from the float32 forward pass,
  ``J`` in float32, LAPACK ``sgesdd`` singular values, PyTorch's default tolerance;
- ``float64``: the exact pattern, ``J`` in float64 (its ``W`` and ``b`` entries are exact),
  ``dgesdd``, the same rule with ``eps64``;
- ``exact``: the rank over QQ of the Jacobian of the sampled (float32, hence dyadic rational)
  parameters and data, with the exact pattern. Proof of the reduction: for ``v_i != 0`` the
  ``v_i`` column is ``relu(X~ w~_i) = M_i w~_i / v_i`` with ``M_i`` neuron ``i``'s ``(W, b)``
  block, so it adds nothing to the span, and ``M_i`` has the rank of ``diag(a_i) X~``; so
  ``rank J = rank M`` with ``M = [diag(a_1) X~, ..., diag(a_d1) X~]`` (``X~`` scaled by
  ``2^24`` to integers), and ``rank M = rank M M^T = rank ((A A^T) o (X~ X~^T))``, an ``n x n``
  integer matrix. Its rank is computed with python-flint: modulo ``2^61 - 1`` (a value ``n``
  proves full rank, as a modular rank is at most the rational one), otherwise exactly with
  ``fmpz_mat.rank``. No probabilistic step. A trial with some ``v_i == 0`` is done on the
  full exact Jacobian instead. Before any arithmetic, :func:`rank_upper_bounds` (rows with the
  same pattern span at most ``d0 + 1`` dimensions) proves most deficient trials deficient.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy

__all__ = ["RANK_METHODS", "KarhadkarDraws", "draw_trials", "exact_patterns", "float32_patterns",
           "torch_jacobians", "numerical_ranks", "exact_ranks", "rank_upper_bounds", "full_rank_counts", "linear_bounds"]

RANK_METHODS = ("exact", "float64", "float32")

_PRIME = 2**61 - 1
_INT_SCALE = 2**24  # torch.rand and numpy's float32 random are multiples of 2^-24


def linear_bounds(d0: int) -> tuple[float, float]:
    """Bounds ``(B_w, B_b)`` of ``nn.Linear(d0, d1)``'s default initialisation (PyTorch 2.x).

    >>> linear_bounds(4)                  # the weight bound is 1/2 less one rounding, as in torch
    (0.49999999999999994, 0.5)
    """
    gain = math.sqrt(2.0 / (1 + math.sqrt(5) ** 2))        # calculate_gain("leaky_relu", sqrt(5))
    weight = math.sqrt(3.0) * (gain / math.sqrt(d0))         # kaiming_uniform_
    return weight, 1 / math.sqrt(d0)


@dataclass(frozen=True)
class KarhadkarDraws:
    """``T`` trials stacked: ``W`` (T, d1, d0), ``b`` (T, d1), ``v`` (T, d1), ``X`` (T, n, d0); float32."""

    W: numpy.ndarray
    b: numpy.ndarray
    v: numpy.ndarray
    X: numpy.ndarray

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """``(trials, n, d0, d1)``."""
        return self.X.shape[0], self.X.shape[1], self.X.shape[2], self.W.shape[1]


def _torch_uniform(rng: numpy.random.Generator, shape, bound: float) -> numpy.ndarray:
    """``tensor.uniform_(-bound, bound)`` on CPU: ``k 2^-24`` times ``2 bound`` minus ``bound``
    in double, rounded to float32."""
    k = rng.integers(0, _INT_SCALE, size=shape, dtype=numpy.int64)
    return (k * (1.0 / _INT_SCALE) * (2 * bound) - bound).astype(numpy.float32)


def draw_trials(d0: int, n: int, d1: int, trials: range, seed: int) -> KarhadkarDraws:
    """The authors' sampling for trials ``trials`` (a range, so a cell can be drawn in chunks)."""
    weight_bound, bias_bound = linear_bounds(d0)
    Ws, bs, vs, Xs = [], [], [], []
    for trial in trials:
        rng = numpy.random.default_rng(numpy.random.SeedSequence([seed, d0, n, d1, trial]))
        Ws.append(_torch_uniform(rng, (d1, d0), weight_bound))        # model = MLP(...): weight,
        bs.append(_torch_uniform(rng, (d1,), bias_bound))             # bias,
        vs.append(rng.standard_normal(d1, dtype=numpy.float32))       # last layer, then
        Xs.append(rng.integers(0, _INT_SCALE, size=(n, d0)).astype(numpy.float32) / numpy.float32(_INT_SCALE))
    return KarhadkarDraws(numpy.stack(Ws), numpy.stack(bs), numpy.stack(vs), numpy.stack(Xs))


def float32_patterns(draws: KarhadkarDraws) -> numpy.ndarray:
    """``a`` (T, n, d1) from the float32 forward pass ``X W^T + b > 0``, as the authors'."""
    return (draws.X @ draws.W.transpose(0, 2, 1) + draws.b[:, None, :]) > 0


def exact_patterns(draws: KarhadkarDraws) -> numpy.ndarray:
    """``a`` (T, n, d1) with the exact sign of the pre-activation of the float32 values.

    Each product of two float32 numbers is exact in float64; the float64 sum of ``d0 + 1``
    terms is off by at most ``(d0 + 1) 2^-53`` times the sum of their absolute values, so a
    float64 value beyond twice that bound has the exact sign; the rest are summed as Fractions.
    """
    X, W, b = (a.astype(numpy.float64) for a in (draws.X, draws.W, draws.b))
    Wt = W.transpose(0, 2, 1)
    pre = X @ Wt + b[:, None, :]
    bound = (numpy.abs(X) @ numpy.abs(Wt) + numpy.abs(b)[:, None, :]) * ((X.shape[2] + 2) * 2.0**-52)
    pattern = pre > 0
    for t, j, i in zip(*numpy.nonzero(numpy.abs(pre) <= bound)):
        value = Fraction(float(b[t, i])) + sum(Fraction(float(x)) * Fraction(float(w))
                                               for x, w in zip(X[t, j], W[t, i]))
        pattern[t, j, i] = value > 0
    return pattern


def torch_jacobians(draws: KarhadkarDraws, pattern: numpy.ndarray, dtype) -> numpy.ndarray:
    """``J`` (T, n, d1 (d0 + 2)) in ``dtype``, columns ``v``, ``W`` row-major, ``b``."""
    X, W, b, v = (a.astype(dtype) for a in (draws.X, draws.W, draws.b, draws.v))
    T, n, d0, d1 = draws.shape
    active = pattern.astype(dtype)
    hidden = numpy.maximum(X @ W.transpose(0, 2, 1) + b[:, None, :], 0) * active   # relu, a = 0 at 0
    gate = active * v[:, None, :]                                                    # v_i a_ij
    weights = (gate[:, :, :, None] * X[:, :, None, :]).reshape(T, n, d1 * d0)
    return numpy.concatenate([hidden, weights, gate], axis=2)


def numerical_ranks(jacobians: numpy.ndarray) -> numpy.ndarray:
    """``torch.linalg.matrix_rank`` default: singular values ``> max(m, n) eps s_max``, in the
    precision of ``jacobians``."""
    singular = numpy.linalg.svd(jacobians, compute_uv=False)
    dtype = jacobians.dtype
    tolerance = dtype.type(numpy.finfo(dtype).eps * max(jacobians.shape[1:])) * singular[:, :1]
    return (singular > tolerance).sum(axis=1)


def _scaled_inputs(X: numpy.ndarray) -> numpy.ndarray:
    """``X~`` as integers: ``2^24 x`` and a bias column of 1 (a column scaling of ``M``)."""
    integer = numpy.rint(X.astype(numpy.float64) * _INT_SCALE).astype(numpy.int64)
    return numpy.concatenate([integer, numpy.ones(X.shape[:-1] + (1,), dtype=numpy.int64)], axis=-1)


def _rank_of_integer_matrix(rows: list, n: int, columns: int) -> int:
    modular = flint.nmod_mat(n, columns, [value % _PRIME for row in rows for value in row], _PRIME).rank()
    if modular == min(n, columns):
        return modular
    return int(flint.fmpz_mat(n, columns, [value for row in rows for value in row]).rank())


def _exact_rank_with_zero_outputs(draws: KarhadkarDraws, pattern: numpy.ndarray, t: int) -> int:
    """The full exact Jacobian of trial ``t`` (some ``v_i == 0``), every column scaled to integers."""
    X = [[Fraction(float(x)) for x in row] + [Fraction(1)] for row in draws.X[t]]
    columns = []
    for i in range(draws.W.shape[1]):
        w = [Fraction(float(x)) for x in draws.W[t, i]] + [Fraction(float(draws.b[t, i]))]
        a = pattern[t, :, i]
        if draws.v[t, i] != 0:
            columns.extend([[x[k] if a[j] else Fraction(0) for j, x in enumerate(X)] for k in range(len(w))])
        else:
            columns.append([sum(xk * wk for xk, wk in zip(x, w)) if a[j] else Fraction(0) for j, x in enumerate(X)])
    integer = []
    for column in columns:
        scale = math.lcm(*(value.denominator for value in column))
        integer.append([int(value * scale) for value in column])
    rows = [list(row) for row in zip(*integer)]
    return _rank_of_integer_matrix(rows, len(rows), len(integer))


def exact_ranks(draws: KarhadkarDraws, pattern: numpy.ndarray) -> numpy.ndarray:
    """Rank over QQ of each trial's Jacobian (see the module docstring), an int array (T,)."""
    T, n, d0, d1 = draws.shape
    scaled = _scaled_inputs(draws.X)
    active = pattern.astype(numpy.float64)
    overlap = numpy.rint(active @ active.transpose(0, 2, 1)).astype(numpy.int64)   # (A A^T)_jk <= d1
    gram_bound = d1 * (d0 * (_INT_SCALE - 1) ** 2 + 1)
    ranks = numpy.zeros(T, dtype=numpy.int64)
    for t in range(T):
        if (draws.v[t] == 0).any():
            ranks[t] = _exact_rank_with_zero_outputs(draws, pattern, t)
            continue
        inputs = scaled[t] @ scaled[t].T                                            # exact in int64
        if gram_bound < 2**63:
            gram = (overlap[t] * inputs).tolist()
        else:                                                                      # Python integers
            gram = [[int(o) * int(x) for o, x in zip(orow, xrow)] for orow, xrow in zip(overlap[t], inputs)]
        ranks[t] = _rank_of_integer_matrix(gram, n, n)
    return ranks


def rank_upper_bounds(pattern: numpy.ndarray, d0: int) -> numpy.ndarray:
    """An upper bound of each trial's exact rank, from the pattern alone (int array (T,)).

    Row ``j`` of ``M`` is ``a_j (x) x~_j``: rows sharing a pattern ``s`` lie in the
    ``(d0 + 1)``-dimensional space ``s (x) R^{d0+1}`` (``0`` for ``s = 0``), so the rank is at most
    ``sum_s min(#rows with pattern s, d0 + 1)``; by columns it is at most
    ``sum_i min(#samples active in neuron i, d0 + 1)``. The smaller bound is returned.

    >>> rank_upper_bounds(numpy.array([[[1, 0], [1, 0], [1, 0], [0, 0]]], dtype=bool), 1).tolist()
    [2]
    """
    columns = numpy.minimum(pattern.sum(axis=1), d0 + 1).sum(axis=1)
    packed = numpy.packbits(pattern, axis=2)
    bounds = numpy.empty(len(pattern), dtype=numpy.int64)
    for t, rows in enumerate(packed):
        distinct, counts = numpy.unique(rows, axis=0, return_counts=True)
        bounds[t] = sum(min(int(c), d0 + 1) for s, c in zip(distinct, counts) if s.any())
    return numpy.minimum(bounds, columns)


def full_rank_counts(d0: int, n: int, d1: int, trials: int, seed: int, methods: tuple[str, ...], *,
                     chunk: int | None = None) -> dict[str, int]:
    """How many of ``trials`` trials have ``rank J == n``, per rank method (same draws for all).

    ``chunk`` trials are held at once (default: about 40 MB of float64 Jacobian).

    >>> full_rank_counts(1, 2, 30, 20, 0, ("exact", "float32"))
    {'exact': 20, 'float32': 20}
    """
    unknown = [m for m in methods if m not in RANK_METHODS]
    if unknown:
        raise ValueError(f"unknown rank methods {unknown}; choose from {RANK_METHODS}")
    chunk = chunk or max(1, min(trials, 5_000_000 // max(1, n * d1 * (d0 + 2))))
    counts = dict.fromkeys(methods, 0)
    for start in range(0, trials, chunk):
        draws = draw_trials(d0, n, d1, range(start, min(trials, start + chunk)), seed)
        exact = exact_patterns(draws) if {"exact", "float64"} & set(methods) else None
        for method in methods:
            if method == "float32":
                ranks = numerical_ranks(torch_jacobians(draws, float32_patterns(draws), numpy.float32))
            elif method == "float64":
                ranks = numerical_ranks(torch_jacobians(draws, exact, numpy.float64))
            else:
                keep = numpy.nonzero(rank_upper_bounds(exact, d0) >= n)[0]   # the others are proven deficient
                ranks = numpy.zeros(len(exact), dtype=numpy.int64)
                if len(keep):
                    subset = KarhadkarDraws(draws.W[keep], draws.b[keep], draws.v[keep], draws.X[keep])
                    ranks[keep] = exact_ranks(subset, exact[keep])
            counts[method] += int((ranks == n).sum())
    return counts
