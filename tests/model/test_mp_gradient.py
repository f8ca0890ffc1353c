"""The gradient from matrix products equals the expanded system, equation by equation, at 40 digits."""

import mpmath
import numpy
import pytest

import algeo
from algeo.model.mp_gradient import MatrixGradient
from algeo.verify.refine import mp_rational


@pytest.mark.parametrize("widths, samples, regularization", [
    ("2,3,3", 2, "none"), ("3,1,2,3", 3, "none"), ("2,2,2,3", 2, "generic"), ("3,2", 3, "generic"),
    ("2,1,1,1,2", 2, "none"), ("1,1", 1, "none"),
])
def test_matrix_gradient_is_the_expanded_system(widths, samples, regularization):
    system = algeo.build_system(widths, samples=samples, seed=1, regularization=regularization)
    gradient = MatrixGradient(system.architecture, system.dataset.X, system.dataset.Y, system.regularization.Lambda)
    rng = numpy.random.default_rng(0)
    n = system.polynomial_system.n_variables
    with mpmath.workdps(40):
        point = [mpmath.mpc(complex(z)) for z in 3 * (rng.standard_normal(n) + 1j * rng.standard_normal(n))]
        expanded = system.polynomial_system.evaluate(point, coerce=mp_rational, zero=mpmath.mpc(0), one=mpmath.mpc(1))
        products = gradient(point)
        scale = max(abs(v) for v in expanded)
        assert len(products) == len(expanded) == n
        assert max(abs(a - b) for a, b in zip(expanded, products)) <= mpmath.mpf(10) ** -36 * scale
    with mpmath.workdps(60):  # the data are rounded again at another precision
        assert max(abs(a - b) for a, b in zip(system.polynomial_system.evaluate(
            point, coerce=mp_rational, zero=mpmath.mpc(0), one=mpmath.mpc(1)), gradient(point))) <= \
            mpmath.mpf(10) ** -55 * scale


@pytest.mark.parametrize("widths, samples, regularization", [
    ("2,3,2,2", 2, "generic"), ("2,2,2,3", 2, "none"), ("3,2", 3, "generic"), ("1,1", 1, "none"),
])
def test_the_ball_version_is_the_expanded_system(widths, samples, regularization):
    flint = pytest.importorskip("flint")
    system = algeo.build_system(widths, samples=samples, seed=2, regularization=regularization)
    gradient = MatrixGradient(system.architecture, system.dataset.X, system.dataset.Y, system.regularization.Lambda)
    rng = numpy.random.default_rng(1)
    n = system.polynomial_system.n_variables
    start = 3 * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
    with mpmath.workdps(40), flint.ctx.workprec(160):
        point = [mpmath.mpc(complex(z)) for z in start]
        expanded = system.polynomial_system.evaluate(point, coerce=mp_rational, zero=mpmath.mpc(0), one=mpmath.mpc(1))
        balls = gradient.balls(flint)([flint.acb(z.real, z.imag) for z in start])
        scale = max(abs(v) for v in expanded)
        assert len(balls) == n
        for ball, value in zip(balls, expanded):
            difference = abs(mpmath.mpc(float(ball.real.mid()), float(ball.imag.mid())) - value)
            assert difference <= 1e-15 * scale  # doubles of the midpoints
            assert abs(mpmath.mpc(mpmath.mpf(ball.real.mid().str(45, radius=False)),
                                  mpmath.mpf(ball.imag.mid().str(45, radius=False))) - value) <= mpmath.mpf(10) ** -36 * scale
