"""Critical points of the *unregularized* loss, grouped by end-to-end matrix (``regularization="none"``).

Method (docs/unregularized.md): the pipeline solves the generic regularized system with
``Lambda_0`` (:func:`start_regularization`) and hands the result over; every distinct
finite solution along ``Lambda = tau Lambda_0``, ``tau -> 0``
(:mod:`algeo.tracking.continuation`), refine each end point on the exact unregularized
system, and group the refined points by ``Wbar = W_H ... W_1``. Each distinct
product is classified on the determinantal variety (:mod:`algeo.classify.determinantal`):
rank, loss, global or not, Morse index on its rank stratum, pure / spurious over
``M_r``, and the index set ``I`` of ``U``'s singular directions it equals.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, replace
from fractions import Fraction

import mpmath
import numpy

from .._fork import map_split
from ..classify import determinantal as det
from ..model.architecture import Architecture
from ..tracking.continuation import (
    CompiledSystem,
    ContinuationStatus,
    TrackOptions,
    TrackedPath,
    cauchy_endgame,
    refine_on_critical_set,
    seeded_gamma,
    track_all_to_zero,
)
from ..model.equilibration import InputEquilibration
from ..model.family import GramFamily
from ..model.gram_eval import GramEvaluator
from ..model.mp_gradient import MatrixGradient
from ..model.symmetry import apply_signs, orbit_representatives, sign_flip_matrices
from ..model.data import (Dataset, Regularization, RegularizationKind, generic_regularization,
                          scaled_generic_regularization)
from ..model.system import build_system
from ..results.solve_result import Counts, SolveResult, decimal_text
from ..results.unregularized import ContinuationPath, Product, UnregularizedSolveResult
from ..verify.refine import mp_context

__all__ = ["solve_unregularized", "start_regularization"]

logger = logging.getLogger(__name__)


@dataclass
class _Thresholds:
    zero: float
    nonzero: float
    same_product: float
    real: float


def _thresholds(digits: int) -> _Thresholds:
    return _Thresholds(zero=float(mpmath.mpf(10) ** (-(digits // 2))), nonzero=1e-8, same_product=1e-10,
                       real=float(mpmath.mpf(10) ** (-(digits // 2))))


def _product_matrix(architecture: Architecture, point) -> "mpmath.matrix":
    """``Wbar = W_H ... W_1`` from a flat point (row-major blocks, as the system's variables)."""
    product = None
    for W in det.layers_of(architecture, point):
        product = W if product is None else W * product
    return product


def _max_imaginary(matrix) -> float:
    scale = max(1.0, float(det.frobenius(matrix)))
    return float(max(abs(mpmath.im(matrix[i, j])) for i in range(matrix.rows) for j in range(matrix.cols))) / scale


def _real_part(matrix) -> "mpmath.matrix":
    return mpmath.matrix([[mpmath.re(matrix[i, j]) for j in range(matrix.cols)] for i in range(matrix.rows)])


#: other gammas (paths of tau from 1 to 0) a failed continuation path is tracked with before it is reported
RETRY_GAMMAS = 2
#: the step budget per decade of those retries, in multiples of the first tracking's: random law 2,2,2,3, m = 2,
#: seed 2 had one orbit (start norm 539) stuck at s = 0.598 under its gamma; under the second other gamma it used
#: up 1500 steps at s = 0.206, where the growth rule did not call it (tangent below log10 2), and with more
#: steps it stopped at s = 0.2004 growing like s^-0.59 since s = 1 and s^-0.36 there: diverged. Only failed
#: paths are retried, so the larger budget costs little (that orbit: 1.2 s)
RETRY_BUDGET = 4
#: the noise floor of those retries (relative Newton steps this small that stop contracting are rounding noise;
#: the first tracking's is 1e-7). Decimals 2,3,2,2, m = 2, seed 1 had one orbit (start norm 478) stuck by step
#: size underflow at s = 0.40, 0.36 and 0.46 under the three gammas, within half a decade of the start, where the
#: growth rule cannot judge: its Jacobian's condition number is 3e14 there (Skeel's too), and Newton's steps
#: wander at 1.0e-7 to 2.4e-7 of ||theta|| from any step size. With 1e-6 it stops at s = 0.12 and with 1e-5 at
#: s = 0.077 under each gamma, growing like s^-0.5 since s = 1: diverged. Only failed paths are retried, and their
#: ends are refined at tau = 0 and grouped by product as any other
RETRY_NOISE_FLOOR = 1e-5
#: where the Cauchy endgame loops around tau = 0 for a failed path (3,2,2 m = 3, seed 1: at s = 1e-2 the
#: loops enclosed other branch points and gave wrong means; at 1e-3 they gave the ends)
ENDGAME_S = 1e-3
#: the Cauchy endgame's radii, tried in turn: a failed path that reaches s = 1e-4 loops there first (2,2,2,3,
#: m = 2, seed 1: 62 paths of cycle numbers 1 and 2, 1.9 s at 1e-4 against 12.4 s at 1e-3, where one path's
#: steps held up every arc; loop spreads 0.007 against 0.16, the estimates within 3e-4 of each other and of
#: those at 1e-5); one stuck between 1e-3 and 1e-4 (3,2,2, m = 3) still loops at 1e-3
ENDGAME_RADII = (1e-4, ENDGAME_S)
#: largest loop spread (|x - mean| / max(1, |mean|)) of an accepted Cauchy estimate: converging paths measured
#: 0.06-0.62 at s = 1e-3, a diverging one (whose mean, the series' constant term, is no end) 95
CAUCHY_SPREAD = 2.0


def _cauchy_retry(outcome: list, evaluator, parameters, starts, representatives, gamma, options, follow,
                  endgame_s: float = ENDGAME_S) -> None:
    """Replace failed outcomes by the Cauchy endgame's, where it gives an end the refinement accepts.

    Only paths that got down to ``endgame_s`` are tracked again: one that stopped above it would stop at
    the same place (each path is tracked on its own, with the same gamma and budget).
    """
    failed = [r for r, o in enumerate(outcome) if o[0] is ContinuationStatus.FAILED
              and o[2].get("s_reached", 0.0) <= endgame_s * (1 + 1e-9)]
    if not failed:
        return
    stage = time.monotonic()
    again = track_all_to_zero(evaluator, parameters, starts[[representatives[r] for r in failed]], gamma=gamma,
                              options=replace(options, s_end=endgame_s))
    logger.info("%d failed paths tracked again to s = %g: %.1f s", len(failed), endgame_s, time.monotonic() - stage)
    ready = [(r, t) for r, t in zip(failed, again)
             if t.status is ContinuationStatus.CONVERGED and t.s_reached <= endgame_s * (1 + 1e-9)]
    for r, t in zip(failed, again):
        if t.status is ContinuationStatus.DIVERGED:
            outcome[r] = follow(replace(t, detail=f"{t.detail} (tracked again after: {outcome[r][1]})"))
    if not ready:
        return
    stage = time.monotonic()
    estimates = cauchy_endgame(evaluator, parameters, numpy.array([t.end for _, t in ready]), s0=endgame_s,
                               gamma=gamma)
    logger.info("Cauchy endgame of %d paths: %.1f s", len(ready), time.monotonic() - stage)
    stage = time.monotonic()
    for (r, t), estimate in zip(ready, estimates):
        if estimate.point is None or estimate.spread > CAUCHY_SPREAD:
            why = estimate.detail if estimate.point is None else f"{estimate.detail} is above {CAUCHY_SPREAD:g}"
            outcome[r] = (outcome[r][0], f"{outcome[r][1]}; Cauchy endgame: {why}", *outcome[r][2:])
            continue
        norm = float(numpy.abs(numpy.array(estimate.point)).max())
        followed = follow(TrackedPath(ContinuationStatus.CONVERGED, estimate.point, 0.0, t.steps, t.rejected, norm,
                                      estimate.detail))
        if followed[0] is ContinuationStatus.CONVERGED:
            outcome[r] = (followed[0], f"{followed[1]} (after: {outcome[r][1]})", *followed[2:])
        else:
            outcome[r] = (outcome[r][0], f"{outcome[r][1]}; {estimate.detail}, but {followed[1]}", *outcome[r][2:])
    logger.info("refinement at tau = 0 from the Cauchy estimates: %.1f s", time.monotonic() - stage)


def _continue_all(base: SolveResult, architecture: Architecture, dataset: Dataset, start_reg: Regularization,
                  *, seed: int, digits: int, options: TrackOptions, thresholds: _Thresholds,
                  equilibration: InputEquilibration | None = None):
    """Track and refine every Lambda_0 critical point; return path records and (index, product) pairs."""
    zero = tuple(tuple(tuple(Fraction(0) for _ in row) for row in matrix) for matrix in start_reg.Lambda)
    working = working_data(dataset, equilibration)
    # refined at tau = 0 on the exact system of the tracked data (equilibrated or not), then mapped back
    system = build_system(architecture, working, Regularization(RegularizationKind.NONE, zero, "zero"))
    polynomials = system.polynomial_system
    compiled = CompiledSystem(polynomials)
    gradient = MatrixGradient(architecture, working.X, working.Y)  # the same F, from matrix products
    gamma = seeded_gamma(seed)
    records, products = [], []
    parameters = GramFamily(architecture, working.n_samples).parameters_of(working, start_reg)  # (S, T, Lambda_0)
    starts = numpy.array([point.coordinates for point in base.points], dtype=complex).reshape(len(base.points),
                                                                                              architecture.n_parameters)
    # the homotopy is equivariant under the hidden-unit sign flips, which fix Wbar: track and refine one point
    # per orbit; the path of s x is s times the path of x, so its record and product are the image's
    flips = sign_flip_matrices(architecture)
    representatives, images = orbit_representatives(starts, flips)
    evaluator = GramEvaluator(architecture)
    # dF/dx at tau = 0 in closed form for the refinement (the same F as `polynomials` and `gradient`)
    at_zero = numpy.array(parameters, dtype=complex)
    at_zero[-evaluator.n:] = 0
    jacobian = lambda x: evaluator.value_and_jacobian(x[None], at_zero)[1][0]
    # a Lambda_0 scaled up to the data (start_regularization) needs that many more decades of s to reach the
    # same relative size: s_end, the handover and the Cauchy endgame move down with it
    relative = 1 / float(_start_scale(architecture, working))
    if relative != 1:
        options = replace(options, s_end=options.s_end * relative, handover_below=options.handover_below * relative,
                          one_decade_below=options.one_decade_below * relative)
    stage = time.monotonic()
    tracked_reps = track_all_to_zero(evaluator, parameters, starts[representatives], gamma=gamma, options=options)
    logger.info("continuation of %d paths (one per sign-flip orbit) towards tau = 0: %.1f s", len(representatives),
                time.monotonic() - stage)
    with mp_context(digits):
        whitened = det.whitening(dataset)
        # per representative: status, detail, tracking and refinement fields, refined point, product, rank, check
        original = None if equilibration is None else (lambda p: equilibration.to_original(architecture, p))
        follow = lambda tracked: _follow(tracked, polynomials, compiled, architecture, whitened, thresholds, digits,
                                         original, gradient, jacobian)
        stage = time.monotonic()
        outcome = _follow_all(follow, tracked_reps)
        logger.info("refinement at tau = 0 of the converged ends: %.1f s", time.monotonic() - stage)
        stage = time.monotonic()
        # a failed path (stuck, or an end Gauss-Newton cannot bring to the critical set): first the Cauchy
        # endgame from s = ENDGAME_RADII in turn, then other gammas (other paths of tau from 1 to 0); said in its detail
        for endgame_s in ENDGAME_RADII:
            _cauchy_retry(outcome, evaluator, parameters, starts, representatives, gamma, options, follow,
                          endgame_s=endgame_s * relative)
        retrying = replace(options, max_steps_per_decade=RETRY_BUDGET * options.max_steps_per_decade,
                           noise_floor=max(options.noise_floor, RETRY_NOISE_FLOOR))
        for retry in range(1, RETRY_GAMMAS + 1):
            failed = [r for r, o in enumerate(outcome) if o[0] is ContinuationStatus.FAILED]
            if not failed:
                break
            other = seeded_gamma(seed + 1000 * retry)
            again = track_all_to_zero(evaluator, parameters, starts[[representatives[r] for r in failed]],
                                      gamma=other, options=retrying)
            for r, tracked in zip(failed, again):
                followed = follow(tracked)
                if followed[0] is not ContinuationStatus.FAILED:
                    note = (f"tracked again with gamma {other:.4f}, {RETRY_BUDGET}x the step budget and noise floor "
                            f"{retrying.noise_floor:g} after: {outcome[r][1]}")
                    outcome[r] = (followed[0], "; ".join(x for x in (followed[1], note) if x), *followed[2:])
                elif retry == RETRY_GAMMAS:
                    note = f"{RETRY_GAMMAS} other gammas failed too (the last: {followed[1]})"
                    outcome[r] = (outcome[r][0], f"{outcome[r][1]}; {note}", *outcome[r][2:])
        logger.info("Cauchy endgame and other gammas for failed paths: %.1f s", time.monotonic() - stage)
        for index, (point, (r, f)) in enumerate(zip(base.points, images)):
            common = dict(index=index, start_point=point.index)
            status, detail, tracking, fields, refined, product, rank, residual, check = outcome[r]
            note = "" if f == 0 else f"sign-flip image of path {representatives[r]}"
            detail = "; ".join(x for x in (detail, note) if x)
            if fields and f:
                signs = [int(sign) for sign in flips[f]]
                refined = apply_signs(refined, signs)
                # the representative's text, negated where the sign is: nstr(-x) is "-" + nstr(x)
                fields = dict(fields, coordinates_text=tuple(
                    pair if sign > 0 else (_negated(pair[0]), _negated(pair[1]))
                    for pair, sign in zip(fields["coordinates_text"], signs)), refined=refined)
            extra = {} if product is None else dict(rank=rank, stratum_check=check,
                                                     stratum_residual=None if residual is None else float(residual))
            records.append(ContinuationPath(status=status, detail=detail, **common, **tracking, **fields, **extra))
            if product is not None:
                products.append((index, product))
        return records, products, whitened, gamma


#: tracked paths per worker process below which their refinements run in this process alone
FOLLOW_SPLIT_AT_LEAST = 200


def _follow_all(follow, tracked: list) -> list[tuple]:
    """``follow`` on every tracked path, shared out over worker processes (each path's fate is its own).

    An mpmath matrix does not pickle: a child sends the product as rows of entries.
    """
    def share(paths):
        outcomes = [follow(path) for path in paths]
        if os.getpid() == parent:
            return outcomes
        return [o[:5] + (None if o[5] is None else o[5].tolist(),) + o[6:] for o in outcomes]

    def rebuilt(o):
        return o if o[5] is None or isinstance(o[5], mpmath.matrix) else o[:5] + (mpmath.matrix(o[5]),) + o[6:]

    parent = os.getpid()
    return [rebuilt(o) for o in map_split(share, list(tracked), min_share=FOLLOW_SPLIT_AT_LEAST)]


def _negated(text: str) -> str:
    """The :func:`decimal_text` of ``-x`` from that of ``x``."""
    return text if text == "0" else text[1:] if text.startswith("-") else "-" + text


def _follow(tracked, polynomials, compiled, architecture: Architecture, whitened, thresholds: _Thresholds, digits: int,
            original=None, gradient=None, jacobian=None):
    """One tracked path's fate: refinement at tau = 0, product, rank and the stratum check (inside ``mp_context``).

    ``original`` maps a refined point of an equilibrated system to the user's weights (exactly, at
    the working precision); the product, its rank and stratum are of those.
    """
    tracking = dict(steps=tracked.steps, rejected_steps=tracked.rejected, s_reached=tracked.s_reached,
                    end_norm=tracked.end_norm)
    if tracked.status is not ContinuationStatus.CONVERGED:
        return tracked.status, tracked.detail, tracking, {}, None, None, None, None, None
    refined = refine_on_critical_set(polynomials, tracked.end, digits=digits, compiled=compiled, residual=gradient,
                                     jacobian=jacobian)
    point = tuple(mpmath.mpc(z) for z in refined.point)
    if original is not None:
        point = original(point)
    fields = dict(residual=float(refined.residual), newton_step=float(refined.last_step),
                  step_converged=refined.step_converged, jacobian_rank=refined.jacobian_rank,
                  jacobian_gap=None if refined.jacobian_gap is None else float(refined.jacobian_gap),
                  coordinates_text=tuple((decimal_text(mpmath.re(z), digits), decimal_text(mpmath.im(z), digits))
                                         for z in point),
                  refined=point)
    detail = tracked.detail
    if not refined.converged:
        if not stalled_on_critical_set(refined, digits):
            return (ContinuationStatus.FAILED, f"Gauss-Newton at tau = 0 did not converge (residual "
                    f"{float(refined.residual):.3g})", tracking, fields, point, None, None, None, None)
        detail = "; ".join(x for x in (detail, f"Gauss-Newton at tau = 0 stopped at residual "
                                       f"{float(refined.residual):.3g}, above its tolerance and below "
                                       f"10^(-{digits // 2}): accepted (a singular point of the critical set)") if x)
    product = _product_matrix(architecture, point)
    if _max_imaginary(product) <= thresholds.real:
        product = _real_part(product)
    rank = det.numerical_rank(product, zero=thresholds.zero, nonzero=thresholds.nonzero).rank
    residual = check = None
    if rank is not None:
        residual = det.stratum_gradient_residual(product, rank, whitened)
        check = (det.Decision.YES if residual <= thresholds.zero else
                 det.Decision.NO if residual >= thresholds.nonzero else det.Decision.UNDECIDED)
    return ContinuationStatus.CONVERGED, detail, tracking, fields, point, product, rank, residual, check


def stalled_on_critical_set(refined, digits: int) -> bool:
    """Whether a refinement that missed its tolerance ``10^(10 - digits)`` still ends on the critical set.

    At a singular point of the critical set the Jacobian has singular values double precision
    does not resolve, so the steps (double-precision Jacobian) stop in the resolved directions
    with a residual left in the others: 2,2,2,3, m = 2, seed 3 had four orbits of cycle number 2
    whose Cauchy estimates refined to residuals 3e-30 to 2e-29 against tolerances near 2.5e-30, the
    last step 1e-40, and at 80 digits the same residuals after 400 steps. Such an end is accepted
    when the steps have converged and the residual is below ``10^(-digits/2)`` (relative to
    ``max(1, ||x||)``), the threshold the classification calls zero; its product is then grouped
    and classified like any other, by the exact stratum checks (a product no converged path
    reaches is classified from such an end, and its checks say whether it is critical).
    """
    scale = max(mpmath.mpf(1), max((abs(z) for z in refined.point), default=mpmath.mpf(0)))
    return bool(refined.step_converged and refined.residual <= mpmath.mpf(10) ** (-(digits // 2)) * scale)


def _group(products, thresholds: _Thresholds) -> list[list[int]]:
    """Cluster products (positions into ``products``) at relative max-norm distance ``same_product``.

    A product joins the first group, in order of creation, whose first member is that close (relative
    to ``max(1, ||Wbar||_F)`` of the joining product); else it starts a group. Compared in complex
    doubles (the threshold is 1e-10), one group's first member against all products at once.
    """
    if not products:
        return []
    rows, cols = products[0][1].rows, products[0][1].cols
    entries = numpy.array([[complex(matrix[i, j]) for i in range(rows) for j in range(cols)]
                           for _, matrix in products])
    scales = numpy.maximum(1.0, numpy.array([float(det.frobenius(matrix)) for _, matrix in products]))
    group_of = numpy.full(len(products), -1)
    groups: list[list[int]] = []
    while True:
        free = numpy.flatnonzero(group_of < 0)
        if not len(free):
            return groups
        first = free[0]
        close = numpy.abs(entries[free] - entries[first]).max(axis=1) <= thresholds.same_product * scales[free]
        close[0] = True
        group_of[free[close]] = len(groups)
        groups.append([int(k) for k in free[close]])


def _classify(index: int, matrix, members_paths, members_starts, architecture: Architecture,
              whitened: det.Whitening, thresholds: _Thresholds, digits: int) -> dict:
    rank_decision = det.numerical_rank(matrix, zero=thresholds.zero, nonzero=thresholds.nonzero)
    rank = rank_decision.rank
    imaginary = _max_imaginary(matrix)
    is_real = imaginary <= thresholds.real
    index_set, distance = det.match_index_set(_real_part(matrix), whitened)
    loss = loss_text = eckart = None
    if is_real:
        value = det.loss_of_product(matrix, whitened)
        loss, loss_text = float(mpmath.re(value)), decimal_text(mpmath.re(value), digits)
        outside = sum((whitened.sigma[i] ** 2 for i in range(whitened.q) if i not in index_set), mpmath.mpf(0))
        constant = whitened.trace_YYt / 2 - sum(s ** 2 for s in whitened.sigma) / 2
        eckart = float(mpmath.re(value) - (outside / 2 + constant))
    stratum_index = degenerate = eigenvalues = None
    if is_real and rank is not None:
        stratum_index, extra_nullity, values = det.stratum_index(matrix, rank, whitened, zero=thresholds.zero)
        degenerate, eigenvalues = extra_nullity != 0, tuple(float(v) for v in values)
    purity, purity_residual = det.purity(matrix, rank, architecture.rank_bound, whitened,
                                         zero=thresholds.zero, nonzero=thresholds.nonzero)
    local_minimum = None
    if purity is det.Purity.SPURIOUS:
        local_minimum = False  # not even critical on M_r
    elif purity is det.Purity.PURE and stratum_index is not None:
        local_minimum = stratum_index == 0 and not degenerate
    return dict(
        index=index,
        matrix_text=tuple(tuple(decimal_text(mpmath.re(matrix[i, j]), digits) for j in range(matrix.cols))
                          for i in range(matrix.rows)),
        max_imaginary=imaginary, rank=rank,
        singular_values=tuple(float(v) for v in rank_decision.singular_values),
        largest_singular_value_called_zero=None if rank_decision.largest_called_zero is None
        else float(rank_decision.largest_called_zero),
        smallest_singular_value_called_nonzero=None if rank_decision.smallest_called_nonzero is None
        else float(rank_decision.smallest_called_nonzero),
        loss=loss, loss_text=loss_text, _loss=None if loss is None else det.loss_of_product(matrix, whitened),
        is_global=None, stratum_index=stratum_index, stratum_degenerate=degenerate,
        stratum_hessian_eigenvalues=eigenvalues, purity=purity,
        purity_residual=None if purity_residual is None else float(purity_residual),
        is_local_minimum_on_M_r=local_minimum, index_set=tuple(i + 1 for i in index_set),
        distance_to_U_I=float(distance), eckart_young_loss_difference=eckart,
        paths=tuple(members_paths), start_points=tuple(members_starts),
    )


def start_regularization(architecture: Architecture, dataset: Dataset, seed: int,
                         equilibration: InputEquilibration | None = None) -> Regularization:
    """The generic ``Lambda_0`` the continuation starts from, after the exact genericity check.

    Raises :class:`InputError` for non-generic data (singular ``XX^T``, repeated or zero
    singular values of ``U``). With ``equilibration`` the ``Lambda_0`` is for its data (the
    system the continuation starts from); the check is of ``dataset``, the user's.
    """
    det.check_generic_targets(dataset, architecture)
    scale = _start_scale(architecture, working_data(dataset, equilibration))
    if scale == 1:
        return generic_regularization(architecture, seed)
    return scaled_generic_regularization(architecture, seed, scale)


def working_data(dataset: Dataset, equilibration: InputEquilibration | None) -> Dataset:
    """The data the ``Lambda_0`` system and the continuation use: the equilibrated ones, if any."""
    return dataset if equilibration is None else equilibration.dataset


def _start_scale(architecture: Architecture, dataset: Dataset) -> Fraction:
    """The factor of the generic ``Lambda_0``: 1 for data of about unit size (the random law), else
    :func:`_data_scale`; the continuation goes ``log10`` of it more decades down in ``s``."""
    scale = _data_scale(architecture, dataset)
    return Fraction(1) if Fraction(1, 8) <= scale <= 8 else scale


def _data_scale(architecture: Architecture, dataset: Dataset) -> Fraction:
    """A power of two of the size of the data term's curvature in one layer's weights.

    At a balanced critical point each layer has entries of about ``(|Y| / |X|)^(1/H)``, so the data
    term's Hessian in one layer is about ``(|Y| / |X|)^(2 (H - 1) / H) |X|^2 m`` (``|.|`` the root
    mean square of the entries). ``Lambda_0`` of that size keeps the ``Lambda_0`` system as well
    conditioned for data far from unit size as for the random law's.
    """
    import math

    rms = lambda rows: math.sqrt(sum(float(v) ** 2 for row in rows for v in row) / sum(len(row) for row in rows))
    x, y, H, m = rms(dataset.X), rms(dataset.Y), architecture.depth, dataset.n_samples
    if not x > 0 or not y > 0:
        return Fraction(1)
    size = (y / x) ** (2 * (H - 1) / H) * x * x * m
    return Fraction(2) ** round(math.log2(size))


def solve_unregularized(base: SolveResult, architecture: Architecture, dataset: Dataset, start_reg: Regularization,
                        *, seed: int, digits: int, track_options: TrackOptions = TrackOptions(),
                        description: str = "none", started: float | None = None,
                        equilibration: InputEquilibration | None = None) -> UnregularizedSolveResult:
    """Critical points of ``L`` with ``Lambda = 0``, grouped and classified by end-to-end matrix.

    ``base`` is the solve of the same data at ``start_reg`` (:func:`start_regularization`);
    every one of its points is continued to ``Lambda = 0``. With ``equilibration``
    (:mod:`algeo.model.equilibration`) ``base``, the continuation and the refinement at ``tau = 0``
    are of its data; each refined end is then mapped back exactly to the user's weights, and
    grouped and classified on the user's data.
    """
    started = time.monotonic() if started is None else started
    thresholds = _thresholds(digits)
    records, products, whitened, gamma = _continue_all(base, architecture, dataset, start_reg, seed=seed,
                                                       digits=digits, options=track_options, thresholds=thresholds,
                                                       equilibration=equilibration)
    groups = _group(products, thresholds)
    path_of_position = [products[k][0] for k in range(len(products))]
    with mp_context(digits):
        entries = []
        for number, group in enumerate(groups):
            best = min(group, key=lambda k: records[path_of_position[k]].residual)
            paths = tuple(path_of_position[k] for k in group)
            entries.append(_classify(number, products[best][1], paths,
                                     tuple(records[k].start_point for k in paths), architecture, whitened,
                                     thresholds, digits))
        real_losses = [e["_loss"] for e in entries if e["_loss"] is not None]
        if real_losses:
            least = min(mpmath.re(v) for v in real_losses)
            for e in entries:
                if e["_loss"] is not None:
                    e["is_global"] = bool(mpmath.re(e["_loss"]) - least <= thresholds.zero * max(1, abs(least)))
    product_of_path = {p: e["index"] for e in entries for p in e["paths"]}
    records = [ContinuationPath(**{**r.__dict__, "product": product_of_path.get(r.index)}) for r in records]
    result_products = tuple(Product(**{k: v for k, v in e.items() if k != "_loss"}) for e in entries)
    problems, warnings = _checks(architecture, records, result_products, thresholds)
    statuses = [r.status for r in records]
    extra = dict(
        continuation_paths=len(records),
        continuation_converged=statuses.count(ContinuationStatus.CONVERGED),
        continuation_diverged=statuses.count(ContinuationStatus.DIVERGED),
        continuation_failed=statuses.count(ContinuationStatus.FAILED),
        products=len(result_products),
        products_generic_theory=architecture.n_unregularized_products,
        pure=sum(p.purity is det.Purity.PURE for p in result_products),
        spurious=sum(p.purity is det.Purity.SPURIOUS for p in result_products),
        undecided=sum(p.purity is det.Purity.UNDECIDED or p.rank is None for p in result_products),
        local_minima_on_M_r=sum(bool(p.is_local_minimum_on_M_r) for p in result_products),
    )
    counts = Counts(**{**{k: getattr(base.counts, k) for k in base.counts.__dataclass_fields__ if k != "extra"},
                       "extra": {**base.counts.extra, **extra}})
    provenance = dict(base.provenance)
    provenance["regularization"] = {"kind": "none", "description": description,
                                    "convention": base.provenance["regularization"]["convention"]}
    provenance["unregularized"] = {
        "method": "continuation Lambda = tau Lambda_0, tau(s) = s^2 (1 - gamma) + s gamma, s: 1 -> s_end, then "
                  "Gauss-Newton (truncated pseudo-inverse) at tau = 0 on the exact system (docs/unregularized.md)",
        "start_regularization": start_reg.to_json(),
        "equilibration": None if equilibration is None else {
            **equilibration.to_json(),
            "note": "the Lambda_0 system (counts, points, paths of this result) and the continuation are of the "
                    "equilibrated data X' = D X, Y' = Y / c; the continuation's ends are mapped to the given "
                    "data's weights and refined there (algeo.model.equilibration)"},
        "gamma": [gamma.real, gamma.imag],
        "track_options": track_options.to_json(),
        "thresholds": dict(thresholds.__dict__),
        "target_singular_values": [float(s) for s in whitened.sigma],
    }
    provenance["wall_time_seconds"] = round(time.monotonic() - started, 3)
    for message in problems:
        logger.error("%s", message)
    return UnregularizedSolveResult(
        base.widths, counts, base.bounds, base.points, base.paths, provenance,
        tuple(base.warnings) + tuple(warnings), tuple(base.problems) + tuple(problems), base.diagnostics,
        continuation=tuple(records), products=result_products, filling=architecture.is_filling)


def _checks(architecture: Architecture, records, products, thresholds: _Thresholds) -> tuple[list[str], list[str]]:
    problems, warnings = [], []
    r = architecture.rank_bound
    for record in records:
        if record.status is ContinuationStatus.FAILED:
            problems.append(f"continuation path {record.index} (from point {record.start_point}) failed: "
                            f"{record.detail}; a component of the critical set may be missed")
        if record.stratum_check is det.Decision.NO:
            problems.append(f"path {record.index}: theta is critical with rank mu(theta) = {record.rank}, but mu(theta) "
                            f"is not critical on the rank-{record.rank} stratum (tangent gradient "
                            f"{record.stratum_residual:.3g})")
        if record.stratum_check is det.Decision.UNDECIDED:
            warnings.append(f"path {record.index}: stratum criticality undecided (tangent gradient "
                            f"{record.stratum_residual:.3g})")
        if record.status is ContinuationStatus.CONVERGED and record.rank is None:
            warnings.append(f"path {record.index}: the rank of mu(theta) is undecided (no clear singular-value gap)")
    for product in products:
        if product.rank == r and product.purity is not det.Purity.PURE:
            problems.append(f"product {product.index} has rank e = r = {r} but is {product.purity.value}: "
                            "e = r must give a pure critical point")
        if product.distance_to_U_I > thresholds.nonzero * max(1.0, max(product.singular_values, default=1.0)):
            problems.append(f"product {product.index} is at distance {product.distance_to_U_I:.3g} from the nearest "
                            f"U_I (I = {set(product.index_set) or '{}'}): generic data allow only the U_I")
        if product.eckart_young_loss_difference is not None and abs(product.eckart_young_loss_difference) > 1e-12:
            problems.append(f"product {product.index}: loss differs from the Eckart-Young value by "
                            f"{product.eckart_young_loss_difference:.3g}")
        if product.stratum_degenerate:
            warnings.append(f"product {product.index}: degenerate critical point on its stratum")
    if len(products) != architecture.n_unregularized_products:
        problems.append(f"{len(products)} distinct end-to-end matrices found, but generic data have "
                        f"{architecture.n_unregularized_products} (sum_(k <= r) C(q, k)): components were missed "
                        "or split")
    minima = sum(bool(p.is_local_minimum_on_M_r) for p in products)
    if products and minima != 1:
        problems.append(f"{minima} products are local minima of l on M_r; for generic data exactly one is")
    return problems, warnings
