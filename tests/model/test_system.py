import pytest
import sympy

from algeo.model.architecture import Architecture
from algeo.model.data import generic_regularization, random_dataset
from algeo.model.system import build_system


@pytest.mark.parametrize("widths, samples", [((1, 1, 1), 1), ((2, 1, 2), 2), ((2, 2, 2), 3), ((1, 2, 1, 2), 2),
                                             ((3, 2), 2)])
def test_closed_form_gradient_equals_sympy_differentiation(widths, samples):
    arch = Architecture(widths)
    system = build_system(arch, random_dataset(arch, samples, seed=5), generic_regularization(arch, seed=5))
    assert len(system.equations) == arch.n_parameters
    for variable, equation in zip(system.variables, system.equations):
        assert sympy.expand(sympy.diff(system.loss, variable) - equation) == 0


def test_loss_matches_the_definition_at_a_rational_point():
    arch = Architecture((2, 1, 2))
    data, reg = random_dataset(arch, 2, seed=1), generic_regularization(arch, seed=1)
    system = build_system(arch, data, reg)
    point = [sympy.Rational(k, 7) for k in (1, -2, 3, 5)]
    W1 = sympy.Matrix([[point[0], point[1]]])
    W2 = sympy.Matrix([[point[2]], [point[3]]])
    exact = lambda f: sympy.Rational(f.numerator, f.denominator)
    X = sympy.Matrix(data.X).applyfunc(exact)
    Y = sympy.Matrix(data.Y).applyfunc(exact)
    residual = W2 * W1 * X - Y
    lam = [exact(e) for m in reg.Lambda for row in m for e in row]
    expected = sum(e**2 for e in residual) / 2 + sum(l * w**2 for l, w in zip(lam, point)) / 2
    assert system.loss.subs(dict(zip(system.variables, point))) == expected


def test_degrees_and_exact_polynomials():
    arch = Architecture((2, 2, 1, 2))
    system = build_system(arch, random_dataset(arch, 1, seed=2), generic_regularization(arch, seed=2))
    polys = system.polynomial_system
    assert {p.degree for p in polys.polynomials} == {arch.equation_degree}
    point = [complex(k % 3 - 1, k % 2) for k in range(arch.n_parameters)]
    values = polys.evaluate(point)
    expected = [complex(e.subs(dict(zip(system.variables, point)))) for e in system.equations]
    assert all(abs(a - b) < 1e-9 * max(1, abs(b)) for a, b in zip(values, expected))
