"""msolve's rational parametrization: every complex solution, and the count with no zero coordinate.

msolve (:mod:`algeo.verify.msolve`) describes the distinct solutions of a zero-dimensional
system over QQ by a square-free eliminating polynomial ``w(t)`` and, for each variable but
the last of its ordering, ``x_i = -v_i(t) / (c_i w'(t))``; the last variable is ``t`` itself,
or an added variable ``A`` (with ``linform . (x, A) = 0``) when no coordinate separates the
solutions. From it:

- :func:`complex_solutions`: every complex solution, as certified complex balls of the roots
  of ``w`` (python-flint's ``complex_roots``) pushed through the parametrization;
- :func:`nonzero_count`: ``N_C*``, the number of solutions with no zero coordinate, exactly:
  ``x_i`` vanishes at a root of ``w`` iff ``v_i`` does, so the solutions with a zero are the
  roots of ``lcm_i gcd(w, v_i)`` (and of ``t`` when ``t`` is a coordinate).

Checked on ``x^2 + y^2 = 5, xy = 2`` (separating variable ``y``) and ``x^2 = 2, y^2 = 3``
(an added variable): tests/verify/test_parametrization.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

__all__ = ["Parametrization", "complex_solutions", "nonzero_count"]


@dataclass(frozen=True)
class Parametrization:
    """The exact data of msolve's ``-P 1`` answer (integer coefficients, lowest degree first)."""

    order: tuple[str, ...]  # msolve's variables: the last is t (an input variable or an added one)
    eliminant: tuple[int, ...]  # w
    derivative: tuple[int, ...]  # w' as msolve printed it
    numerators: tuple[tuple[tuple[int, ...], int], ...]  # (v_i, c_i) for order[:-1]

    @property
    def degree(self) -> int:
        return len(self.eliminant) - 1


def _poly(coefficients):
    import flint

    return flint.fmpz_poly(list(coefficients))


def complex_solutions(parametrization: Parametrization, names: Sequence[str], *, bits: int = 256,
                      max_bits: int = 8192) -> list[tuple[complex, ...]]:
    """Every complex solution, coordinates in the order of ``names`` (doubles, relative error < 1e-20).

    The roots of ``w`` are certified balls; the coordinates are evaluated in ball arithmetic at
    ``bits`` bits, doubled until every ball is that tight (the coefficients run to thousands of
    digits, so cancellation costs precision). Raises ``ValueError`` beyond ``max_bits``.
    """
    while True:
        try:
            return _complex_solutions(parametrization, names, bits)
        except _TooWide as error:
            if 2 * bits > max_bits:
                raise ValueError(f"{error} at {bits} bits") from None
            bits *= 2


class _TooWide(ValueError):
    pass


def _complex_solutions(parametrization: Parametrization, names: Sequence[str], bits: int) -> list[tuple[complex, ...]]:
    import flint

    order = parametrization.order
    position = {name: k for k, name in enumerate(order)}
    if any(name not in position for name in names):
        raise ValueError(f"the parametrization's variables {order} do not cover {list(names)}")
    previous = flint.ctx.prec
    flint.ctx.prec = bits
    try:
        derivative = flint.acb_poly(list(parametrization.derivative))
        numerators = [(flint.acb_poly(list(v)), c) for v, c in parametrization.numerators]
        solutions = []
        for root, multiplicity in _poly(parametrization.eliminant).complex_roots():
            if multiplicity != 1:
                raise ValueError("the eliminating polynomial is not square-free")
            scale = derivative(root)
            values = [-(v(root)) / (c * scale) for v, c in numerators] + [root]
            point = []
            for name in names:
                value = values[position[name]]
                if value.rad() > 1e-20 * max(1.0, float(abs(value.mid()))):
                    raise _TooWide(f"coordinate {name} is known only to {float(value.rad()):.1e}")
                mid = value.mid()
                point.append(complex(float(mid.real), float(mid.imag)))
            solutions.append(tuple(point))
    finally:
        flint.ctx.prec = previous
    return solutions


def vanishing_degree(eliminant, numerators, order: Sequence[str], names: Sequence[str], polynomial) -> int:
    """Degree of ``lcm_i gcd(w, v_i)`` over the coordinates named in ``names`` (and of ``t`` when it is one).

    These are the roots of the eliminant ``w`` where some named coordinate ``-v_i(t) / w'(t)``
    vanishes. ``polynomial`` makes a polynomial of the same ring from coefficients, lowest
    degree first (``flint.fmpz_poly`` over QQ, an ``nmod_poly`` maker over ``ZZ/p``).
    """
    vanishing = polynomial([1])
    for name, v in zip(order[:-1], numerators):
        if name in names:
            common = eliminant.gcd(v)
            vanishing = vanishing * common // vanishing.gcd(common)
    if order[-1] in names:  # the eliminant's own unknown is a coordinate: its root t = 0
        common = eliminant.gcd(polynomial([0, 1]))
        vanishing = vanishing * common // vanishing.gcd(common)
    return vanishing.degree()


def nonzero_count(parametrization: Parametrization, names: Sequence[str]) -> int:
    """``N_C*``: distinct solutions whose coordinates named in ``names`` are all nonzero (exact)."""
    return parametrization.degree - vanishing_degree(
        _poly(parametrization.eliminant), [_poly(v) for v, _ in parametrization.numerators],
        parametrization.order, names, _poly)
