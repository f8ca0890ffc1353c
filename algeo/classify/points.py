"""Decisions on refined solutions: distinctness, realness, zero coordinates, Hessian index.

Every decision uses a stated tolerance (docs/tolerances.md) and the evidence for it
(the gap between the largest value called "zero" and the smallest called "nonzero")
is returned, so a user can see how clear each decision was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import mpmath
import numpy

from ..model.architecture import Architecture
from ..model.family import GramFamily
from ..model.gram_eval import GramEvaluator
from ..model.mp_gradient import MatrixGradient
from ..model.symmetry import apply_signs, orbit_representatives, sign_flip_matrices
from ..model.system import CriticalPointSystem
from ..phc import RawPath
from ..results.solve_result import CriticalPoint, decimal_text
from ..verify.refine import mp_context, mp_rational, refine_point, refine_points_quasi

__all__ = ["Tolerances", "cluster_points", "smallest_relative_distance", "max_imaginary", "has_zero_coordinate", "hessian_inertia",
           "refine_and_classify"]


@dataclass(frozen=True)
class Tolerances:
    """Relative tolerances, each scaled by ``max(1, ||x||_inf)`` of the point concerned."""

    same_point: float = 1e-8
    real: float = 1e-12
    zero_coordinate: float = 1e-12
    #: eigenvalues with |lambda| <= hessian_zero * max(1, max|lambda|) count as zero
    hessian_zero: float = 1e-15
    #: losses within this (relative) of the least loss are global minima
    same_loss: float = 1e-15

    def to_json(self) -> dict:
        return dict(self.__dict__)


def cluster_points(points: Sequence[Sequence], tolerance: float, *,
                   doubles: numpy.ndarray | None = None) -> tuple[list[int], dict]:
    """Group points closer than ``tolerance * max(1, ||x||)``; returns the cluster of each point.

    Also returns the evidence: the largest distance inside a cluster and the smallest
    distance between two clusters. Distances are computed in double precision (numpy),
    which resolves relative distances far below any useful ``tolerance``.

    >>> cluster_points([(1, 2), (1 + 1e-12, 2), (3, 4)], 1e-8)[0]
    [0, 0, 1]
    >>> cluster_points([], 1e-8)[0]
    []

    ``doubles``: the points as complex doubles, when the caller has them (one row per point).
    """
    n = len(points)
    if n == 0:
        return [], {"largest_relative_distance_within_a_point": 0.0, "smallest_relative_distance_between_points": None}
    array = doubles if doubles is not None else numpy.array([[complex(x) for x in point] for point in points],
                                                            dtype=complex).reshape(n, -1)
    scales = numpy.maximum(1.0, numpy.abs(array).max(axis=1, initial=0.0))
    # a k-d tree over real coordinates (:func:`_box_tree`), Chebyshev metric: max(|Re|, |Im|) <= |z| <=
    # sqrt(2) max(|Re|, |Im|), so a box of half-width sqrt(2) r holds every point within complex max-distance r;
    # the complex distance then decides (the same clusters and evidence as comparing every pair, in O(n log n))
    real = numpy.concatenate([array.real, array.imag], axis=1)
    tree, columns = _box_tree(real)
    label_of = numpy.full(n, -1)
    representatives: list[int] = []
    labels: list[int] = []
    largest_inside = 0.0
    # every point's box at once (the search in C, on every core); then in order, as one query at a time would
    boxes = tree.query_ball_point(real[:, columns], r=numpy.sqrt(2.0) * tolerance * scales, p=numpy.inf, workers=-1)
    for i in range(n):
        near = [j for j in boxes[i] if j < i and label_of[j] >= 0 and representatives[label_of[j]] == j]
        if near:
            near.sort()
            distances = numpy.abs(array[near] - array[i]).max(axis=1, initial=0.0)
            hits = numpy.nonzero(distances <= tolerance * scales[i])[0]
            if hits.size:
                label = int(label_of[near[hits[0]]])
                labels.append(label)
                label_of[i] = label
                largest_inside = max(largest_inside, float(distances[hits[0]] / scales[i]))
                continue
        label_of[i] = len(representatives)
        labels.append(len(representatives))
        representatives.append(i)
    evidence = {"largest_relative_distance_within_a_point": largest_inside,
                "smallest_relative_distance_between_points": smallest_relative_distance(array[representatives],
                                                                                        scales[representatives])}
    if len(representatives) > PAIRWISE_UP_TO:  # only pairs closer than SEARCHED_BELOW were looked for
        evidence["pairs_searched_below"] = SEARCHED_BELOW
    return labels, evidence


def smallest_relative_distance(array: numpy.ndarray, scales: numpy.ndarray, block: int = 512) -> float | None:
    """``min over a < b of max_i |x_a,i - x_b,i| / scale_a`` (None for fewer than two points).

    Up to :data:`PAIRWISE_UP_TO` points: Chebyshev distances of the real coordinates in blocks
    (scipy's ``cdist``, in C) bound the complex ones, ``c <= max_i |z_i| <= sqrt(2) c``, and only
    pairs within ``sqrt(2)`` of the smallest bound are compared exactly. Above (start sets of tens
    of thousands of points): the minimum when it is at most :data:`SEARCHED_BELOW`, else None
    (:func:`_smallest_below`; the caller says so).
    """
    count = len(array)
    if count < 2:
        return None
    if count > PAIRWISE_UP_TO:
        return _smallest_below(array, scales, SEARCHED_BELOW)
    from scipy.spatial.distance import cdist

    real = numpy.concatenate([array.real, array.imag], axis=1)
    lowest = numpy.inf
    candidates: list[tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]] = []
    for start in range(0, count - 1, block):
        rows = numpy.arange(start, min(start + block, count - 1))
        bounds = cdist(real[rows], real[start:], "chebyshev") / scales[rows, None]
        bounds[numpy.arange(len(rows))[:, None] >= numpy.arange(count - start)[None, :]] = numpy.inf  # b <= a
        lowest = min(lowest, float(bounds.min()))
        a, b = numpy.nonzero(bounds <= numpy.sqrt(2.0) * lowest)
        candidates.append((rows[a], start + b, bounds[a, b]))
    a = numpy.concatenate([c[0] for c in candidates])
    b = numpy.concatenate([c[1] for c in candidates])
    keep = numpy.concatenate([c[2] for c in candidates]) <= numpy.sqrt(2.0) * lowest
    a, b = a[keep], b[keep]
    return float((numpy.abs(array[a] - array[b]).max(axis=1) / scales[a]).min())


#: above this many points :func:`smallest_relative_distance` looks only for pairs closer than
#: :data:`SEARCHED_BELOW` (relative); comparing all pairs of 55,553 points took about a minute
PAIRWISE_UP_TO = 4096
SEARCHED_BELOW = 1e-3


def _smallest_below(array: numpy.ndarray, scales: numpy.ndarray, bound: float) -> float | None:
    """The minimum of :func:`smallest_relative_distance` when it is at most ``bound``, else None (exact).

    A k-d tree on the real coordinates (Chebyshev): every ``b`` within ``bound scale_a`` of ``a`` in
    the complex max-distance lies in the box of half-width ``sqrt(2) bound scale_a``; boxes that small
    are cheap to search (:func:`_box_tree`).
    """
    real = numpy.concatenate([array.real, array.imag], axis=1)
    tree, columns = _box_tree(real)
    best = None
    for a, found in enumerate(tree.query_ball_point(real[:, columns], r=numpy.sqrt(2.0) * bound * scales,
                                                    p=numpy.inf, workers=-1)):
        later = [b for b in found if b > a]
        if later:
            value = float(numpy.abs(array[later] - array[a]).max(axis=1).min() / scales[a])
            if value <= bound and (best is None or value < best):
                best = value
    return best


#: real coordinates the k-d trees of :func:`cluster_points` and :func:`_smallest_below` search on
BOX_COLUMNS = 4


def _box_tree(real: numpy.ndarray):
    """A k-d tree on the :data:`BOX_COLUMNS` real coordinates of widest spread, and which they are.

    A box in some coordinates holds every point of the box in all of them (Chebyshev distance in a
    subset of coordinates is at most the whole one), so searching there finds every pair the full
    box would, and more candidates, which the complex distance then sorts out; a tree on 4
    coordinates answers tiny boxes far faster than one on all 32 (2,3,2,2: 77,601 points).
    """
    from scipy.spatial import cKDTree

    columns = numpy.argsort(-real.std(axis=0))[:BOX_COLUMNS] if real.shape[1] > BOX_COLUMNS else \
        numpy.arange(real.shape[1])
    return cKDTree(real[:, columns]), columns


def _doubles(point: Sequence) -> numpy.ndarray:
    """The coordinates as complex doubles (ample for the relative thresholds below: 1e-12 and up)."""
    if isinstance(point, numpy.ndarray) and point.dtype == complex:
        return point
    return numpy.array([complex(x) for x in point], dtype=complex)


def max_imaginary(point: Sequence) -> float:
    """``max |Im x_i| / max(1, ||x||)``."""
    values = _doubles(point)
    if not len(values):
        return 0.0
    return float(numpy.abs(values.imag).max()) / max(1.0, float(numpy.abs(values).max()))


def has_zero_coordinate(point: Sequence, tolerance: float) -> tuple[bool, float]:
    """Whether some ``|x_i| <= tolerance * max(1, ||x||)``; also the smallest relative ``|x_i|``."""
    magnitudes = numpy.abs(_doubles(point))
    smallest = float(magnitudes.min()) / max(1.0, float(magnitudes.max()))
    return smallest <= tolerance, smallest


def hessian_inertia(hessian: "mpmath.matrix", tolerance: float) -> tuple[tuple, int, bool]:
    """Eigenvalues (ascending), number of negative ones, and whether any is (numerically) zero."""
    eigenvalues = mpmath.eigsy(hessian, eigvals_only=True)
    values = sorted(eigenvalues[i] for i in range(hessian.rows))
    scale = max(mpmath.mpf(1), max(abs(v) for v in values))
    threshold = tolerance * scale
    negative = sum(1 for v in values if v < -threshold)
    singular = any(abs(v) <= threshold for v in values)
    return tuple(values), negative, singular


#: double-precision Hessian eigenvalues decide the inertia when every one is at least this (relative to
#: max(1, max |lambda|)) away from zero: their error is about 1e-16 of that scale, so no sign can flip;
#: otherwise the eigenvalues are computed again at the refinement's precision (:func:`hessian_inertia`)
DOUBLE_INERTIA_MARGIN = 1e-8


def _double_inertia(jacobian: numpy.ndarray) -> tuple[tuple, int, bool] | None:
    """Inertia from the double-precision Hessian, or None when an eigenvalue is too close to zero to decide."""
    if not numpy.all(numpy.isfinite(jacobian)):
        return None
    hessian = jacobian.real
    values = numpy.linalg.eigvalsh((hessian + hessian.T) / 2)
    scale = max(1.0, float(numpy.abs(values).max(initial=0.0)))
    if len(values) and float(numpy.abs(values).min()) <= DOUBLE_INERTIA_MARGIN * scale:
        return None
    return tuple(float(v) for v in values), int((values < 0).sum()), False


def _jacobian_function(system: CriticalPointSystem):
    """``points -> Jacobians`` of the gradient in double precision, all points at once; None when the
    system is not a deep linear network's (a ReLU region's).

    The gradient in the weights depends on the data only through ``S = X X^T`` and
    ``T = Y X^T``, so the Gram family's closed-form evaluator gives the Jacobian of any instance.
    """
    if not isinstance(system.architecture, Architecture):  # not a deep linear network (a ReLU region's system)
        return None
    family = GramFamily(system.architecture, system.dataset.n_samples)
    parameters = family.parameters_of(system.dataset, system.regularization)
    evaluator = GramEvaluator(system.architecture)
    return lambda points: evaluator.value_and_jacobian(numpy.asarray(points, dtype=complex), parameters)[1]


def _jacobians(system: CriticalPointSystem, function, points) -> list[numpy.ndarray]:
    """The double-precision Jacobians of the gradient at ``points`` (the loss's Hessians), all at once.

    ``function`` is :func:`_jacobian_function`'s, or None (then the exact system's Jacobian, point by point).
    """
    if not len(points):
        return []
    if function is None:
        return [numpy.array(system.polynomial_system.evaluate_jacobian(list(point)), dtype=complex)
                for point in points]
    return list(function(numpy.array(points, dtype=complex)))


def _conditions(jacobians: list[numpy.ndarray]) -> list[float]:
    """:func:`_condition` of every matrix, by one batched SVD when they have one shape (77,537 Jacobians of
    18 x 18 at widths 2,3,2,2: one call instead of one each)."""
    if not jacobians or len({j.shape for j in jacobians}) != 1:
        return [_condition(j) for j in jacobians]
    stack = numpy.asarray(jacobians)
    out = numpy.full(len(stack), numpy.inf)
    ok = numpy.all(numpy.isfinite(stack), axis=(1, 2))
    if stack.shape[1] == 0 or not ok.any():
        return [_condition(j) for j in jacobians]
    try:
        values = numpy.linalg.svd(stack[ok], compute_uv=False)
    except numpy.linalg.LinAlgError:  # one matrix's SVD did not converge: each on its own
        return [_condition(j) for j in jacobians]
    with numpy.errstate(divide="ignore", invalid="ignore"):
        out[ok] = values[:, 0] / values[:, -1]
    return [float(c) if numpy.isfinite(c) else numpy.inf for c in out]


def _condition(jacobian: numpy.ndarray) -> float:
    try:
        return float(numpy.linalg.cond(jacobian)) if numpy.all(numpy.isfinite(jacobian)) else numpy.inf
    except numpy.linalg.LinAlgError:
        return numpy.inf


def _as_doubles(refined: Sequence) -> numpy.ndarray:
    if not len(refined):
        return numpy.zeros((0, 0), dtype=complex)
    return numpy.array([[complex(z) for z in r.point] for r in refined], dtype=complex).reshape(len(refined), -1)


def _refine_by_orbit(system: CriticalPointSystem, polynomials, starts, digits: int,
                     jacobian_of) -> tuple[list, numpy.ndarray]:
    """Newton refinement of every start point, done once per hidden-unit sign-flip orbit.

    The representatives are refined together by quasi-Newton steps (exact residual at ``digits``
    digits, closed-form double-precision Jacobian; :func:`algeo.verify.refine.refine_points_quasi`),
    with full Newton for any that does not converge that way.

    The gradient system is equivariant under the flips (``F(s x) = s F(x)``, ``s`` a diagonal of
    signs), so refining ``s x`` gives ``s`` times the refinement of ``x`` with the same residual
    and steps: the image is taken exactly, not recomputed (widths 1,3,3,1: 977 points, 77 orbits).
    Also returns the refined points as complex doubles (an image's: the signs times its
    representative's), one row per point.
    """
    from dataclasses import replace

    if not isinstance(system.architecture, Architecture):  # the sign flips are a symmetry of linear networks only
        refined = [refine_point(polynomials, start, digits=digits) for start in starts]
        return refined, _as_doubles(refined)
    flips = sign_flip_matrices(system.architecture)
    if not len(starts) or len(flips) < 2:
        refined = [refine_point(polynomials, start, digits=digits) for start in starts]
        return refined, _as_doubles(refined)
    representatives, images = orbit_representatives(starts, flips)
    gradient = MatrixGradient(system.architecture, system.dataset.X, system.dataset.Y, system.regularization.Lambda)
    done = refine_points_quasi(polynomials, [starts[k] for k in representatives], jacobian_of, digits=digits,
                               gradient=gradient)
    done_doubles = _as_doubles(done)
    refined = []
    for r, f in images:
        if f == 0:
            refined.append(done[r])
        else:
            signs = [int(v) for v in flips[f]]
            refined.append(replace(done[r], point=apply_signs(done[r].point, signs)))
    rows = numpy.array([r for r, _ in images], dtype=int)
    signs = numpy.asarray(flips)[numpy.array([f for _, f in images], dtype=int)]
    return refined, done_doubles[rows] * signs


def refine_and_classify(system: CriticalPointSystem, finite: Sequence[tuple[int, RawPath]], digits: int,
                        tol: Tolerances, classify: bool = True) -> tuple[tuple[CriticalPoint, ...], dict[int, int], dict]:
    """Refine finite path ends on the exact system, group them into distinct points, classify each.

    ``finite`` pairs a path index with its end point. Returns the points (each keeps its
    refined ``mpc`` coordinates), the point of each path index, and the evidence of every
    decision (the largest value called zero against the smallest called nonzero).
    ``classify=False`` (start points of the unregularized mode): refined, grouped, real or not, zero
    coordinates or not, condition number, but no real refinement, loss or Hessian.
    """
    polynomials = system.polynomial_system
    jacobian_of = _jacobian_function(system)
    with mp_context(digits):
        refined, doubles = _refine_by_orbit(system, polynomials, [raw.coordinates for _, raw in finite], digits,
                                            jacobian_of)
        labels, evidence = cluster_points([r.point for r in refined], tol.same_point, doubles=doubles)
        groups: dict[int, list[int]] = {}
        for position, label in enumerate(labels):
            groups.setdefault(label, []).append(position)
        points, exact_losses = [], []
        imaginary_real, imaginary_complex = [], []
        zero_small, nonzero_small = [], []
        for label in sorted(groups):
            members = groups[label]
            best = min(members, key=lambda k: refined[k].residual)
            refinement, row = refined[best], doubles[best]
            imaginary = max_imaginary(row)
            is_real = imaginary <= tol.real
            (imaginary_real if is_real else imaginary_complex).append(imaginary)
            if is_real and classify:
                real_refinement = refine_point(polynomials, [complex(z.real) for z in refinement.point],
                                               digits=digits, real=True)
                if real_refinement.converged or not refinement.converged:
                    refinement, row = real_refinement, _doubles(real_refinement.point)
            zero, smallest = has_zero_coordinate(row, tol.zero_coordinate)
            (zero_small if zero else nonzero_small).append(smallest)
            entry = dict(
                index=len(points), coordinates=tuple(row.tolist()),
                refined=tuple(z if type(z) is mpmath.mpc else mpmath.mpc(z) for z in refinement.point), digits=digits,
                is_real=is_real, has_zero_coordinate=zero, residual=float(refinement.residual),
                newton_step=float(refinement.last_step), converged=refinement.converged,
                paths=tuple(finite[k][0] for k in members), max_imaginary=imaginary,
            )
            loss = None
            if not classify:
                entry["classified"] = False
            elif is_real:
                loss = system.loss_polynomial.value_at(refinement.point, coerce=mp_rational, zero=mpmath.mpf(0),
                                                       one=mpmath.mpf(1))
                entry.update(loss=float(loss), loss_text=decimal_text(loss, digits))
            points.append(entry)
            exact_losses.append(loss)
        # Jacobians (Hessians of the loss) for all points in one batch: condition numbers, and the inertia of
        # the real points (in double precision when no eigenvalue is near zero, else at the refinement's digits)
        jacobians = _jacobians(system, jacobian_of, [entry["coordinates"] for entry in points])
        for entry, jacobian, condition in zip(points, jacobians, _conditions(jacobians)):
            entry.update(condition=condition, singular=not numpy.isfinite(condition) or condition > 1e12)
            if not entry["is_real"] or not classify:
                continue
            inertia = _double_inertia(jacobian)
            if inertia is None:
                real_point = [mpmath.re(z) for z in entry["refined"]]  # real refinement: zero imaginary parts
                hessian = mpmath.matrix(polynomials.evaluate_jacobian(
                    real_point, coerce=mp_rational, zero=mpmath.mpf(0), one=mpmath.mpf(1)))
                inertia = hessian_inertia(hessian, tol.hessian_zero)
            eigenvalues, negative, hessian_singular = inertia
            entry.update(hessian_eigenvalues=tuple(float(v) for v in eigenvalues), index_of_hessian=negative,
                         hessian_singular=hessian_singular)
        real_losses = [loss for loss in exact_losses if loss is not None]
        if real_losses:
            least = min(real_losses)
            for entry, loss in zip(points, exact_losses):
                if loss is not None:
                    entry["is_global"] = bool(loss - least <= tol.same_loss * max(1, abs(least)))
    evidence.update(
        largest_imaginary_called_real=max(imaginary_real, default=None),
        smallest_imaginary_called_complex=min(imaginary_complex, default=None),
        largest_coordinate_called_zero=max(zero_small, default=None),
        smallest_coordinate_called_nonzero=min(nonzero_small, default=None),
    )
    point_of_path = {finite[k][0]: labels[k] for k in range(len(finite))}
    return tuple(CriticalPoint(**entry) for entry in points), point_of_path, evidence
