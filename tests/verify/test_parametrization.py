"""msolve's rational parametrization: every complex solution, and N_C* exactly."""

from __future__ import annotations

import pytest
import sympy

import algeo
from algeo.model.polynomial import Polynomial, PolynomialSystem
from algeo.verify.msolve import msolve_counts
from algeo.verify.parametrization import Parametrization, complex_solutions, nonzero_count

pytestmark = pytest.mark.msolve
x, y = sympy.symbols("x y")


def _solve(equations):
    system = PolynomialSystem.from_polynomials(tuple(Polynomial.from_sympy(e, [x, y]) for e in equations))
    counts = msolve_counts(system, ["x", "y"], timeout=60)
    return counts, complex_solutions(counts.parametrization, ["x", "y"])


@pytest.mark.parametrize("equations, expected, nonzero", [
    ([x**2 + y**2 - 5, x * y - 2], {(1, 2), (2, 1), (-1, -2), (-2, -1)}, 4),   # y separates
    ([x**2 - 2 * x, y**2 + 1 - x], {(0, 1j), (0, -1j), (2, 1), (2, -1)}, 2),   # two with x = 0
])
def test_every_solution_and_the_nonzero_count(equations, expected, nonzero):
    counts, solutions = _solve(equations)
    assert counts.complex == len(solutions) == len(expected)
    found = {(complex(round(a.real, 12), round(a.imag, 12)), complex(round(b.real, 12), round(b.imag, 12)))
             for a, b in solutions}
    assert found == {(complex(a), complex(b)) for a, b in expected}
    assert nonzero_count(counts.parametrization, ["x", "y"]) == nonzero


def test_an_added_separating_variable_is_handled():
    counts, solutions = _solve([x**2 - 2, y**2 - 3])   # no coordinate separates: msolve adds one
    assert len(counts.parametrization.order) == 3
    assert sorted((round(a.real, 12), round(b.real, 12)) for a, b in solutions) == sorted(
        (round(s * 2 ** 0.5, 12), round(t * 3 ** 0.5, 12)) for s in (1, -1) for t in (1, -1))


def test_network_system_matches_the_numerical_counts():
    system = algeo.build_system("1,2,2,1", samples=1, seed=7)
    counts = msolve_counts(system.polynomial_system, system.variable_names, timeout=120)
    solutions = complex_solutions(counts.parametrization, system.variable_names)
    assert counts.complex == len(solutions) == 129      # Table 3.2
    assert nonzero_count(counts.parametrization, system.variable_names) == 64
    worst = max(max(abs(v) for v in system.polynomial_system.evaluate(list(p))) for p in solutions)
    assert worst < 1e-8


def test_a_root_known_too_coarsely_is_refused():
    wide = Parametrization(("x",), (-2, 0, 1), (0, 2), ())
    with pytest.raises(ValueError, match="known only to"):
        complex_solutions(wide, ["x"], bits=8, max_bits=8)
