"""What is proven about the local minima ``algeo relu solve`` finds, with and without ``Lambda``.

For every local minimum of the regularized loss ``L_Lambda`` found inside its region ``A``:

1. **Regularized** (:mod:`algeo.relu.certify`): a proof in exact rational arithmetic that it is
   a strict local minimum of ``L_Lambda`` and, for a non-global one, that the best critical
   point found has an exactly smaller loss.
2. **Unregularized** (``dy = 1``; exact): on the open region of ``A`` the outputs on the data
   are ``F(x_j) = sum_i A_ij u_i . x~_j`` with ``u_i = v_i w~_i``, so the unregularized loss
   ``L_0`` there is at least the least-squares value ``LS_A = min_u 1/2 ||D u - y||^2`` of the
   design ``D[j, (i, k)] = A_ij x~_j[k]`` (the Khatri-Rao matrix of :mod:`algeo.relu.jacobian`).
   The minimizer nearest the point's own ``u`` is computed exactly,
   ``u* = u + D^+ (y - D u)``, and *realized*: ``u*_i = 0`` by ``v_i = 0`` (``w~_i`` kept),
   otherwise ``w~_i = u*_i / v_i`` with ``v_i = +-`` the point's ``v_i`` whose sign puts every
   pre-activation strictly on the pattern's side. If the realization ``theta*`` lies in the open
   region (exact signs) and ``L_0(theta*) = LS_A`` (exact), then ``theta*`` minimizes ``L_0`` over
   an open set: it is a (non-strict) **local minimum of the unregularized loss**, of value
   ``LS_A``. A realization from another region with exactly smaller ``L_0`` proves it is not
   global (:attr:`UnregularizedStatus.SPURIOUS`); ``LS_A = 0`` proves it global.
3. **Only through Lambda**: a regularized minimum that is not global, whose region's
   unregularized value equals that of the global minimum's region (exact comparison), is
   non-global only because ``Lambda`` is not symmetric -- typically a neuron-swapped copy of
   the global minimum (its pattern is a row permutation of the global one's, reported too).

The regularized point itself is not a critical point of ``L_0`` (``grad L_0 = -Lambda theta``);
what is reported is the unregularized minimum of its region, next to it for small ``Lambda``,
and ``L_0`` at the regularized point (exact) for comparison.
"""

from __future__ import annotations

import enum
import itertools
import logging
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Sequence

import sympy

from .certify import LocalMinimumCertificate, certify_local_minimum
from .instance import ReluArchitecture, ReluData
from .system import relu_loss

__all__ = ["UnregularizedStatus", "UnregularizedMinimum", "MinimumReport", "region_least_squares",
           "assess_minima"]

logger = logging.getLogger(__name__)


class UnregularizedStatus(str, enum.Enum):
    """What is proven about the unregularized loss on the region of a regularized minimum."""

    SPURIOUS = "spurious"  # a local minimum of L_0 (realized fit), with a rational point of exactly smaller L_0
    LEAST_FOUND = "least_found"  # a local minimum of L_0, least among the regions assessed (global when 0)
    NOT_REALIZED = "not_realized"  # the region's least-squares fit is not inside the open region
    UNDECIDED = "undecided"  # dy > 1: the region's outputs are not linear in one parameter vector


@dataclass(frozen=True)
class UnregularizedMinimum:
    """The region's least-squares fit and its realization (all exact)."""

    status: UnregularizedStatus
    least_squares_value: Fraction | None  # LS_A
    realization: tuple[Fraction, ...] | None  # theta*, in the parameter order of the architecture
    inside_region: bool  # theta* strictly inside the open region
    loss_equals_least_squares: bool  # L_0(theta*) == LS_A exactly
    loss_at_point: Fraction  # L_0 at the regularized minimum (exact rationals of its refined coordinates)
    proven_global: bool  # LS_A == 0
    lower_region: int | None = None  # a region whose realization has exactly smaller L_0
    lower_value: Fraction | None = None
    reason: str = ""

    @property
    def is_local_minimum(self) -> bool:
        """``theta*`` is proven a (non-strict) local minimum of the unregularized loss."""
        return self.inside_region and self.loss_equals_least_squares

    def to_json(self) -> dict:
        text = lambda v: None if v is None else str(v)  # noqa: E731
        return {"status": self.status.value, "proven_local_minimum": self.is_local_minimum,
                "least_squares_value": text(self.least_squares_value),
                "least_squares_value_decimal": None if self.least_squares_value is None
                else float(self.least_squares_value),
                "realization": None if self.realization is None else [str(v) for v in self.realization],
                "inside_region": self.inside_region, "loss_equals_least_squares": self.loss_equals_least_squares,
                "loss_at_regularized_point": float(self.loss_at_point), "proven_global": self.proven_global,
                "lower_region": self.lower_region, "lower_value": text(self.lower_value), "reason": self.reason}


