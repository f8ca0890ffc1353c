"""An interval proof that a real point is a strict, non-global local minimum of the exact loss.

Used by ``regularized-spurious-minima``. Three steps, all on the exact rational system
(coefficients enclosed by intervals, never rounded to points), in ``mpmath.iv``:

1. Krawczyk's test on the real box ``X = x~ + [-rho, rho]^N``:
   ``K = x~ - Y F(x~) + (I - Y DF(X)) (X - x~) ⊂ int X`` proves a unique zero of the gradient
   ``F`` in ``X`` (``Y`` ≈ ``DF(x~)^{-1}``, any matrix works). The box is real, so the zero is real.
2. The Hessian ``DF`` on all of ``X`` is positive definite: with ``M`` the symmetrized midpoint of
   the interval matrix ``DF(X)`` and ``E`` a bound on ``|A - M|`` for every symmetric ``A`` in it,
   ``lambda_min(A) >= lambda_min(M) - ||E||_2 >= lambda_min(M) - sum E_ij``; ``M - (sum E_ij) I ≻ 0``
   is decided exactly in rational arithmetic (all pivots of an exact LDL^T positive). So the zero
   in ``X`` is a strict local minimum.
3. Not global: the loss at some other rational point ``z`` (the global candidate), computed
   exactly, is below the interval lower bound of the loss on ``X``.

A failed step means "not proven", never "false".
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

import mpmath
from mpmath import iv
from mpmath.libmp import libmpf

from ..model.polynomial import Polynomial, PolynomialSystem

__all__ = ["prove_non_global_minimum", "exact_ldl_pivots"]


def exact_ldl_pivots(matrix: list[list[Fraction]]) -> list[Fraction]:
    """Pivots of symmetric Gaussian elimination in exact arithmetic (all > 0 iff positive definite).

    >>> exact_ldl_pivots([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(2)]])
    [Fraction(2, 1), Fraction(3, 2)]
    """
    a = [row[:] for row in matrix]
    n = len(a)
    pivots = []
    for k in range(n):
        pivot = a[k][k]
        pivots.append(pivot)
        if pivot <= 0:
            break
        for i in range(k + 1, n):
            factor = a[i][k] / pivot
            for j in range(k, n):
                a[i][j] -= factor * a[k][j]
    return pivots


def _enclose(value: Fraction):
    return iv.mpf(value.numerator) / value.denominator


def _endpoint(value, upper: bool) -> Fraction:
    """An endpoint of an ``iv`` interval exactly as a Fraction (raises on an infinite endpoint)."""
    raw = value._mpi_[1 if upper else 0]
    if raw in (libmpf.finf, libmpf.fninf, libmpf.fnan):
        raise OverflowError("infinite interval endpoint")
    numerator, denominator = libmpf.to_rational(raw)
    return Fraction(int(numerator), int(denominator))


def _loss_powers(point, degree, one):
    return [[one, *[x ** k for k in range(1, degree + 1)]] for x in point]


def prove_non_global_minimum(system: PolynomialSystem, loss: Polynomial, point: Sequence[Fraction],
                             other: Sequence[Fraction], *, radius: Fraction = Fraction(1, 10 ** 25),
                             digits: int = 60) -> dict:
    """Try steps 1-3 above; returns ``{"proven": bool, "step": ..., evidence}``."""
    saved = iv.dps
    iv.dps = digits
    try:
        return _prove(system, loss, point, other, radius, digits)
    except OverflowError as error:  # an infinite end point: the enclosure proves nothing
        return {"proven": False, "step": f"unbounded interval enclosure ({error})", "box_radius": str(radius),
                "interval_digits": digits}
    finally:
        iv.dps = saved


def _prove(system, loss, point, other, radius, digits) -> dict:
    n = len(point)
    with mpmath.workdps(digits):
        center = [iv.mpf(_enclose(x)) for x in point]
        box = [iv.mpf([_enclose(x - radius).a, _enclose(x + radius).b]) for x in point]
        interval = dict(coerce=_enclose, zero=iv.mpf(0), one=iv.mpf(1))
        values = system.evaluate(center, **interval)
        jacobian_box = system.evaluate_jacobian(box, **interval)
        approximate = mpmath.matrix([[mpmath.mpf(v.numerator) / v.denominator
                                      for v in row] for row in system.evaluate_jacobian(
                                          list(point), coerce=lambda c: c, zero=Fraction(0), one=Fraction(1))])
        Y = mpmath.inverse(approximate)
        Yi = [[iv.mpf(Y[i, j]) for j in range(n)] for i in range(n)]
        krawczyk = []
        for i in range(n):
            term = center[i] - sum((Yi[i][k] * values[k] for k in range(n)), iv.mpf(0))
            for j in range(n):
                coefficient = (iv.mpf(1) if i == j else iv.mpf(0)) - sum(
                    (Yi[i][k] * jacobian_box[k][j] for k in range(n)), iv.mpf(0))
                term += coefficient * (box[j] - center[j])
            krawczyk.append(term)
        inside = all(box[i].a < krawczyk[i].a and krawczyk[i].b < box[i].b for i in range(n))
        evidence = {"box_radius": str(radius), "interval_digits": digits, "krawczyk_inside": inside,
                    "krawczyk_width": float(max(_endpoint(k, True) - _endpoint(k, False) for k in krawczyk))}
        if not inside:
            return {"proven": False, "step": "Krawczyk test failed (no proof of a unique critical point)", **evidence}
        low = [[_endpoint(jacobian_box[i][j], False) for j in range(n)] for i in range(n)]
        high = [[_endpoint(jacobian_box[i][j], True) for j in range(n)] for i in range(n)]
        mid = [[(low[i][j] + high[i][j]) / 2 for j in range(n)] for i in range(n)]
        rad = [[(high[i][j] - low[i][j]) / 2 for j in range(n)] for i in range(n)]
        symmetric = [[(mid[i][j] + mid[j][i]) / 2 for j in range(n)] for i in range(n)]
        spread = sum(max(rad[i][j], rad[j][i]) + abs(mid[i][j] - mid[j][i]) / 2 for i in range(n) for j in range(n))
        shifted = [[symmetric[i][j] - (spread if i == j else 0) for j in range(n)] for i in range(n)]
        pivots = exact_ldl_pivots(shifted)
        definite = len(pivots) == n and all(p > 0 for p in pivots)
        evidence.update(hessian_spread_bound=float(spread), hessian_positive_definite_on_box=definite,
                        least_pivot=float(min(pivots)))
        if not definite:
            return {"proven": False, "step": "Hessian not proven positive definite on the box", **evidence}
        loss_box = loss.evaluate(_loss_powers(box, loss.degree, iv.mpf(1)), _enclose, iv.mpf(0))
        other_loss = loss.evaluate(_loss_powers(list(other), loss.degree, Fraction(1)), lambda c: c, Fraction(0))
        lower = _endpoint(loss_box, False)
        below = other_loss < lower
        evidence.update(loss_lower_bound_on_box=mpmath.nstr(mpmath.mpf(lower.numerator) / lower.denominator, 30),
                        loss_at_other_point_exact=mpmath.nstr(mpmath.mpf(other_loss.numerator) / other_loss.denominator, 30),
                        other_point_is_lower=below)
        if not below:
            return {"proven": False, "step": "the other point's loss is not below the box's loss", **evidence}
        return {"proven": True, "step": "all three steps proven", **evidence}
