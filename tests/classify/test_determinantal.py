"""Tests of algeo.classify.determinantal: whitening, genericity, ranks, strata, pure / spurious, index sets.

No PHCpack: every critical point here is built from an SVD of U, and the checks are
compared with independent numpy / closed-form computations.
"""

from fractions import Fraction
from math import comb

import mpmath
import numpy
import pytest
import scipy.linalg

from algeo.classify import determinantal as det
from algeo.model.architecture import Architecture
from algeo.model.data import Dataset, random_dataset
from algeo.exceptions import InputError

ZERO, NONZERO = 1e-20, 1e-8


def _numpy_target(dataset):
    X = numpy.array(dataset.X, dtype=float)
    Y = numpy.array(dataset.Y, dtype=float)
    S = scipy.linalg.sqrtm(X @ X.T).real
    U = Y @ X.T @ numpy.linalg.inv(S)
    return S, U


def _as_numpy(matrix):
    return numpy.array([[float(mpmath.re(matrix[i, j])) for j in range(matrix.cols)] for i in range(matrix.rows)])


@pytest.mark.parametrize("widths,samples,seed", [((3, 2, 4), 5, 3), ((2, 2, 2), 2, 1), ((4, 1, 3), 4, 2)])
def test_whitening_matches_numpy(widths, samples, seed):
    data = random_dataset(Architecture(widths), samples, seed)
    S_np, U_np = _numpy_target(data)
    with mpmath.workdps(40):
        w = det.whitening(data)
        assert numpy.allclose(_as_numpy(w.S), S_np, atol=1e-12)
        assert numpy.allclose(_as_numpy(w.U), U_np, atol=1e-12)
        assert numpy.allclose([float(s) for s in w.sigma], numpy.linalg.svd(U_np, compute_uv=False), atol=1e-12)
        assert float(det.frobenius(w.S * w.S - w.XXt)) < 1e-35


@pytest.mark.parametrize("widths,samples,seed", [((3, 2, 4), 5, 3), ((3, 2, 3), 3, 1), ((2, 2, 2), 2, 4),
                                                 ((3, 1, 3), 3, 5)])
def test_every_U_I_is_critical_on_its_stratum_with_the_expected_index(widths, samples, seed):
    architecture = Architecture(widths)
    data = random_dataset(architecture, samples, seed)
    r, q = architecture.rank_bound, architecture.outer_rank
    sets = det.index_sets(q, r)
    assert len(sets) == sum(comb(q, k) for k in range(r + 1)) == architecture.n_unregularized_products
    _, U_np = _numpy_target(data)
    u, sigma, vt = numpy.linalg.svd(U_np)
    pure, minima = [], []
    with mpmath.workdps(40):
        w = det.whitening(data)
        for I in sets:
            product = w.product_of(I)
            e = len(I)
            # independent: the numpy SVD builds the same U_I
            U_I = sum((sigma[i] * numpy.outer(u[:, i], vt[i]) for i in I), numpy.zeros_like(U_np))
            assert numpy.allclose(_as_numpy(product * w.S), U_I, atol=1e-12)
            rank = det.numerical_rank(product, zero=ZERO, nonzero=NONZERO)
            assert rank.rank == e
            assert det.stratum_gradient_residual(product, e, w) < 1e-30
            index, extra_nullity, _ = det.stratum_index(product, e, w, zero=ZERO)
            # closed form (Eckart-Young): one descent direction per pair i in I, j not in I, sigma_j > sigma_i
            assert index == sum(1 for i in I for j in range(q) if j not in I and j < i)
            assert extra_nullity == 0
            found, distance = det.match_index_set(product, w)
            assert found == I and distance < 1e-30
            loss = det.loss_of_product(product, w)
            expected = (float(w.trace_YYt) - sum(sigma[i] ** 2 for i in I)) / 2
            assert abs(float(loss) - expected) < 1e-10
            purity, _ = det.purity(product, e, r, w, zero=ZERO, nonzero=NONZERO)
            assert purity in (det.Purity.PURE, det.Purity.SPURIOUS)
            if purity is det.Purity.PURE:
                pure.append(I)
                if index == 0:
                    minima.append(I)
    if architecture.is_filling:
        assert pure == [tuple(range(q))]  # only U itself
    else:
        assert sorted(pure) == sorted(I for I in sets if len(I) == r) and len(pure) == comb(q, r)
    assert minima == [tuple(range(r))]


def test_a_non_critical_matrix_fails_the_stratum_check():
    data = random_dataset(Architecture((3, 2, 3)), 3, 1)
    with mpmath.workdps(40):
        w = det.whitening(data)
        product = w.product_of((0,)) * mpmath.mpf("1.01")
        assert det.stratum_gradient_residual(product, 1, w) > 1e-4
        purity, _ = det.purity(w.product_of((0,)), 1, 2, w, zero=ZERO, nonzero=NONZERO)
        assert purity is det.Purity.SPURIOUS


