"""Independent exact counts (Singular over QQ, same rational data) against PHCpack's N_C and N_C*."""

import pytest

import algeo
from algeo.verify.exact import singular_counts

pytestmark = [pytest.mark.phc, pytest.mark.singular]


@pytest.mark.parametrize("widths, samples, seed", [
    ("1,1,1", 1, 11), ("1,1,1", 2, 12), ("2,1,2", 1, 13), ("2,1,2", 2, 14), ("1,2,1", 1, 15),
    ("1,1,1,1", 1, 16), ("2,2,2", 1, 17),
])
def test_singular_agrees_with_homotopy_counts(widths, samples, seed):
    result = algeo.solve(widths, samples=samples, seed=seed)
    system = algeo.build_system(widths, samples=samples, seed=seed)
    exact = singular_counts(system.polynomial_system, system.variable_names, timeout=300)
    assert (result.counts.complex, result.counts.nonzero) == (exact.complex, exact.nonzero)
    assert result.counts.singular == 0  # generic data: every solution regular, so vdim counts distinct points


def test_sympy_groebner_on_a_tiny_case():
    import sympy

    system = algeo.build_system("1,1,1", samples=1, seed=21)
    basis = sympy.groebner(system.equations, *system.variables, order="lex")
    univariate = basis.exprs[-1]
    assert sympy.Poly(univariate, system.variables[-1]).degree() == 5


def test_a_slow_exact_count_is_a_clear_error():
    from algeo.exceptions import BudgetExceededError

    system = algeo.build_system("2,2,2", samples=2, seed=7)
    with pytest.raises(BudgetExceededError, match="did not finish"):
        singular_counts(system.polynomial_system, system.variable_names, timeout=0.5)


@pytest.mark.parametrize("widths, samples, seed", [("2,1,2", 1, 13), ("2,2,2", 1, 17), ("1,2,1", 2, 5)])
def test_modular_count_agrees_with_the_count_over_qq(widths, samples, seed):
    from algeo.verify.exact import DEFAULT_PRIME, instance_counts

    system = algeo.build_system(widths, samples=samples, seed=seed)
    over_q = singular_counts(system.polynomial_system, system.variable_names, timeout=300)
    mod_p = instance_counts(widths.split(","), samples, seed, timeout=300)  # the same instance, mod p
    assert (mod_p.complex, mod_p.nonzero) == (over_q.complex, over_q.nonzero)
    assert mod_p.characteristic == DEFAULT_PRIME and mod_p.to_json()["field"] == f"ZZ/{DEFAULT_PRIME}"


def test_a_characteristic_that_is_not_a_usable_prime_is_refused():
    from algeo.exceptions import InputError

    system = algeo.build_system("1,1,1", samples=1, seed=0)
    with pytest.raises(InputError, match="not a prime"):
        singular_counts(system.polynomial_system, system.variable_names, characteristic=32004)
    with pytest.raises(InputError, match="divides a denominator"):
        singular_counts(system.polynomial_system, system.variable_names, characteristic=5)
