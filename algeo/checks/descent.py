"""A descent direction of the unregularized loss ``L(theta) = 1/2 ||W_H ... W_1 X - Y||^2`` at a critical point.

Evidence that a real critical point ``theta`` of ``L`` is *not* a local minimum: a direction
``v`` such that the polynomial ``p(t) = L(theta + t v) - L(theta) = sum_k c_k t^k`` (degree
``2H``) has its first coefficient that is not zero negative. Two directions are tried:

1. **negative curvature**: the eigenvector of the least eigenvalue of the Hessian of ``L``
   at ``theta`` (the Jacobian of the exact gradient system, at ``digits`` digits), when that
   eigenvalue is at most ``-1e-8 max(1, |eigenvalues|)``: then ``c_2 = lambda_min / 2 < 0``.
2. **rank-one chain** (for saddles with a positive semidefinite Hessian, such as ``theta = 0``
   with three or more layers): unit vectors ``z_0 in ker W_1``, ``z_l in ker W_{l+1} cap
   ker W_l^T`` (``0 < l < H``), ``z_H in ker W_H^T`` and ``V_l = z_l z_{l-1}^T``. Every term of
   ``prod_l (W_l + t V_l)`` that mixes ``W``'s and ``V``'s vanishes, so the product is
   ``Wbar + t^H z_H z_0^T`` and ``c_H = -z_H^T G z_0`` with ``G = (Y - Wbar X) X^T = -grad l``;
   ``z_0, z_H`` are the top singular pair of ``G`` compressed to the two kernels.
3. **Hessian kernel** (when the chain does not exist, e.g. a one-unit layer that is not zero):
   seeded random combinations of the eigenvectors whose eigenvalues are below ``10^(-digits/3)``
   (relative; the noise of the refined point); along them ``c_1 = 0`` and ``|c_2|`` is at most
   half the largest such eigenvalue (so it counts as zero), and a first nonzero coefficient of
   odd order (or a negative one) gives descent, confirmed by the direct evaluation.

The coefficients ``c_k`` are computed from the layers' matrix polynomials at ``digits``
digits (``v`` of unit norm). A coefficient is zero when ``|c_k| <= 10^(-digits/2) s`` and
nonzero when ``|c_k| >= 1e-8 s`` (``s = max(1, L(theta))``; in between: no decision); for an
odd leading order ``v`` is replaced by ``-v`` when ``c_k > 0``. With ``S = sum_{j>k} |c_j|`` the
step ``t_0 = min(1, |c_k| / (2 S))`` gives ``p(t_0) <= sum_{j<k} |c_j| t_0^j + c_k t_0^k / 2 < 0``;
the decrease ``L(theta + t_0 v) - L(theta)`` is then evaluated *directly* from the network
(not from the coefficients) and must be below ``-10^(-digits/2) s``. The point is a refined
approximation of the critical point, so this is numerical evidence at ``digits`` digits.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import mpmath
import numpy

from ..model.architecture import Architecture
from ..model.data import Dataset
from ..classify.determinantal import layers_of
from ..model.polynomial import PolynomialSystem
from ..verify.refine import mp_rational

__all__ = ["DescentMethod", "DescentEvidence", "descent_evidence", "line_coefficients", "network_loss", "layers_of",
           "mp_matrix"]

#: a coefficient at least ``10^(-digits/4)`` (relative) is nonzero: 1e-10 at 40 digits, 3e-13 at 50. The noise
#: of a point refined at ``digits`` digits on a singular stretch of the critical set is far below (Hessian
#: eigenvalues of -8e-20 at 50 digits on the kernel); a fixed 1e-8 left an eigenvalue of -3e-8 undecided
#: (widths 3,1,2,3, m = 3, seed 1, 8 points over W̄ = 0).
def nonzero(digits: int) -> mpmath.mpf:
    return mpmath.mpf(10) ** (-(mpmath.mpf(digits) / 4))
#: seeded random directions tried in the Hessian's kernel
KERNEL_DIRECTIONS = 8


class DescentMethod(str, enum.Enum):
    """Which direction showed that ``L`` decreases."""

    NEGATIVE_CURVATURE = "negative_curvature"  # Hessian eigenvector, second order
    RANK_ONE_CHAIN = "rank_one_chain"  # kernel chain, order H
    HESSIAN_KERNEL = "hessian_kernel"  # a seeded random direction in the Hessian's kernel, order >= 3
    NONE = "none"  # no descent direction found (not a proof of a minimum)


@dataclass(frozen=True)
class DescentEvidence:
    """What was found at one real critical point."""

    found: bool
    method: DescentMethod
    order: int | None  # k: the first nonzero coefficient of p(t)
    leading_coefficient: float | None  # c_k < 0
    largest_lower_coefficient: float | None  # max_{1 <= j < k} |c_j| (numerically zero)
    step: float | None  # t_0
    decrease: str | None  # L(theta + t_0 v) - L(theta), evaluated directly (decimal text)
    least_hessian_eigenvalue: float | None
    reason: str  # why no direction, or how it was found

    def to_json(self) -> dict:
        return {"found": self.found, "method": self.method.value, "order": self.order,
                "leading_coefficient": self.leading_coefficient,
                "largest_lower_coefficient": self.largest_lower_coefficient, "step": self.step,
                "decrease": self.decrease, "least_hessian_eigenvalue": self.least_hessian_eigenvalue,
                "reason": self.reason}


def mp_matrix(rows: Sequence[Sequence[Fraction]]) -> mpmath.matrix:
    return mpmath.matrix([[mp_rational(v) for v in row] for row in rows])


def _flatten(layers) -> list:
    return [W[i, j] for W in layers for i in range(W.rows) for j in range(W.cols)]


def network_loss(layers, X: mpmath.matrix, Y: mpmath.matrix):
    """``1/2 ||W_H ... W_1 X - Y||_F^2`` evaluated directly."""
    product = X
    for W in layers:
        product = W * product
    residual = product - Y
    return sum(residual[i, j] ** 2 for i in range(residual.rows) for j in range(residual.cols)) / 2


def line_coefficients(layers, direction, X: mpmath.matrix, Y: mpmath.matrix) -> list:
    """Coefficients ``c_0..c_2H`` of ``t -> L(theta + t v)`` (``v`` given as layers)."""
    polynomial = [X]  # matrix coefficients of prod_l (W_l + t V_l) X, lowest degree first
    for W, V in zip(layers, direction):
        product = [mpmath.zeros(W.rows, X.cols) for _ in range(len(polynomial) + 1)]
        for k, block in enumerate(polynomial):
            product[k] += W * block
            product[k + 1] += V * block
        polynomial = product
    polynomial[0] = polynomial[0] - Y
    degree = 2 * (len(polynomial) - 1)
    coefficients = [mpmath.mpf(0)] * (degree + 1)
    for a, A in enumerate(polynomial):
        for b, B in enumerate(polynomial):
            coefficients[a + b] += sum(A[i, j] * B[i, j] for i in range(A.rows) for j in range(A.cols)) / 2
    return coefficients


def _null_space(matrix: mpmath.matrix, zero) -> list[mpmath.matrix]:
    """An orthonormal basis (columns) of the numerical kernel of ``matrix``."""
    n = matrix.cols
    if matrix.rows == 0:
        return [mpmath.matrix([[1 if i == j else 0] for i in range(n)]) for j in range(n)]
    _, singular, right = mpmath.svd_r(matrix, full_matrices=True)
    scale = max([mpmath.mpf(1)] + [abs(singular[i]) for i in range(len(singular))])
    rank = sum(1 for i in range(len(singular)) if abs(singular[i]) > zero * scale)
    return [right[k, :].T for k in range(rank, n)]


def _stack(upper: mpmath.matrix, lower: mpmath.matrix) -> mpmath.matrix:
    return mpmath.matrix([[upper[i, j] for j in range(upper.cols)] for i in range(upper.rows)]
                         + [[lower[i, j] for j in range(lower.cols)] for i in range(lower.rows)])


def _chain_direction(layers, G: mpmath.matrix, zero):
    """The rank-one chain of the module docstring, or ``None`` and why not."""
    H = len(layers)
    bottom = _null_space(layers[0], zero)  # z_0 in ker W_1
    top = _null_space(layers[-1].T, zero)  # z_H in ker W_H^T
    if not bottom or not top:
        return None, "ker W_1 or ker W_H^T is trivial"
    middle = []
    for l in range(1, H):  # z_l in ker W_{l+1} cap ker W_l^T
        basis = _null_space(_stack(layers[l], layers[l - 1].T), zero)
        if not basis:
            return None, f"ker W_{l + 1} cap ker W_{l}^T is trivial"
        middle.append(basis[0])
    B0 = mpmath.matrix([[v[i] for v in bottom] for i in range(bottom[0].rows)])
    BH = mpmath.matrix([[v[i] for v in top] for i in range(top[0].rows)])
    left, singular, right = mpmath.svd_r(BH.T * G * B0)
    if abs(singular[0]) <= zero * max(1, mpmath.mnorm(G, 1)):
        return None, "grad l has no component on the kernel chain"
    z = [B0 * right[0, :].T, *middle, BH * left[:, 0]]
    return [z[l + 1] * z[l].T for l in range(H)], ""


def _decide_line(coefficients, scale, zero, known_zero=None):
    """``(order, sign)`` of the first nonzero coefficient (sign -1 flips ``v``), or ``None`` and why.

    ``known_zero`` maps an order to a bound below which its coefficient counts as zero by
    construction (``c_2`` along the Hessian's kernel is at most half its largest eigenvalue there).
    """
    for k in range(1, len(coefficients)):
        size = abs(coefficients[k])
        if size <= zero * scale or (known_zero and k in known_zero and size <= known_zero[k]):
            continue
        if size < nonzero(mpmath.mp.dps) * scale:
            return None, f"c_{k} = {mpmath.nstr(coefficients[k], 3)} is neither zero nor clearly nonzero"
        if coefficients[k] < 0:
            return (k, 1), ""
        if k % 2:
            return (k, -1), ""
        return None, f"the first nonzero coefficient c_{k} is positive (no descent along this line)"
    return None, "L is constant along this line"


def _try_direction(layers, direction, X, Y, zero, method: DescentMethod, least, base_loss, known_zero=None):
    norm = mpmath.sqrt(sum(v ** 2 for v in _flatten(direction)))
    direction = [V / norm for V in direction]
    coefficients = line_coefficients(layers, direction, X, Y)
    scale = max(mpmath.mpf(1), abs(coefficients[0]))
    decided, reason = _decide_line(coefficients, scale, zero, known_zero)
    if decided is None:
        return DescentEvidence(False, DescentMethod.NONE, None, None, None, None, None, least,
                               f"{method.value}: {reason}")
    k, sign = decided
    if sign < 0:
        direction = [-V for V in direction]
        coefficients = [c * (-1) ** j for j, c in enumerate(coefficients)]
    tail = sum((abs(c) for c in coefficients[k + 1:]), mpmath.mpf(0))
    step = min(mpmath.mpf(1), abs(coefficients[k]) / (2 * tail)) if tail else mpmath.mpf(1)
    moved = [W + step * V for W, V in zip(layers, direction)]
    decrease = network_loss(moved, X, Y) - base_loss
    lower = max((abs(c) for c in coefficients[1:k]), default=mpmath.mpf(0))
    if decrease >= -zero * scale:
        return DescentEvidence(False, DescentMethod.NONE, k, float(coefficients[k]), float(lower), float(step),
                               mpmath.nstr(decrease, 10), least,
                               f"{method.value}: the direct evaluation at t_0 does not decrease L")
    how = {DescentMethod.NEGATIVE_CURVATURE: "Hessian eigenvector of the least eigenvalue",
           DescentMethod.RANK_ONE_CHAIN: "rank-one chain through the kernels of the layers",
           DescentMethod.HESSIAN_KERNEL: "random direction in the Hessian's kernel"}[method]
    return DescentEvidence(True, method, k, float(coefficients[k]), float(lower), float(step),
                           mpmath.nstr(decrease, 10), least, how)


#: a least Hessian eigenvalue in double precision at most this (relative to the largest) is clearly negative: its
#: eigenvector is tried first, without the Hessian's eigenvectors at ``digits`` digits (double precision's
#: error is near 1e-16 of the largest; the line coefficients and the decrease are computed at ``digits`` digits
#: either way, so a poor guess only costs the full search)
FLOAT_NEGATIVE = 1e-8


def _float_guess(layers, X, Y, zero, theta, compiled, architecture, base_loss):
    """``(evidence, least)``: the negative-curvature evidence from the Hessian in double precision (None when
    its least eigenvalue is not clearly negative or the direction fails) and that least eigenvalue."""
    hessian = compiled.jacobian(numpy.array([complex(x) for x in theta])).real
    values, vectors = numpy.linalg.eigh((hessian + hessian.T) / 2)
    if not numpy.all(numpy.isfinite(values)):
        return None, None
    spread = max(1.0, float(numpy.abs(values).max()))
    least = float(values[0])
    if least > -FLOAT_NEGATIVE * spread:
        return None, least
    direction = layers_of(architecture, [mpmath.mpf(float(v)) for v in vectors[:, 0]])
    found = _try_direction(layers, direction, X, Y, zero, DescentMethod.NEGATIVE_CURVATURE, least, base_loss)
    return (found if found.found else None), least


def _chain_evidence(layers, X, Y, zero, least, base_loss) -> tuple[DescentEvidence | None, str]:
    """The rank-one chain's evidence, or None and why not."""
    product = layers[0]
    for W in layers[1:]:
        product = W * product
    G = (Y - product * X) * X.T
    direction, why = _chain_direction(layers, G, zero)
    if direction is None:
        return None, why
    found = _try_direction(layers, direction, X, Y, zero, DescentMethod.RANK_ONE_CHAIN, least, base_loss)
    return (found, "") if found.found else (None, found.reason)


def descent_evidence(architecture: Architecture, dataset: Dataset, gradient_system: PolynomialSystem, theta,
                     *, digits: int, compiled=None) -> DescentEvidence:
    """Look for a descent direction of the unregularized ``L`` at the real critical point ``theta``.

    ``gradient_system`` is the exact gradient of the unregularized loss (its Jacobian is the
    Hessian); ``theta`` holds real ``mpf`` coordinates refined at ``digits`` digits. With
    ``compiled`` (its :class:`~algeo.tracking.continuation.CompiledSystem`), the least eigenvector of
    the Hessian in double precision is tried first when its eigenvalue is clearly negative
    (``FLOAT_NEGATIVE``), then the rank-one chain, before the eigenvectors at ``digits`` digits; the
    evidence is the same kind (the line's coefficients and the decrease at ``digits`` digits), with
    that double eigenvalue as ``least_hessian_eigenvalue``.
    """
    with mpmath.workdps(digits):
        zero = mpmath.mpf(10) ** (-(digits // 2))
        X, Y = mp_matrix(dataset.X), mp_matrix(dataset.Y)
        theta = [mpmath.mpf(x) for x in theta]
        layers = layers_of(architecture, theta)
        base_loss = network_loss(layers, X, Y)
        chain_tried = None  # why the chain gave nothing, once it was tried
        if compiled is not None:  # the double-precision guesses first: no eigenvectors at `digits` digits
            guess, float_least = _float_guess(layers, X, Y, zero, theta, compiled, architecture, base_loss)
            if guess is not None:
                return guess
            if float_least is not None:
                found, chain_tried = _chain_evidence(layers, X, Y, zero, float_least, base_loss)
                if found is not None:
                    return found
        hessian = mpmath.matrix(gradient_system.evaluate_jacobian(theta, coerce=mp_rational, zero=mpmath.mpf(0),
                                                                  one=mpmath.mpf(1)))
        values, vectors = mpmath.eigsy((hessian + hessian.T) / 2)
        order = sorted(range(len(values)), key=lambda i: values[i])
        least = values[order[0]]
        spread = max(mpmath.mpf(1), max(abs(v) for v in values))
        reasons = []
        if least <= -nonzero(digits) * spread:
            direction = layers_of(architecture, [vectors[i, order[0]] for i in range(len(values))])
            found = _try_direction(layers, direction, X, Y, zero, DescentMethod.NEGATIVE_CURVATURE, float(least),
                                   base_loss)
            if found.found:
                return found
            reasons.append(found.reason)
        else:
            reasons.append(f"least Hessian eigenvalue {mpmath.nstr(least, 3)} is not clearly negative")
        if chain_tried is None:
            found, chain_tried = _chain_evidence(layers, X, Y, zero, float(least), base_loss)
            if found is not None:
                return found
        reasons.append(f"rank-one chain: {chain_tried}")
        # directions in the Hessian's kernel (c_1 = c_2 = 0 there): the first nonzero coefficient is of order 3 or
        # more, and an odd one gives descent in one of the two senses. Tangents of the critical set keep L
        # constant, so seeded random combinations of the whole kernel are tried.
        # the kernel: eigenvalues below 10^(-digits/3) (relative), the noise of a point refined at ``digits``
        # digits on a singular stretch of the critical set (-8e-20 measured at 50 digits)
        kernel = [i for i in order if abs(values[i]) <= mpmath.mpf(10) ** (-(digits // 3)) * spread]
        if kernel:
            curvature = max(abs(values[i]) for i in kernel) / 2 * (1 + mpmath.mpf(10) ** -6)
            import random

            rng = random.Random(f"algeo-descent-{len(theta)}")
            for _ in range(KERNEL_DIRECTIONS):
                weights = [mpmath.mpf(rng.gauss(0, 1)) for _ in kernel]
                vector = [sum(w * vectors[i, k] for w, k in zip(weights, kernel)) for i in range(len(values))]
                found = _try_direction(layers, layers_of(architecture, vector), X, Y, zero,
                                       DescentMethod.HESSIAN_KERNEL, float(least), base_loss, {2: curvature})
                if found.found:
                    return found
            reasons.append(f"Hessian kernel: {KERNEL_DIRECTIONS} random directions of its {len(kernel)} dimensions "
                           f"gave none ({found.reason})")
        return DescentEvidence(False, DescentMethod.NONE, None, None, None, None, None, float(least),
                               "; ".join(reasons))
