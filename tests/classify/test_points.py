"""Classification helpers: the Hessian's inertia in double precision and its fallback."""

import mpmath
import numpy
import pytest

from algeo.classify.points import _double_inertia, has_zero_coordinate, hessian_inertia, max_imaginary


def test_double_precision_inertia_agrees_with_the_multiprecision_one_away_from_zero():
    rng = numpy.random.default_rng(3)
    q, _ = numpy.linalg.qr(rng.standard_normal((6, 6)))
    hessian = q @ numpy.diag([-3.0, -0.5, 0.25, 1.0, 2.0, 7.0]) @ q.T
    decided = _double_inertia(hessian.astype(complex))
    assert decided is not None
    values, negative, singular = decided
    with mpmath.workdps(40):
        exact = hessian_inertia(mpmath.matrix(hessian.tolist()), 1e-15)
    assert negative == exact[1] == 2 and singular is exact[2] is False
    assert numpy.allclose(values, [float(v) for v in exact[0]])


def test_an_eigenvalue_near_zero_is_left_to_the_multiprecision_computation():
    hessian = numpy.diag([1e-12, 1.0, 2.0]).astype(complex)  # within 1e-8 of zero: double precision cannot decide
    assert _double_inertia(hessian) is None
    assert _double_inertia(numpy.full((2, 2), numpy.nan, dtype=complex)) is None


def test_imaginary_parts_and_zero_coordinates_relative_to_the_point_size():
    with mpmath.workdps(40):
        point = [mpmath.mpc(3, mpmath.mpf("1e-30")), mpmath.mpc(mpmath.mpf("1e-20"), 0), mpmath.mpc(-2, 0)]
        assert max_imaginary(point) <= 1e-30
        zero, smallest = has_zero_coordinate(point, 1e-12)
        assert zero and abs(smallest - 1e-20 / 3) <= 1e-30
        assert max_imaginary([mpmath.mpc(0.5, 0.25)]) == 0.25  # scale max(1, |x|) = 1


def _cluster_by_every_pair(points, tolerance):
    """The reference: every point against every representative, every pair of representatives."""
    array = numpy.array(points, dtype=complex)
    scales = numpy.maximum(1.0, numpy.abs(array).max(axis=1))
    representatives, labels, inside = [], [], 0.0
    for i, x in enumerate(array):
        distances = numpy.abs(array[representatives] - x).max(axis=1) if representatives else numpy.zeros(0)
        hits = numpy.nonzero(distances <= tolerance * scales[i])[0]
        if hits.size:
            labels.append(int(hits[0]))
            inside = max(inside, float(distances[hits[0]] / scales[i]))
        else:
            labels.append(len(representatives))
            representatives.append(i)
    between = min((float(numpy.abs(array[b] - array[a]).max() / scales[a])
                   for k, a in enumerate(representatives) for b in representatives[k + 1:]), default=None)
    return labels, inside, between


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_clusters_and_their_evidence_are_those_of_comparing_every_pair(seed):
    """Near duplicates on both sides of the tolerance, magnitudes 1 and 100, more points than a block of pairs."""
    from algeo.classify.points import cluster_points

    rng = numpy.random.default_rng(seed)
    base = rng.standard_normal((400, 5)) + 1j * rng.standard_normal((400, 5))
    base[::5] *= 100
    points = []
    for _ in range(1100):
        x = base[rng.integers(len(base))]
        if rng.random() < 0.5:
            x = x + rng.choice([1e-12, 0.9e-8, 1.1e-8, 1e-3]) * max(1.0, numpy.abs(x).max()) \
                * numpy.exp(2j * numpy.pi * rng.random(5))
        points.append(x)
    labels, evidence = cluster_points(points, 1e-8)
    expected_labels, inside, between = _cluster_by_every_pair(points, 1e-8)
    assert labels == expected_labels
    assert evidence["largest_relative_distance_within_a_point"] == inside
    assert evidence["smallest_relative_distance_between_points"] == between


def test_clusters_of_points_alike_in_most_coordinates_are_those_of_comparing_every_pair():
    """The k-d tree searches on a few coordinates (_box_tree): points equal in all but one coordinate, and
    magnitudes 1e3 against a varying one near 1e-2, give it many candidates; the clusters must not change."""
    from algeo.classify.points import cluster_points

    rng = numpy.random.default_rng(3)
    common = 1e3 * (rng.standard_normal(6) + 1j * rng.standard_normal(6))
    points = []
    for k in range(600):
        x = common.copy()
        x[k % 6] += 1e-2 * (rng.standard_normal() + 1j * rng.standard_normal())
        points.append(x)
        if k % 3 == 0:
            points.append(x + rng.choice([1e-12, 0.9e-8, 1.1e-8]) * 1e3 * numpy.exp(2j * numpy.pi * rng.random(6)))
    labels, evidence = cluster_points(points, 1e-8)
    expected_labels, inside, between = _cluster_by_every_pair(points, 1e-8)
    assert labels == expected_labels
    assert evidence["largest_relative_distance_within_a_point"] == inside
    assert evidence["smallest_relative_distance_between_points"] == between


@pytest.mark.parametrize("planted, expected", [(3e-6, 3e-6), (None, None)])
def test_above_the_pairwise_limit_only_close_pairs_are_looked_for(monkeypatch, planted, expected):
    """Large sets: the exact minimum when it is below SEARCHED_BELOW, else None, and the evidence says so."""
    from algeo.classify import points as module

    monkeypatch.setattr(module, "PAIRWISE_UP_TO", 100)
    rng = numpy.random.default_rng(7)
    array = rng.standard_normal((400, 4)) + 1j * rng.standard_normal((400, 4))
    if planted is not None:
        array[10] = array[300] + planted * numpy.exp(1j * rng.random(4)) * numpy.array([1, 0.5, 0.2, 0.1])
    scales = numpy.maximum(1.0, numpy.abs(array).max(axis=1))
    found = module.smallest_relative_distance(array, scales)
    if expected is None:
        assert found is None
    else:
        reference = float(numpy.abs(array[300] - array[10]).max() / scales[10])
        assert found == reference and reference <= expected
    _, evidence = module.cluster_points(list(array), 1e-8)
    assert evidence["pairs_searched_below"] == module.SEARCHED_BELOW