def test_rank_without_a_gap_is_undecided():
    with mpmath.workdps(40):
        matrix = mpmath.matrix([[1, 0], [0, mpmath.mpf("1e-12")]])
        decision = det.numerical_rank(matrix, zero=ZERO, nonzero=NONZERO)
        assert decision.rank is None and not decision.decided
        assert det.numerical_rank(mpmath.matrix([[1, 0], [0, mpmath.mpf("1e-30")]]), zero=ZERO,
                                  nonzero=NONZERO).rank == 1


def _dataset(X, Y):
    to = lambda M: tuple(tuple(Fraction(e) for e in row) for row in M)
    return Dataset(to(X), to(Y))


def test_singular_XXt_is_refused():
    architecture = Architecture((3, 2, 3))
    data = random_dataset(architecture, 2, 1)  # m = 2 < d0 = 3
    with pytest.raises(InputError, match="X X\\^T is singular"):
        det.check_generic_targets(data, architecture)
    with pytest.raises(InputError, match="singular"):
        det.whitening(data)


def test_repeated_singular_values_are_refused():
    architecture = Architecture((2, 1, 2))
    data = _dataset([[1, 0], [0, 1]], [[3, 4], [-4, 3]])  # U = Y is 5 x orthogonal: sigma = 5, 5
    with pytest.raises(InputError, match="repeated singular values"):
        det.check_generic_targets(data, architecture)


def test_zero_singular_value_is_refused():
    architecture = Architecture((2, 1, 2))
    data = _dataset([[1, 0], [0, 1]], [[1, 2], [2, 4]])  # rank Y X^T = 1 < q = 2
    with pytest.raises(InputError, match="zero singular value"):
        det.check_generic_targets(data, architecture)


def test_generic_random_data_pass():
    for widths, samples in (((3, 2, 3), 3), ((2, 1, 2), 2), ((3, 1, 2), 3), ((2, 1, 3), 4)):
        architecture = Architecture(widths)
        det.check_generic_targets(random_dataset(architecture, samples, 1), architecture)


def _layer_gradients(layers, whitened):
    """``W_{>i}^T (Wbar XX^T - YX^T) W_{<i}^T`` for every layer: the gradient of ``L`` written out."""
    G = det.loss_gradient(_product_of(layers), whitened)
    gradients = []
    for i in range(len(layers)):
        before, after = mpmath.eye(layers[0].cols), mpmath.eye(layers[i].rows)
        for W in layers[:i]:
            before = W * before
        for W in layers[i + 1:]:
            after = W * after
        gradients.append(after.T * G * before.T)
    return gradients


def _product_of(layers):
    product = mpmath.eye(layers[0].cols)
    for W in layers:
        product = W * product
    return product


@pytest.mark.parametrize("widths,samples,seed", [((2, 3, 2, 2), 2, 1), ((3, 1, 2, 3), 3, 2), ((2, 2, 3), 4, 3),
                                                 ((3, 2, 2, 2, 3), 3, 4)])
def test_a_balanced_factorization_of_every_U_I_is_a_critical_point_of_L(widths, samples, seed):
    architecture = Architecture(widths)
    data = random_dataset(architecture, samples, seed)
    with mpmath.workdps(50):
        whitened = det.whitening(data)
        for index_set in det.index_sets(whitened.q, architecture.rank_bound):
            W_I = whitened.product_of(index_set)
            layers = det.layers_of(architecture, det.balanced_factorization(architecture, W_I, len(index_set)))
            assert det.frobenius(_product_of(layers) - W_I) < mpmath.mpf(10) ** -45, index_set
            norms = [det.frobenius(W) for W in layers]
            assert max(norms) - min(norms) < mpmath.mpf(10) ** -45 * max(1, max(norms))  # balanced
            scale = max(1, det.frobenius(whitened.YXt)) * max(1, max(norms)) ** (len(layers) - 1)
            for gradient in _layer_gradients(layers, whitened):
                assert det.frobenius(gradient) < mpmath.mpf(10) ** -45 * scale, index_set
        # a matrix that is not critical on its stratum gives a point that is not critical either
        W = 2 * whitened.product_of((0,))
        layers = det.layers_of(architecture, det.balanced_factorization(architecture, W, 1))
        assert max(det.frobenius(g) for g in _layer_gradients(layers, whitened)) > mpmath.mpf(10) ** -3 * scale
        with pytest.raises(ValueError, match="rank"):
            det.balanced_factorization(architecture, W, architecture.rank_bound + 1)


def test_a_single_layer_is_the_product_itself():
    architecture = Architecture((3, 2))
    with mpmath.workdps(30):
        W = mpmath.matrix([[1, 2, 3], [4, 5, 6]])
        assert det.balanced_factorization(architecture, W, 2) == [1, 2, 3, 4, 5, 6]
