"""The quadratic loss ``l(W) = 1/2 ||W X - Y||^2`` on rank strata: Eckart-Young, computed two ways.

REFERENCE.md section 4. With ``XX^T`` invertible, ``l(W) = 1/2 ||P - U||^2 + const`` for
``P = W (XX^T)^{1/2}`` and ``U = YX^T (XX^T)^{-1/2}``; the squares of the singular values of
``U`` are the eigenvalues of ``Sigma = YX^T (XX^T)^{-1} X Y^T``.

This module provides the pieces the ``ed-degree`` and ``critical-values`` checks compare:

- exact: ``Sigma`` over QQ, its characteristic polynomial, its nonzero eigenvalues as
  sympy ``CRootOf`` algebraic numbers, and the genericity hypothesis
  ``sigma_1 > ... > sigma_q > 0`` decided exactly (squarefree polynomial, ``q`` positive roots);
- by SVD at high precision (mpmath): the ``C(q, e)`` matrices ``W_I = U_I (XX^T)^{-1/2}``;
- independently of both, by homotopy continuation: the critical points of ``l`` restricted
  to the rank-``e`` matrices, from the critical equations of ``l(A B^T)`` in the chart where
  the factor on the smaller side has the identity on top (``B = [I_e; B']`` when
  ``d_y >= d_x``, else ``A = [I_e; A']``): ``e (d_x + d_y - e)`` unknowns (the dimension of
  the stratum), rational coefficients, solved by PHCpack's blackbox and refined by Newton's
  method on the exact system. A critical point on the stratum outside this chart would be
  missed; for generic data none is (the check reports how many solutions it found).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy

from .. import phc
from ..classify.points import cluster_points, max_imaginary
from ..model.data import Dataset
from ..model.polynomial import Polynomial, PolynomialSystem
from ..verify.refine import mp_rational, refine_point
from ..results.solve_result import PathStatus

__all__ = ["exact_moments", "sigma_spectrum", "SigmaSpectrum", "eckart_young_points", "StratumPoint",
           "StratumSolution", "solve_stratum", "formula_value"]

#: singular values of W at most this (relative) are zero; at least NONZERO_SINGULAR are nonzero
ZERO_SINGULAR = mpmath.mpf("1e-25")
NONZERO_SINGULAR = mpmath.mpf("1e-8")


def _matrix(rows) -> sympy.Matrix:
    return sympy.Matrix([[sympy.Rational(v.numerator, v.denominator) for v in row] for row in rows])


def exact_moments(dataset: Dataset) -> tuple[sympy.Matrix, sympy.Matrix, sympy.Matrix]:
    """``XX^T``, ``YX^T`` and ``YY^T`` over QQ."""
    X, Y = _matrix(dataset.X), _matrix(dataset.Y)
    return X * X.T, Y * X.T, Y * Y.T


@dataclass(frozen=True)
class SigmaSpectrum:
    """``Sigma`` exactly, and its ``q`` nonzero eigenvalues as algebraic numbers (descending)."""

    sigma: sympy.Matrix
    trace_YYt: sympy.Rational
    characteristic_polynomial: sympy.Poly
    eigenvalues: tuple  # CRootOf (or Rational), descending
    generic: bool  # q distinct positive eigenvalues, decided exactly
    reason: str


def sigma_spectrum(dataset: Dataset, q: int) -> SigmaSpectrum:
    """Exact ``Sigma = YX^T (XX^T)^{-1} XY^T`` and its nonzero eigenvalues (needs ``XX^T`` invertible)."""
    XXt, YXt, YYt = exact_moments(dataset)
    sigma = YXt * XXt.inv() * YXt.T
    x = sympy.Symbol("x")
    characteristic = sympy.Poly(sigma.charpoly(x).as_expr(), x, domain="QQ")
    zero_roots = sigma.rows - q
    divisor = sympy.Poly(x ** zero_roots, x, domain="QQ")
    core, remainder = sympy.div(characteristic, divisor)
    reason = ""
    generic = True
    if not remainder.is_zero:
        generic, reason = False, f"Sigma has fewer than {zero_roots} zero eigenvalues"
    elif core.eval(0) == 0:
        generic, reason = False, f"Sigma has rank < q = {q}"
    elif sympy.degree(sympy.gcd(core, core.diff(x))) > 0:
        generic, reason = False, "Sigma has a repeated eigenvalue"
    roots = tuple(sorted(core.real_roots(), key=lambda r: r.evalf(50), reverse=True)) if generic else ()
    if generic and (len(roots) != q or any(r.evalf(50) <= 0 for r in roots)):
        generic, reason = False, "Sigma's nonzero eigenvalues are not q positive reals"
    return SigmaSpectrum(sigma, YYt.trace(), characteristic, roots, generic, reason)


def formula_value(spectrum: SigmaSpectrum, subset, *, offset=0) -> sympy.Expr:
    """Zhou & Liang's value ``1/2 (tr YY^T + offset - sum_{i in S} lambda_i(Sigma))`` (exact; offset for tests)."""
    return (spectrum.trace_YYt + offset - sum((spectrum.eigenvalues[i] for i in subset), sympy.Integer(0))) / 2