@dataclass(frozen=True)
class MinimumReport:
    """One local minimum of ``L_Lambda``: its proof, its region's unregularized minimum, and the flag."""

    region: int
    point: int  # index of the point within its region
    pattern: tuple[tuple[int, ...], ...]
    loss: float
    is_global: bool
    certificate: LocalMinimumCertificate
    unregularized: UnregularizedMinimum
    only_through_regularization: bool | None  # non-global only because Lambda is asymmetric (None: undecided)
    neuron_permutation_of: int | None  # a region (of another minimum) whose pattern is a row permutation of this

    @property
    def proven_spurious(self) -> bool:
        return self.certificate.is_spurious_local_minimum

    def to_json(self) -> dict:
        return {"region": self.region, "point": self.point, "pattern": [list(row) for row in self.pattern],
                "loss": self.loss, "global": self.is_global, "certificate": self.certificate.to_json(),
                "proven_spurious_local_minimum": self.proven_spurious,
                "unregularized": self.unregularized.to_json(),
                "only_through_regularization": self.only_through_regularization,
                "neuron_permutation_of": self.neuron_permutation_of}

    def describe(self) -> str:
        """One line for people."""
        c, u = self.certificate, self.unregularized
        proof = ("proven strict local minimum" if c.is_local_minimum else "NOT proven a local minimum") + (
            ", proven not global" if c.is_not_global else "")
        head = (f"region {self.region} {[list(r) for r in self.pattern]}: loss {self.loss:.6g}"
                f"{' (global)' if self.is_global else ''}, {proof}")
        if u.status is UnregularizedStatus.UNDECIDED or u.status is UnregularizedStatus.NOT_REALIZED:
            return f"{head}; unregularized: {u.status.value} ({u.reason})"
        value = f"{float(u.least_squares_value):.6g}"
        tail = f"; unregularized: least-squares fit {value} realized inside -> a (non-strict) local minimum of L_0"
        if u.status is UnregularizedStatus.SPURIOUS:
            tail += f", spurious (region {u.lower_region} has L_0 = {float(u.lower_value):.6g})"
        elif u.proven_global:
            tail += ", global (L_0 = 0)"
        else:
            tail += ", least among the minima found"
        if self.only_through_regularization:
            tail += "; non-global only through the asymmetric Lambda" + (
                f" (neuron-swapped pattern of region {self.neuron_permutation_of})"
                if self.neuron_permutation_of is not None else "")
        return head + tail


def _design(architecture: ReluArchitecture, data: ReluData, pattern) -> sympy.Matrix:
    points = data.augmented_inputs(architecture.bias)
    m = architecture.neuron_dimension
    return sympy.Matrix([[sympy.Rational(pattern[i][j]) * sympy.Rational(points[j][k].numerator, points[j][k].denominator)
                          for i in range(architecture.d1) for k in range(m)] for j in range(len(points))])


def _strict_signs(w: Sequence[Fraction], points, row) -> bool:
    return all((sum((c * x for c, x in zip(w, point)), Fraction(0)) > 0) == bool(active)
               and sum((c * x for c, x in zip(w, point)), Fraction(0)) != 0 for point, active in zip(points, row))


