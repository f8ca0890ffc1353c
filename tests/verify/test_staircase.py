"""The degree of a zero-dimensional ideal from its leading monomials (algeo.verify.staircase)."""

from __future__ import annotations

import itertools

import pytest

from algeo.verify.staircase import read_leading_ideal, standard_monomial_count


def brute_force(leading, bound):
    """Monomials with every exponent below ``bound`` that no generator divides."""
    n = len(leading[0])
    return sum(1 for m in itertools.product(range(bound), repeat=n)
               if not any(all(a <= b for a, b in zip(g, m)) for g in leading))


@pytest.mark.parametrize("leading, expected", [
    ([(2, 0), (0, 3)], 6),                 # <x^2, y^3>: x^i y^j, i < 2, j < 3
    ([(2, 0), (1, 1), (0, 2)], 3),         # <x, y>^2: 1, x, y
    ([(1, 0, 0), (0, 1, 0), (0, 0, 4)], 4),
    ([(1,)], 1),
])
def test_known_staircases(leading, expected):
    assert standard_monomial_count(leading) == expected


def test_positive_dimensional_is_none():
    assert standard_monomial_count([(2, 0)]) is None          # y^k for every k
    assert standard_monomial_count([(1, 0, 0), (0, 1, 0)]) is None
    assert standard_monomial_count([]) is None


def test_against_brute_force_on_random_zero_dimensional_ideals():
    import random

    rng = random.Random(3)
    for _ in range(40):
        n = rng.randint(2, 4)
        pure = [tuple(rng.randint(1, 4) if i == j else 0 for i in range(n)) for j in range(n)]
        mixed = [tuple(rng.randint(0, 3) for _ in range(n)) for _ in range(rng.randint(0, 6))]
        leading = pure + [m for m in mixed if any(m)]
        assert standard_monomial_count(leading) == brute_force(leading, 5)


def test_reads_msolve_leading_ideal_output():
    text = ("#Leading ideal data\n#---\n#field characteristic: 1073741827\n#variable order:       x, y\n"
            "#monomial order:       graded reverse lexicographical\n#---\n[x^1*y^1,\nx^2,\ny^3]:\n")
    names, leading = read_leading_ideal(text)
    assert names == ("x", "y") and leading == [(1, 1), (2, 0), (0, 3)]
    assert standard_monomial_count(leading) == 4  # 1, x, y, y^2
    with pytest.raises(ValueError):
        read_leading_ideal("[-1]:")