def eckart_young_points(dataset: Dataset, rank: int, digits: int) -> dict[tuple[int, ...], mpmath.matrix]:
    """``W_I = U_I (XX^T)^{-1/2}`` for every ``|I| = rank`` (0-based, singular values descending), by SVD."""
    with mpmath.workdps(digits):
        XXt, YXt, _ = exact_moments(dataset)
        to_mp = lambda M: mpmath.matrix([[mp_rational(Fraction(int(v.p), int(v.q))) for v in M.row(i)]
                                         for i in range(M.rows)])
        values, vectors = mpmath.eigsy(to_mp(XXt))
        inverse_root = vectors * mpmath.diag([1 / mpmath.sqrt(v) for v in values]) * vectors.T
        U = to_mp(YXt) * inverse_root
        left, singular, right = mpmath.svd_r(U)
        q = min(U.rows, U.cols)
        points = {}
        for subset in itertools.combinations(range(q), rank):
            U_I = mpmath.zeros(U.rows, U.cols)
            for i in subset:
                U_I += singular[i] * left[:, i] * right[i, :]
            points[subset] = U_I * inverse_root
        return points


@dataclass(frozen=True)
class StratumPoint:
    """A distinct critical point of ``l(A B^T)`` in the chart, as the matrix ``W = A B^T``."""

    W: mpmath.matrix  # mpc entries at the working precision
    is_real: bool
    rank: int | None  # None when the singular-value gap is not clear
    singular_values: tuple
    residual: float
    converged: bool
    loss: object  # mpc


@dataclass(frozen=True)
class StratumSolution:
    """What homotopy continuation found on the rank-``e`` stratum, with its path accounting."""

    rank: int
    unknowns: int
    points: tuple[StratumPoint, ...]
    paths: int
    statuses: dict
    stable_mixed_volume: int | None
    backend_ok: bool
    backend_detail: str
    system: PolynomialSystem  # the chart's exact critical equations (for an exact Groebner count)
    names: tuple[str, ...]


def _chart(dataset: Dataset, e: int):
    dx, dy = len(dataset.X), len(dataset.Y)
    names, A, B = [], [], []
    normalize_B = dy >= dx
    for i in range(dy):
        row = []
        for j in range(e):
            if not normalize_B and i < e:
                row.append(sympy.Integer(1 if i == j else 0))
            else:
                row.append(sympy.Symbol(f"a{i + 1}_{j + 1}"))
                names.append(row[-1])
        A.append(row)
    for i in range(dx):
        row = []
        for j in range(e):
            if normalize_B and i < e:
                row.append(sympy.Integer(1 if i == j else 0))
            else:
                row.append(sympy.Symbol(f"b{i + 1}_{j + 1}"))
                names.append(row[-1])
        B.append(row)
    return sympy.Matrix(A) * sympy.Matrix(B).T, tuple(names)


def solve_stratum(dataset: Dataset, e: int, *, seed: int, digits: int, backend: str = "auto",
                  timeout: float = 600.0) -> StratumSolution:
    """All critical points of ``l`` on the rank-``e`` matrices in the chart, by PHCpack + exact Newton."""
    XXt, YXt, YYt = exact_moments(dataset)
    W, variables = _chart(dataset, e)
    loss = sympy.expand((W * XXt * W.T).trace() / 2 - (W * YXt.T).trace() + YYt.trace() / 2)
    gradient = [sympy.expand(sympy.diff(loss, v)) for v in variables]
    system = PolynomialSystem.from_polynomials([Polynomial.from_sympy(g, variables) for g in gradient])
    names = [str(v) for v in variables]
    volumes = phc.mixed_volumes(system, names)
    run = phc.blackbox_solve(system, names, seed=seed, backend=backend, timeout=timeout,
                             expected_paths=volumes.get("stable_mixed_volume"))
    statuses = [raw.status for raw in run.paths]
    tally = {s.value: statuses.count(s) for s in PathStatus}
    finite = [raw for raw, s in zip(run.paths, statuses) if s in (PathStatus.REGULAR, PathStatus.SINGULAR)]
    loss_polynomial = Polynomial.from_sympy(loss, variables)
    W_function = sympy.lambdify(variables, W, modules="mpmath")
    points = []
    with mpmath.workdps(digits):
        refined = [refine_point(system, raw.coordinates, digits=digits) for raw in finite]
        labels, _ = cluster_points([r.point for r in refined], 1e-8)
        for label in sorted(set(labels)):
            members = [k for k, l in enumerate(labels) if l == label]
            refinement = min((refined[k] for k in members), key=lambda r: r.residual)
            real = max_imaginary(refinement.point) <= 1e-12
            if real:
                again = refine_point(system, [complex(z.real) for z in refinement.point], digits=digits, real=True)
                if again.converged:
                    refinement = again
            matrix = mpmath.matrix(W_function(*refinement.point))
            singular = mpmath.svd_c(mpmath.matrix(matrix), compute_uv=False)
            values = sorted((abs(singular[i]) for i in range(len(singular))), reverse=True)
            scale = max(mpmath.mpf(1), values[0])
            if any(ZERO_SINGULAR * scale < v < NONZERO_SINGULAR * scale for v in values):
                rank = None
            else:
                rank = sum(1 for v in values if v >= NONZERO_SINGULAR * scale)
            powers = [[mpmath.mpf(1), *[z ** k for k in range(1, 5)]] for z in refinement.point]
            value = loss_polynomial.evaluate(powers, mp_rational, mpmath.mpf(0))
            points.append(StratumPoint(matrix, real, rank, tuple(values), float(refinement.residual),
                                       refinement.converged, value))
    detail = "; ".join(f"{a.backend} seed {a.seed}: {a.outcome.value} {a.detail}".strip() for a in run.attempts)
    return StratumSolution(e, len(variables), tuple(points), run.declared_paths, tally,
                           volumes.get("stable_mixed_volume"), run.succeeded and run.paths_observed, detail,
                           system, tuple(names))
