"""The closed-form batched evaluator against the Gram family's sparse terms and finite differences."""

import numpy
import pytest

from algeo.model.architecture import Architecture
from algeo.model.family import GramFamily
from algeo._jit import JIT_VARIABLE, jit_enabled
from algeo.model.gram_eval import GramEvaluator


@pytest.fixture(params=["compiled", "numpy"])
def kernels(request, monkeypatch):
    """Each test twice: with the compiled kernels (algeo.model.gram_jit) and with the numpy code."""
    monkeypatch.setenv(JIT_VARIABLE, "1" if request.param == "compiled" else "0")
    if request.param == "compiled" and not jit_enabled():
        pytest.skip("numba is not importable")
    return request.param


def _check_value_and_jacobian(family, evaluator, points: int) -> None:
    """The value against the family's sparse terms, the Jacobian against central differences (error O(h^2))."""
    parameters = family.random_parameters(3)
    assert (len(parameters), len(family.variable_names)) == (evaluator.n_parameters, evaluator.n)
    rng = numpy.random.default_rng(1)
    x = rng.standard_normal((points, evaluator.n)) + 1j * rng.standard_normal((points, evaluator.n))
    value, jacobian = evaluator.value_and_jacobian(x, parameters)
    expected = numpy.array([family.evaluate(parameters, point) for point in x])
    assert numpy.abs(value - expected).max() <= 1e-12 * max(1.0, numpy.abs(expected).max())
    h = 1e-6
    for j in range(evaluator.n):
        direction = numpy.zeros(evaluator.n)
        direction[j] = h
        numeric = (evaluator.value(x + direction, parameters) - evaluator.value(x - direction, parameters)) / (2 * h)
        assert numpy.abs(numeric - jacobian[:, :, j]).max() <= 1e-6 * max(1.0, numpy.abs(jacobian).max())


@pytest.mark.parametrize("widths", [(1, 1, 1), (2, 2, 2), (3, 2, 3), (2, 3, 2, 2), (3, 1, 2, 3), (1, 2, 2, 2, 1)])
def test_value_matches_the_family_terms_and_the_jacobian_matches_finite_differences(widths, kernels):
    architecture = Architecture(widths)
    _check_value_and_jacobian(GramFamily(architecture, widths[0]), GramEvaluator(architecture), 5)


def test_one_parameter_vector_per_point_and_linearity_in_the_parameters(kernels):
    architecture = Architecture((2, 2, 2))
    family = GramFamily(architecture, 2)
    evaluator = GramEvaluator(architecture)
    p, q = family.random_parameters(1), family.random_parameters(2)
    x = numpy.random.default_rng(0).standard_normal((2, evaluator.n)) + 0j
    both = evaluator.value(x, numpy.array([p, q]))
    assert numpy.allclose(both[0], evaluator.value(x[:1], p)[0])
    assert numpy.allclose(both[1], evaluator.value(x[1:], q)[0])
    # no term is free of the parameters: G(x; a p + b q) = a G(x; p) + b G(x; q)
    combined = evaluator.value(x, 2 * p - 3j * q)
    assert numpy.allclose(combined, 2 * evaluator.value(x, p) - 3j * evaluator.value(x, q))


@pytest.mark.parametrize("widths,samples", [((2, 2, 2), 1), ((2, 2, 2, 2), 1), ((3, 2, 3), 2), ((3, 1, 2, 3), 1)])
def test_lifted_evaluator_matches_the_lifted_family_and_differences(widths, samples):
    from algeo.model.family import ParameterFamily
    from algeo.model.gram_eval import LiftedEvaluator

    architecture = Architecture(widths)
    family = ParameterFamily(architecture, samples)
    evaluator = LiftedEvaluator(architecture, samples)
    _check_value_and_jacobian(family, evaluator, 4)
    parameters = family.random_parameters(3)
    rng = numpy.random.default_rng(1)
    x = rng.standard_normal((4, evaluator.n)) + 1j * rng.standard_normal((4, evaluator.n))
    h = 1e-6
    # affine in the parameters: the derivative along dp is F(x; dp) - F(x; 0), checked by differences
    dp = family.random_parameters(5)
    numeric = (evaluator.value(x, parameters + h * dp) - evaluator.value(x, parameters - h * dp)) / (2 * h)
    assert numpy.abs(evaluator.parameter_derivative(x, parameters, dp) - numeric).max() <= 1e-6 * max(
        1.0, numpy.abs(numeric).max())


@pytest.mark.parametrize("widths", [(2, 2, 2), (2, 3, 2, 2), (1, 2, 2, 2, 1)])
def test_compiled_and_numpy_evaluators_agree(widths, monkeypatch):
    """The compiled kernel against the numpy code, on one parameter vector per point and one for all."""
    if not jit_enabled():
        pytest.skip("numba is not importable")
    architecture = Architecture(widths)
    evaluator = GramEvaluator(architecture)
    rng = numpy.random.default_rng(4)
    x = rng.standard_normal((50, evaluator.n)) + 1j * rng.standard_normal((50, evaluator.n))
    for p in (rng.standard_normal((50, evaluator.n_parameters)) + 1j * rng.standard_normal((50, evaluator.n_parameters)),
              rng.standard_normal(evaluator.n_parameters) + 0j):
        value, jacobian = evaluator.value_and_jacobian(x, p)
        monkeypatch.setenv(JIT_VARIABLE, "0")
        value0, jacobian0 = evaluator.value_and_jacobian(x, p)
        monkeypatch.setenv(JIT_VARIABLE, "1")
        assert numpy.abs(value - value0).max() <= 1e-12 * numpy.abs(value0).max()
        assert numpy.abs(jacobian - jacobian0).max() <= 1e-12 * numpy.abs(jacobian0).max()


def test_solve_jacobian_is_the_newton_step_and_the_velocity(kernels):
    """``solve_jacobian(x, p)`` = J(x; p)^{-1} G(x; p); with ``q``: J(x; p)^{-1} G(x; q); a singular
    Jacobian (W = 0 with Lambda = 0 and T = 0: G vanishes to second order) and a nan point come back flagged."""
    architecture = Architecture((2, 3, 2, 2))
    evaluator = GramEvaluator(architecture)
    rng = numpy.random.default_rng(5)
    x = rng.standard_normal((30, evaluator.n)) + 1j * rng.standard_normal((30, evaluator.n))
    p = rng.standard_normal((30, evaluator.n_parameters)) + 0j
    q = rng.standard_normal(evaluator.n_parameters) + 1j * rng.standard_normal(evaluator.n_parameters)
    value, jacobian = evaluator.value_and_jacobian(x, p)
    step, ok = evaluator.solve_jacobian(x, p)
    assert ok.all()
    assert numpy.abs(numpy.einsum("bij,bj->bi", jacobian, step) - value).max() <= 1e-10 * numpy.abs(value).max()
    velocity, ok = evaluator.solve_jacobian(x, p, q)
    assert ok.all()
    expected = evaluator.value(x, q)
    assert numpy.abs(numpy.einsum("bij,bj->bi", jacobian, velocity) - expected).max() <= 1e-10 * numpy.abs(
        expected).max()
    x[3] = 0
    p[3, -evaluator.n:] = 0  # no Lambda: the Jacobian at W = 0 is the zero matrix
    x[7, 2] = numpy.nan
    step, ok = evaluator.solve_jacobian(x, p)
    assert not ok[3] and not ok[7] and ok[[0, 1, 2, 4, 5, 6]].all()
    assert numpy.isnan(step[3]).all() and numpy.isnan(step[7]).all()
