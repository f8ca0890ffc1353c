import numpy
import pytest

import algeo
from algeo.model.architecture import Architecture
from algeo.model.symmetry import missing_images, sign_flip_matrices


def test_sign_flips_leave_the_gradient_system_invariant():
    arch = Architecture((2, 2, 1, 2))
    system = algeo.build_system(arch, samples=2, seed=3)
    rng = numpy.random.default_rng(0)
    point = rng.normal(size=arch.n_parameters) + 1j * rng.normal(size=arch.n_parameters)
    group = sign_flip_matrices(arch)
    assert len(group) == 2 ** 3  # three hidden units
    values = numpy.array(system.polynomial_system.evaluate(list(point)))
    for signs in group:
        image = numpy.array(system.polynomial_system.evaluate(list(signs * point)))
        # the gradient transforms like the point: F(D x) = D F(x)
        assert numpy.allclose(image, signs * values, rtol=1e-12, atol=1e-12)


def test_missing_images_are_found_and_closed_sets_pass():
    arch = Architecture((1, 1, 1))
    point = numpy.array([0.5 + 0.25j, -2.0 + 1.0j])
    images = missing_images(arch, [point], 1e-8)
    assert len(images) == 3  # -x, conj(x), -conj(x)
    assert missing_images(arch, [point, *images], 1e-8) == []
    assert missing_images(arch, [], 1e-8) == []


@pytest.mark.phc
def test_a_solve_is_closed_under_the_group():
    result = algeo.solve("2,1,2", samples=2, seed=4)
    assert missing_images(Architecture((2, 1, 2)), [p.coordinates for p in result.points], 1e-8) == []