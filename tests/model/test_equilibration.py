"""The exact input rescaling of the unregularized mode (algeo.model.equilibration)."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy
import pytest

from algeo.model.architecture import Architecture
from algeo.model.data import random_dataset
from algeo.model.data_laws import instance
from algeo.model.equilibration import equilibrate


def loss(architecture, dataset, point) -> float:
    point = numpy.asarray(point, dtype=float)
    product, start = None, 0
    for rows, cols in architecture.shapes:
        W = point[start: start + rows * cols].reshape(rows, cols)
        start += rows * cols
        product = W if product is None else W @ product
    X, Y = (numpy.array(M, dtype=float) for M in (dataset.X, dataset.Y))
    return 0.5 * float(numpy.sum((product @ X - Y) ** 2))


def test_the_random_law_is_left_alone_unless_its_inputs_are_ill_conditioned():
    for widths in ((3, 2, 3), (2, 2, 2, 3), (1, 1, 1)):
        architecture = Architecture(widths)
        for seed in (2, 3):
            assert equilibrate(architecture, random_dataset(architecture, architecture.input_width, seed)) is None
    # seed 1 of d_0 = m = 3: the pivots of X X^T span a factor 2^12.7 (its unregularized solves failed paths)
    architecture = Architecture((3, 2, 3))
    found = equilibrate(architecture, random_dataset(architecture, 3, 1))
    assert found is not None and found.c == 1


@pytest.mark.parametrize("widths", [(3, 2, 2), (2, 3, 2, 2), (3, 1, 3)])
def test_decimals_are_brought_to_unit_size_and_the_loss_maps_exactly(widths):
    architecture = Architecture(widths)
    m = architecture.input_width
    dataset, _ = instance(architecture, m, "decimals", 1)
    found = equilibrate(architecture, dataset)
    assert found is not None and found.c.denominator * found.c.numerator != 0
    X, Y = found.dataset.X, found.dataset.Y
    S = [[sum(a * b for a, b in zip(X[i], X[j])) for j in range(m)] for i in range(m)]
    assert all(S[i][j] == 0 for i in range(m) for j in range(m) if i != j)  # exactly diagonal
    assert all(Fraction(m, 12) <= S[i][i] <= Fraction(4 * m, 3) for i in range(m))  # within a factor 2 per row
    rms_y = (sum(float(v) ** 2 for row in Y for v in row) / len(Y)) ** 0.5
    assert 0.25 < rms_y / (m / 3) ** 0.5 < 4
    rng = numpy.random.default_rng(0)
    for _ in range(5):  # L'(W') = L(W) / c^2 with W = to_original(W'), at random W'
        prime = rng.standard_normal(architecture.n_parameters)
        with mpmath.workdps(30):
            exact = found.to_original(architecture, [mpmath.mpf(float(v)) for v in prime])
        original = numpy.array([float(mpmath.re(z)) for z in exact])
        assert loss(architecture, found.dataset, prime) == pytest.approx(
            loss(architecture, dataset, original) / float(found.c) ** 2, rel=1e-9)


def test_integers_far_from_unit_size_are_rescaled_too():
    architecture = Architecture((3, 2, 3))
    dataset, _ = instance(architecture, 3, "integers", 1)
    assert equilibrate(architecture, dataset) is not None
