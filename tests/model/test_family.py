"""The lifted family: linear in (X, Y, Lambda), and equal to the gradient system when Z = Wbar X - Y."""

import json

import numpy
import pytest

from algeo.model.architecture import Architecture
from algeo.model.data import generic_regularization, random_dataset, scalar_regularization
from algeo.exceptions import InputError
from algeo.model.family import GramFamily, ParameterFamily, family_mode, tracking_family
from algeo.startsets.store import StartSet, load_start_set, start_set_path
from algeo.model.system import build_system


@pytest.mark.parametrize("widths, samples", [((1, 1, 1), 1), ((2, 1, 2), 1), ((2, 2, 2), 2), ((1, 2, 1, 1), 3)])
def test_lifted_system_is_the_gradient_when_z_is_the_residual(widths, samples):
    architecture = Architecture(widths)
    dataset = random_dataset(architecture, samples, seed=5)
    regularization = generic_regularization(architecture, seed=5)
    family = ParameterFamily(architecture, samples)
    parameters = family.parameters_of(dataset, regularization)
    gradient = build_system(architecture, dataset, regularization).polynomial_system
    rng = numpy.random.default_rng(0)
    weights = rng.standard_normal(architecture.n_parameters) + 1j * rng.standard_normal(architecture.n_parameters)
    lifted = family.evaluate(parameters, family.lift(weights, parameters))
    n_residuals = len(family.residual_names)
    assert numpy.abs(lifted[:n_residuals]).max() < 1e-12
    expected = numpy.array(gradient.evaluate(list(weights)), dtype=complex)
    assert numpy.allclose(lifted[n_residuals:], expected, rtol=1e-12, atol=1e-12)


def test_family_is_affine_in_the_parameters():
    family = ParameterFamily(Architecture((2, 2, 2)), 2)
    p0, p1 = family.random_parameters(1), family.random_parameters(2)
    point = family.random_parameters(3)[: len(family.variable_names)]
    a, b = 0.3 - 0.7j, 1.1 + 0.2j
    left = a * family.evaluate(p0, point) + b * family.evaluate(p1, point)
    right = (a + b) * family.evaluate((a * p0 + b * p1) / (a + b), point)
    assert numpy.allclose(left, right, rtol=1e-12, atol=1e-12)


def test_key_depends_on_the_system():
    keys = {ParameterFamily(Architecture(w), m).key for w, m in [((2, 2, 2), 1), ((2, 2, 2), 2), ((2, 1, 2), 1)]}
    assert len(keys) == 3
    assert ParameterFamily(Architecture((2, 2, 2)), 1).key == ParameterFamily(Architecture((2, 2, 2)), 1).key


def test_scalar_regularization_has_no_family():
    with pytest.raises(InputError, match="regularization"):
        family_mode(scalar_regularization(Architecture((1, 1, 1)), 1))


def test_a_start_set_of_another_system_is_refused(tmp_path):
    family = ParameterFamily(Architecture((1, 1, 1)), 1)
    other = ParameterFamily(Architecture((1, 1, 1)), 2)
    fake = StartSet(other.key, (1, 1, 1), 2, "entrywise", tuple(other.random_parameters(0)),
                    ((0j,) * len(other.variable_names),), {}, {"seed": 0})
    path = start_set_path(family, tmp_path)  # the file name of family's set, the content of other's
    path.write_text(json.dumps(fake.to_json()))
    assert load_start_set(family, path) is None
    assert load_start_set(other, path) is not None


@pytest.mark.parametrize("widths, samples", [((1, 1, 1), 1), ((2, 2, 2), 2), ((2, 1, 2), 3), ((1, 2, 1, 1), 2)])
def test_gram_system_is_the_gradient_system(widths, samples):
    architecture = Architecture(widths)
    dataset = random_dataset(architecture, samples, seed=6)
    regularization = generic_regularization(architecture, seed=6)
    family = GramFamily(architecture, samples)
    assert tracking_family(architecture, samples) == family
    parameters = family.parameters_of(dataset, regularization)
    gradient = build_system(architecture, dataset, regularization).polynomial_system
    rng = numpy.random.default_rng(1)
    weights = rng.standard_normal(architecture.n_parameters) + 1j * rng.standard_normal(architecture.n_parameters)
    expected = numpy.array(gradient.evaluate(list(weights)), dtype=complex)
    assert numpy.allclose(family.evaluate(parameters, family.lift(weights, parameters)), expected, rtol=1e-11,
                          atol=1e-11)


def test_tracking_family_is_lifted_when_there_are_fewer_samples_than_inputs():
    assert isinstance(tracking_family(Architecture((2, 2, 2)), 1), ParameterFamily)
    gram, lifted = GramFamily(Architecture((2, 2, 2)), 2), ParameterFamily(Architecture((2, 2, 2)), 2)
    assert gram.key != lifted.key and len(gram.variable_names) == 8 < len(lifted.variable_names) == 12