def region_least_squares(architecture: ReluArchitecture, data: ReluData, pattern,
                         point: Sequence[Fraction]) -> UnregularizedMinimum:
    """Step 2 of the module docstring for the region of ``pattern``, near ``point`` (exact rationals)."""
    zero = (Fraction(0),) * architecture.n_parameters
    at_point = relu_loss(architecture, data, point, zero)
    if architecture.dy != 1:
        return UnregularizedMinimum(UnregularizedStatus.UNDECIDED, None, None, False, False, at_point, False,
                                    reason="dy > 1: the outputs are bilinear in (V, W), not a least-squares problem")
    m, d1 = architecture.neuron_dimension, architecture.d1
    first = [tuple(point[i * m:(i + 1) * m]) for i in range(d1)]
    V = list(point[d1 * m:d1 * m + d1])
    u = sympy.Matrix([sympy.Rational(v.numerator, v.denominator) * sympy.Rational(w.numerator, w.denominator)
                      for i, v in enumerate(V) for w in first[i]])
    D = _design(architecture, data, pattern)
    y = sympy.Matrix([sympy.Rational(v.numerator, v.denominator) for v in data.Y[0]])
    best = u + D.pinv() * (y - D * u)
    residual = D * best - y
    value = Fraction(str(sum(residual[j] ** 2 for j in range(residual.rows)) / 2))
    points = data.augmented_inputs(architecture.bias)
    theta_first, theta_V, reason = [], [], ""
    for i in range(d1):
        fit = [Fraction(str(best[i * m + k])) for k in range(m)]
        if all(c == 0 for c in fit):
            theta_first.append(first[i])
            theta_V.append(Fraction(0))
            continue
        scales = [V[i], -V[i]] if V[i] != 0 else [Fraction(1), Fraction(-1)]
        chosen = next((s for s in scales if _strict_signs([c / s for c in fit], points, pattern[i])), None)
        if chosen is None:
            reason = (f"neuron {i + 1}'s part of the fit, u = {[str(c) for c in fit]}, has no sign with the "
                      "pattern's strict signs")
            break
        theta_first.append(tuple(c / chosen for c in fit))
        theta_V.append(chosen)
    if reason:
        return UnregularizedMinimum(UnregularizedStatus.NOT_REALIZED, value, None, False, False, at_point,
                                    False, reason=reason)
    theta = tuple(c for row in theta_first for c in row) + tuple(theta_V)
    inside = all(_strict_signs(theta_first[i], points, pattern[i]) for i in range(d1))
    equal = relu_loss(architecture, data, theta, zero) == value
    status = UnregularizedStatus.LEAST_FOUND if inside and equal else UnregularizedStatus.NOT_REALIZED
    return UnregularizedMinimum(status, value, theta, inside, equal, at_point, inside and equal and value == 0,
                                reason="" if inside and equal else "the realization is not inside the region")


def _is_row_permutation(first, second) -> bool:
    return first != second and sorted(first) == sorted(second) and any(
        tuple(first[k] for k in order) == tuple(second) for order in itertools.permutations(range(len(first))))


def assess_minima(architecture: ReluArchitecture, data: ReluData, Lambda: Sequence[Fraction],
                  candidates: Sequence[tuple]) -> tuple[MinimumReport, ...]:
    """Steps 1-3 for ``candidates``: ``(region, pattern, CriticalPoint, is_global)`` of each local minimum."""
    candidates = list(candidates)
    if not candidates:
        return ()
    zero = (Fraction(0),) * architecture.n_parameters
    best = min(range(len(candidates)), key=lambda k: candidates[k][2].loss)
    best_point = candidates[best][2].exact_real_coordinates()
    fits = [region_least_squares(architecture, data, pattern, point.exact_real_coordinates())
            for _, pattern, point, _ in candidates]
    least = min(((fit.least_squares_value, k) for k, fit in enumerate(fits) if fit.is_local_minimum), default=None)
    reports = []
    for k, (fit, (region, pattern, point, is_global)) in enumerate(zip(fits, candidates)):
        certificate = certify_local_minimum(architecture, data, pattern, Lambda, point.exact_real_coordinates(),
                                            lower_point=None if k == best else best_point)
        if fit.is_local_minimum and least is not None and least[0] < fit.least_squares_value:
            lower = fits[least[1]]
            fit = replace(fit, status=UnregularizedStatus.SPURIOUS, lower_region=candidates[least[1]][0],
                          lower_value=relu_loss(architecture, data, lower.realization, zero))
        through = None
        if k != best and fit.is_local_minimum and fits[best].is_local_minimum:
            through = fit.least_squares_value == fits[best].least_squares_value
        swapped = next((other[0] for j, other in enumerate(candidates)
                        if j != k and _is_row_permutation(other[1], pattern)), None)
        reports.append(MinimumReport(region, point.index, tuple(tuple(row) for row in pattern), float(point.loss),
                                     bool(is_global), certificate, fit, through, swapped))
        logger.info("%s", reports[-1].describe())
    return tuple(reports)
