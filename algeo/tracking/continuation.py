"""Continuation of regularized critical points to ``Lambda = 0`` and refinement on the critical set.

The homotopy is ``F(theta, tau) = G_0(theta) + tau * (Lambda_0 o theta)``, where ``G_0`` is
the exact unregularized gradient and ``Lambda_0`` the generic weights the start
points were solved with: the Gram family (:mod:`algeo.model.gram_eval`) at
``(S, T, tau Lambda_0)``. ``tau`` runs from 1 to 0 along the complex arc
``tau(s) = s^2 (1 - gamma) + s gamma``, ``s: 1 -> 0`` (``gamma`` a seeded unit complex
number), so the path avoids the real discriminant points that a real segment
``t Lambda_0`` meets generically. Every path is tracked at once by the batched tracker
(:mod:`algeo.tracking.batch`, RK4 predictor and Newton corrector in complex double
precision), one call per decade of ``s`` with a geometric approach to ``s = 0``, down to ``s_end``
(:func:`track_all_to_zero`).

The end point is then refined at ``tau = 0`` in mpmath on the exact rationals by
Gauss-Newton with a truncated pseudo-inverse (:func:`refine_on_critical_set`):
the Jacobian is singular along the positive-dimensional critical set, so the
step drops the singular directions below the largest visible gap of the
Jacobian's singular values.
"""

from __future__ import annotations

import cmath
import math
import random
from dataclasses import dataclass, replace
from typing import Sequence

import mpmath
import numpy

from ..model.polynomial import PolynomialSystem
from ..results.statuses import ContinuationStatus
from ..verify.refine import arb_to_mpf, flint_or_none, mp_rational

__all__ = ["CompiledSystem", "ContinuationStatus", "TrackOptions", "TrackedPath", "CriticalSetRefinement",
           "track_all_to_zero", "refine_on_critical_set", "seeded_gamma", "cauchy_endgame", "CauchyEstimate"]


@dataclass(frozen=True)
class TrackOptions:
    """Tracker settings (docs/unregularized.md)."""

    s_end: float = 1e-8
    initial_step: float = 0.05
    min_step: float = 1e-13
    predictor_error: float = 0.5  # the batched tracker's jump guards, looser than for root counting: ends are
    contraction: float = 0.5  # grouped by product, so a jump between two paths loses nothing
    handover_below: float = 1e-2  # a path stuck below this s goes to the refinement at tau = 0
    max_steps_per_decade: int = 1500  # the batched tracker's budget for each decade of s (steps and rejections)
    growth_check_after: int = 200  # steps in a decade after which a path growing like a diverging one is stopped
    corrector_accept: float = 1e-7  # relative Newton step required to accept a step
    noise_floor: float = 1e-7  # relative Newton steps this small that stop contracting are rounding noise
    max_corrector_iterations: int = 4
    divergence_bound: float = 1e6  # relative to max(1, ||start||)
    one_decade_below: float = 1e-2  # from this s on, growth by DIVERGENCE_GROWTH over one decade is divergence too

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class TrackedPath:
    status: ContinuationStatus
    end: tuple[complex, ...]
    s_reached: float
    steps: int
    rejected: int
    end_norm: float
    detail: str = ""


def seeded_gamma(seed: int) -> complex:
    """A unit complex number drawn from the seed, away from the real axis."""
    angle = random.Random(f"algeo-gamma-{seed}").uniform(0.3, math.pi - 0.3)
    return cmath.exp(1j * angle)


def _tau(s: float, gamma: complex) -> tuple[complex, complex]:
    return s * s * (1 - gamma) + s * gamma, 2 * s * (1 - gamma) + gamma


class CompiledSystem:
    """The exact system's Jacobian terms as numpy arrays (coefficients rounded to double).

    Used only for the double-precision Jacobian of the refinement's correction; residuals
    of end points are always evaluated on the exact rationals.
    """

    def __init__(self, system: PolynomialSystem):
        self.n = system.n_variables
        self.degree = max(system.max_degree, 1)
        self._jacobian = self._compile([(i * self.n + j, entry) for i, row in enumerate(system.jacobian)
                                        for j, entry in enumerate(row)])

    def _compile(self, indexed):
        rows, exponents, coefficients = [], [], []
        for row, polynomial in indexed:
            for exponent, coefficient in polynomial.terms:
                rows.append(row)
                exponents.append(exponent)
                coefficients.append(float(coefficient))
        exponents = numpy.array(exponents, dtype=int).reshape(len(rows), self.n)
        return numpy.array(rows, dtype=int), exponents, numpy.array(coefficients, dtype=complex)

    def _evaluate(self, compiled, x: numpy.ndarray, size: int) -> numpy.ndarray:
        rows, exponents, coefficients = compiled
        powers = x[None, :] ** numpy.arange(self.degree + 1)[:, None]  # powers[k, i] = x_i^k
        monomials = coefficients * numpy.prod(powers[exponents, numpy.arange(self.n)[None, :]], axis=1)
        result = numpy.zeros(size, dtype=complex)
        numpy.add.at(result, rows, monomials)
        return result

    def jacobian(self, x: numpy.ndarray) -> numpy.ndarray:
        return self._evaluate(self._jacobian, x, self.n * self.n).reshape(self.n, self.n)


def _norm(x: numpy.ndarray) -> float:
    return float(numpy.max(numpy.abs(x))) if len(x) else 0.0


#: norm ratio over the window of :func:`_growth` above which a path is diverged
DIVERGENCE_GROWTH = 2.0


#: the same growth as a power of s: ``||theta|| ~ s^(-v)`` grows by DIVERGENCE_GROWTH per decade for this ``v``
DIVERGENCE_VALUATION = math.log10(DIVERGENCE_GROWTH)


def _secant_valuation(history: list[tuple[float, float]], s: float, norm: float) -> tuple[float, float] | None:
    """``log(||x|| / ||x_mark||) / log(s / s_mark)`` from the latest mark at least half a decade above ``s``
    (norms as :func:`_growth` takes them, at least 1), and that mark's ``s``; None without one."""
    for s_mark, norm_mark in reversed(history):
        if s_mark >= s * math.sqrt(10):
            return math.log(max(1.0, norm) / max(1.0, norm_mark)) / math.log(s / s_mark), s_mark
    return None


def _tangent_valuations(evaluator, path, points: numpy.ndarray, s: numpy.ndarray) -> numpy.ndarray:
    """``d log ||x|| / d log s`` along the path at each point (2-norm; ``dx/ds`` from the tangent of the
    homotopy), nan where the Jacobian is singular."""
    from .batch import _velocity

    velocity, ok = _velocity(evaluator, path, points, s, numpy.arange(len(points)))
    square = numpy.sum(numpy.abs(points) ** 2, axis=1)
    ok &= square > 0
    rate = numpy.real(numpy.sum(numpy.conj(points) * velocity, axis=1)) * s / numpy.where(ok, square, 1.0)
    return numpy.where(ok, rate, numpy.nan)


def _growth(history: list[tuple[float, float]], decades: int = 2) -> float | None:
    """Norm ratio between the last decade mark and the one ``decades`` decades earlier."""
    if len(history) < decades + 1:
        return None
    return max(1.0, history[-1][1]) / max(1.0, history[-1 - decades][1])


@dataclass(frozen=True)
class CriticalSetRefinement:
    """Gauss-Newton at ``tau = 0`` on the exact system, with a truncated pseudo-inverse."""

    point: tuple
    residual: object
    last_step: object
    iterations: int
    converged: bool
    jacobian_rank: int  # rank used in the last step (singular values kept)
    jacobian_gap: object | None  # smallest kept / largest dropped singular value (None: none dropped)
    step_converged: bool  # False: residual small but steps still shrinking (singular, linear convergence)


def _truncation(values, *, min_ratio: float) -> tuple[int, float | None]:
    """Keep singular values down to the largest ratio gap ``sigma_k / sigma_{k+1} >= min_ratio``."""
    values = [float(v) for v in values]
    if not values or values[0] == 0:
        return 0, None
    best_rank, best_ratio = len(values), None
    for k in range(len(values) - 1, 0, -1):
        upper, lower = values[k - 1], values[k]
        ratio = math.inf if lower == 0 else upper / lower
        if ratio >= min_ratio and (best_ratio is None or ratio > best_ratio):
            best_rank, best_ratio = k, ratio
    return best_rank, best_ratio


#: iterations over which :func:`refine_on_critical_set` asks the residual to halve (linear convergence at a singular
#: point of the critical set divides it by about 4 per iteration). Measured on 2,3,2,2, m = 2, seed 1: 202 of 1,477
#: refinements ran 120-160 iterations, 128 of them on a plateau (1e-27, 3e-9, 8e-18) from the 20th on, the others
#: at the 50-digit noise (1e-51) from the 2nd, with steps that never fell below the step tolerance.
STALL_WINDOW = 10


def refine_on_critical_set(system: PolynomialSystem, start: Sequence[complex], *, digits: int,
                           max_iterations: int | None = None, min_gap: float = 1e3, noise_floor: float = 1e-12,
                           compiled: CompiledSystem | None = None, residual=None,
                           jacobian=None) -> CriticalSetRefinement:
    """Gauss-Newton with an SVD-truncated pseudo-inverse, at ``digits`` digits (inside ``mp_context``).

    The residual ``F(x)`` is evaluated at ``digits`` digits on the exact rationals; the
    correction solves the truncated least-squares problem with the Jacobian in double
    precision (a quasi-Newton step: each iteration gains about 15 digits near a smooth
    point of the critical set). Each step keeps the Jacobian's singular values above
    the largest ratio gap of at least ``min_gap`` (all of them when there is no such
    gap). If those steps stall with the residual above tolerance (near a singular point
    of the critical set, where every singular value is small), the remaining steps keep
    every singular value above ``noise_floor * sigma_1``. Iterates until the step is below
    ``10^(5 - digits)`` times ``max(1, ||x||)`` (or ``max_iterations``, by default
    ``60 + 2 digits``); converged when the residual is below ``10^(10 - digits)`` times the
    same scale. At a singular point of the critical set (e.g. the origin of a depth-3
    network, where the gradient has no linear term) Newton converges only linearly: the
    residual criterion is then met while ``step_converged`` stays False. A residual that does
    not halve over ``STALL_WINDOW`` iterations has stalled: the noise-floor steps are tried (as
    above), and if the residual stalls again the iteration stops there (the outcome is judged
    as at the iteration limit, which such runs used to reach after 160 iterations of no progress).

    ``residual``: the same ``F`` from matrix products (:class:`algeo.model.mp_gradient.MatrixGradient`).
    With python-flint and ``digits <= FLINT_DIGITS`` it is evaluated in ``acb`` balls (its ``balls``,
    at mpmath's working precision; the iteration keeps the midpoints), else in mpmath. ``jacobian``:
    ``x -> dF/dx`` in complex doubles (e.g. the closed-form :class:`algeo.model.gram_eval.GramEvaluator`;
    default ``compiled``'s). The 1,358 refinements of 2,3,2,2, m = 2, seed 2's continuation, in one
    process (``ALGEO_WORKERS=1``): 27 ms each in mpmath with the compiled Jacobian, 4.0 ms so.
    """
    if jacobian is None:
        jacobian = (compiled or CompiledSystem(system)).jacobian
    if max_iterations is None:
        # linear convergence at singular points of the critical set gains a constant factor per step (about
        # 0.55 measured): 60 steps reached 1e-30 where 50 digits ask 1e-40, so the budget grows with digits
        max_iterations = 60 + 2 * digits
    flint = flint_or_none() if hasattr(residual, "balls") and digits <= FLINT_DIGITS else None
    if flint is None:
        return _gauss_newton(_MpArithmetic(system, residual), start, digits, max_iterations, min_gap, noise_floor,
                             jacobian)
    with flint.ctx.workprec(mpmath.mp.prec):
        return _gauss_newton(_BallArithmetic(flint, residual.balls(flint)), start, digits, max_iterations, min_gap,
                             noise_floor, jacobian)


#: the largest ``digits`` refined in python-flint balls: the iteration's bookkeeping (residual norms, step sizes)
#: is in doubles there, which hold 10^(-digits) down to about 1e-300
FLINT_DIGITS = 250


class _MpArithmetic:
    """The points and residuals of :func:`_gauss_newton` as mpmath numbers (at mpmath's precision)."""

    def __init__(self, system: PolynomialSystem, residual=None):
        zero, one = mpmath.mpc(0), mpmath.mpc(1)
        self.evaluate = residual or (lambda x: system.evaluate(x, coerce=mp_rational, zero=zero, one=one))

    def point(self, start):
        return [mpmath.mpc(z.real, z.imag) for z in start]

    def norm(self, values):
        return max(abs(v) for v in values)

    def doubles(self, values, divisor) -> numpy.ndarray:
        return numpy.array([complex(v / divisor) for v in values])

    def stepped(self, point, magnitude, step):
        return [x - magnitude * mpmath.mpc(complex(d)) for x, d in zip(point, step)]

    def to_doubles(self, point) -> numpy.ndarray:
        return numpy.array([complex(z) for z in point])

    def to_mpmath(self, point) -> tuple:
        return tuple(point)


class _BallArithmetic:
    """The points of :func:`_gauss_newton` as python-flint ``acb`` midpoints; norms and step sizes in doubles."""

    def __init__(self, flint, evaluate):
        self.flint, self.evaluate = flint, evaluate

    def point(self, start):
        return [self.flint.acb(z.real, z.imag) for z in start]

    def norm(self, values) -> float:
        return max(float(abs(v).mid()) for v in values)

    def doubles(self, values, divisor) -> numpy.ndarray:
        return numpy.array([complex(float(v.real.mid()) / divisor, float(v.imag.mid()) / divisor) for v in values])

    def to_doubles(self, point) -> numpy.ndarray:
        return numpy.array([complex(float(z.real.mid()), float(z.imag.mid())) for z in point])

    def stepped(self, point, magnitude, step):
        acb = self.flint.acb
        return [(x - acb(magnitude * d.real, magnitude * d.imag)).mid() for x, d in zip(point, step.tolist())]

    def to_mpmath(self, point) -> tuple:
        return tuple(mpmath.mpc(arb_to_mpf(x.real), arb_to_mpf(x.imag)) for x in point)


def _gauss_newton(arithmetic, start, digits: int, max_iterations: int, min_gap: float, noise_floor: float,
                  jacobian) -> CriticalSetRefinement:
    """The iteration of :func:`refine_on_critical_set` in ``arithmetic``'s numbers."""
    n = len(start)
    point = arithmetic.point(start)
    evaluate = arithmetic.evaluate
    step_tolerance = mpmath.mpf(10) ** (5 - digits)
    residual_tolerance = mpmath.mpf(10) ** (10 - digits)
    last_step, rank, gap = mpmath.inf, n, None
    iterations, late = 0, False
    marks = []  # the residual at each iteration, for the stall rule
    for iterations in range(1, max_iterations + 1):
        values = evaluate(point)
        magnitude = arithmetic.norm(values)
        if magnitude == 0:
            last_step = mpmath.mpf(0)
            break
        marks.append(magnitude)
        if len(marks) > STALL_WINDOW and not marks[-1] < marks[-1 - STALL_WINDOW] / 2:
            # no progress over the window: a plateau (an end too far from the set) or the working precision's
            # noise (a converged residual whose steps wander); the noise-floor steps get a window of their own
            if late:
                break
            late, marks = True, [magnitude]
        # scale F so that it is representable in double precision whatever its size
        scaled = arithmetic.doubles(values, magnitude)
        matrix = jacobian(arithmetic.to_doubles(point))
        try:
            if not numpy.all(numpy.isfinite(matrix)) or not numpy.all(numpy.isfinite(scaled)):
                raise numpy.linalg.LinAlgError("the Jacobian or the residual is not finite")
            left, sigma, right_h = numpy.linalg.svd(matrix)
        except numpy.linalg.LinAlgError:  # a point far out (overflow) or a degenerate Jacobian: not converged
            last_step = mpmath.inf
            break
        rank, gap = _truncation(sigma, min_ratio=min_gap)
        if late:  # the largest gap stalled above the residual tolerance: keep all but noise-level values
            rank = int(numpy.sum(sigma > sigma[0] * noise_floor)) if sigma[0] > 0 else 0
            gap = float(sigma[rank - 1] / sigma[rank]) if 0 < rank < n and sigma[rank] > 0 else None
        rank = min(rank, int(numpy.sum(sigma > 0)))  # never divide by an exactly zero singular value
        with numpy.errstate(over="ignore", invalid="ignore"):  # a singular value near the underflow: no step
            coefficients = (left[:, :rank].conj().T @ scaled) / sigma[:rank]
            step = right_h[:rank, :].conj().T @ coefficients
        if not numpy.all(numpy.isfinite(step)):
            last_step = mpmath.inf
            break
        point = arithmetic.stepped(point, magnitude, step)
        last_step = magnitude * float(numpy.max(numpy.abs(step)))
        scale = max(1, arithmetic.norm(point))
        if last_step <= step_tolerance * scale:
            if late or arithmetic.norm(evaluate(point)) <= residual_tolerance * scale:
                break
            late = True
    final = arithmetic.norm(evaluate(point))
    scale = max(1, arithmetic.norm(point))
    converged = bool(final <= residual_tolerance * scale)
    return CriticalSetRefinement(arithmetic.to_mpmath(point), mpmath.mpf(final), mpmath.mpf(last_step), iterations,
                                 converged, rank, gap, bool(last_step <= step_tolerance * scale))


def _lambda_path(evaluator, parameters: numpy.ndarray, tau_of):
    """The batched tracker's path ``t -> (S, T, tau(t) Lambda_0)``, ``tau_of(t) = (tau, dtau/dt)`` (arrays).

    ``parameters`` is the Gram family's ``(S, T, Lambda_0)``: Lambda has one entry per weight, at the end.
    """
    parameters = numpy.asarray(parameters, dtype=complex)
    base, lam = parameters[:-evaluator.n], parameters[-evaluator.n:]

    def path(t, rows):
        tau, dtau = tau_of(numpy.asarray(t, dtype=float))
        fixed = numpy.broadcast_to(base, (len(tau), len(base)))
        return (numpy.concatenate([fixed, tau[:, None] * lam[None]], axis=1),
                numpy.concatenate([numpy.zeros_like(fixed), dtau[:, None] * lam[None]], axis=1))

    return path


def track_all_to_zero(evaluator, parameters: numpy.ndarray, starts: numpy.ndarray, *, gamma: complex,
                      options: TrackOptions = TrackOptions(), progress=None) -> list[TrackedPath]:
    """Track every start point from ``tau = 1`` towards ``tau = 0``, all at once (:mod:`.batch`).

    ``parameters`` is the Gram family's parameter vector of the start system,
    ``(S, T, Lambda_0)`` with ``S = X X^T``, ``T = Y X^T`` (any ``m``); the systems on the way
    are the family at ``(S, T, tau Lambda_0)``, evaluated in closed form by ``evaluator``
    (:class:`algeo.model.gram_eval.GramEvaluator`). Tracking stops at ``s_end``; a path whose
    ``||theta||`` exceeds ``divergence_bound`` relative to its start, or grew by more than a
    factor 2 over the last two decades of ``s``, or over the last decade once ``s`` is at most
    ``one_decade_below``, is diverged; a path stuck (step-size
    underflow or ``max_steps_per_decade`` used up) below ``handover_below`` is handed over to
    the refinement at ``tau = 0``, which decides (a point it does not bring to the critical
    set is a failed path); above it the path fails.
    """
    from .batch import BatchOptions, BatchStatus, track_batch

    path = _lambda_path(evaluator, parameters, lambda s: _tau(s, gamma))

    starts = numpy.asarray(starts, dtype=complex)
    start_norm = numpy.max(numpy.abs(starts), axis=1) if starts.size else numpy.zeros(0)
    bound = options.divergence_bound * max(1.0, float(start_norm.max(initial=1.0)))
    marks = [10.0 ** -k for k in range(1, 60) if 10.0 ** -k > options.s_end] + [options.s_end]
    batch_options = BatchOptions(initial_step=options.initial_step, max_step=0.2, min_step=options.min_step,
                                 corrector_iterations=options.max_corrector_iterations,
                                 corrector_tolerance=options.corrector_accept, max_steps=options.max_steps_per_decade,
                                 divergence_bound=bound, approach=0.0, end_newton=0,
                                 predictor_error=options.predictor_error, contraction=options.contraction,
                                 noise_floor=options.noise_floor)
    results: list[TrackedPath | None] = [None] * len(starts)
    history: list[list[tuple[float, float]]] = [[] for _ in range(len(starts))]  # (s, ||x||) at decade marks
    steps = numpy.zeros(len(starts), dtype=int)
    rejected = numpy.zeros(len(starts), dtype=int)
    points, alive, s0 = starts, list(range(len(starts))), 1.0

    def diverging(positions: list[int], x_end: numpy.ndarray, t_end: numpy.ndarray) -> dict[int, str]:
        """Of the stuck paths at ``positions`` (of this decade's batch), those whose norm grows like a diverging
        one's (secant and tangent valuations both at most -DIVERGENCE_VALUATION): position -> how it grows."""
        if not positions:
            return {}
        found = {}
        for position, rate in zip(positions, _tangent_valuations(evaluator, path, x_end[positions], t_end[positions])):
            k, s, norm = alive[position], float(t_end[position]), _norm(x_end[position])
            secant = _secant_valuation([(1.0, float(start_norm[k]))] + history[k], s, norm)
            if secant is not None and secant[0] <= -DIVERGENCE_VALUATION and rate <= -DIVERGENCE_VALUATION:
                found[position] = (f"growing like s^{secant[0]:.2f} since s = {secant[1]:.3g} and like s^{rate:.2f} "
                                   f"there (||theta|| = {norm:.3g})")
        return found

    for s1 in marks:
        if not alive:
            break
        early = min(options.growth_check_after, options.max_steps_per_decade)
        run = track_batch(evaluator, points, path, t_start=s0, t_end=s1, options=replace(batch_options, max_steps=early))
        states, details = list(run.status), list(run.detail)
        x_end, t_end = run.points.copy(), run.t.copy()
        used, refused = run.steps.copy(), run.rejected.copy()
        verdict: dict[int, str] = {}  # position -> the detail of a path stopped as diverging
        if early < options.max_steps_per_decade:
            # a path that used the early budget: stopped if it grows like a diverging one, else given the rest
            spent = [position for position, state in enumerate(states)
                     if state is BatchStatus.FAILED and "step budget" in details[position]]
            above = [position for position in spent if t_end[position] > options.handover_below]
            verdict = {position: f"{early} steps took it to s = {t_end[position]:.6g} (of {s1:g}), {how}"
                       for position, how in diverging(above, x_end, t_end).items()}
            rest = [position for position in spent if position not in verdict]
            if rest:
                more = track_batch(evaluator, x_end[rest], path, t_start=t_end[rest], t_end=s1,
                                   options=replace(batch_options, max_steps=options.max_steps_per_decade - early))
                budget = options.max_steps_per_decade
                for j, position in enumerate(rest):  # the whole decade's budget, in the words of its detail
                    states[position] = more.status[j]
                    details[position] = more.detail[j].replace(f"step budget {budget - early} ", f"step budget {budget} ")
                    x_end[position], t_end[position] = more.points[j], more.t[j]
                    used[position] += more.steps[j]
                    refused[position] += more.rejected[j]
        # a path stuck above handover_below at the end of the decade: diverged if it grows like one, else failed
        stuck = diverging([position for position, state in enumerate(states) if state is BatchStatus.FAILED
                           and t_end[position] > options.handover_below and position not in verdict], x_end, t_end)
        keep = []
        for position, k in enumerate(alive):
            x, s = x_end[position], float(t_end[position])
            steps[k] += used[position]
            rejected[k] += refused[position]
            norm = _norm(x)
            state = states[position]
            own_bound = options.divergence_bound * max(1.0, float(start_norm[k]))

            def end(status, detail=""):
                results[k] = TrackedPath(status, tuple(x), s, int(steps[k]), int(rejected[k]), norm, detail)

            marks_so_far = history[k] + [(s, norm)]
            growth = _growth(marks_so_far)
            last = _growth(marks_so_far, decades=1) if s <= options.one_decade_below * (1 + 1e-9) else None
            if position in verdict:
                end(ContinuationStatus.DIVERGED, verdict[position])
            elif state is BatchStatus.DIVERGED or norm > own_bound:
                end(ContinuationStatus.DIVERGED, f"||theta|| = {norm:.3g} exceeded {own_bound:.3g} at s = {s:.3g}")
            elif growth is not None and growth > DIVERGENCE_GROWTH:
                end(ContinuationStatus.DIVERGED, f"||theta|| grew by a factor {growth:.3g} over the two decades of s "
                                                 f"down to s = {s:.3g}")
            elif last is not None and last > DIVERGENCE_GROWTH:
                end(ContinuationStatus.DIVERGED, f"||theta|| grew by a factor {last:.3g} over the decade of s "
                                                 f"down to s = {s:.3g}")
            elif state is BatchStatus.FAILED and s > options.handover_below:
                why = details[position].replace(" t = ", " s = ")
                if position in stuck:
                    end(ContinuationStatus.DIVERGED, f"{why}, {stuck[position]}")
                else:
                    end(ContinuationStatus.FAILED, why)
            elif state is BatchStatus.FAILED:  # the refinement at tau = 0 decides (a failure there is reported)
                end(ContinuationStatus.CONVERGED, details[position].replace(" t = ", " s = ")
                    + ": refined at tau = 0 from there")
            elif s1 == options.s_end:
                end(ContinuationStatus.CONVERGED)
            else:
                history[k].append((s, norm))
                keep.append(position)
        alive = [alive[position] for position in keep]
        points = x_end[keep]
        s0 = s1
        if progress is not None:
            progress(len(starts) - len(alive))
    return results



@dataclass(frozen=True)
class CauchyEstimate:
    """The Cauchy endgame's estimate of one path's end at ``tau = 0``."""

    point: tuple[complex, ...] | None  # the mean over the loops (None: a loop failed to track)
    cycle: int | None  # loops around tau = 0 before the path closed (None: not closed within max_loops)
    spread: float  # max over the samples of |x - mean|, relative to max(1, |mean|)
    detail: str = ""


def cauchy_endgame(evaluator, parameters: numpy.ndarray, points: numpy.ndarray, *, s0: float, gamma: complex,
                   samples_per_loop: int = 32, max_loops: int = 4,
                   closure: float = 1e-5, batch_options=None) -> list[CauchyEstimate]:
    """Estimate the ends at ``tau = 0`` of paths at ``s0`` by the Cauchy integral (Morgan, Sommese, Wampler).

    Near ``tau = 0`` a path is a power series in ``tau^(1/c)`` (``c`` its cycle number). The
    paths at ``tau(s0)`` are tracked around the circle ``|tau| = |tau(s0)|``
    (``samples_per_loop`` arcs per loop, all paths in one batch per arc) until each returns to
    its start (to ``closure`` relative: the corrector stops at ``1e-7`` at ill-conditioned
    points); the mean of its samples over its ``c`` loops is the trapezoid rule for the
    Cauchy integral, the constant term of the series: the end point when the path converges.
    A diverging path (negative powers) has a mean too, so ``spread`` says how far the loop
    stays from it; the caller accepts an estimate only when that is small and the refinement
    at ``tau = 0`` converges from it. Used for paths the tracker cannot follow to ``tau = 0``
    (very ill-conditioned near a singular end).
    """
    from .batch import BatchOptions, BatchStatus, track_batch

    tau0, _ = _tau(s0, gamma)

    def around(t):
        tau = tau0 * numpy.exp(2j * numpy.pi * t)
        return tau, 2j * numpy.pi * tau

    circle = _lambda_path(evaluator, parameters, around)

    start = numpy.array(points, dtype=complex).reshape(len(points), evaluator.n)
    x, K = start.copy(), samples_per_loop
    options = batch_options or BatchOptions(max_step=1.0 / K, max_steps=2000)
    samples: list[list[numpy.ndarray]] = [[] for _ in range(len(start))]
    cycle: list[int | None] = [None] * len(start)
    broken: list[str] = [""] * len(start)
    for loop in range(1, max_loops + 1):
        active = [k for k in range(len(start)) if cycle[k] is None and not broken[k]]
        if not active:
            break
        for arc in range(K):
            run = track_batch(evaluator, x[active], circle, t_start=arc / K, t_end=(arc + 1) / K, options=options)
            x[active] = run.points
            for position, k in enumerate(active):
                if run.status[position] is not BatchStatus.REACHED and not broken[k]:
                    broken[k] = f"loop {loop}, arc {arc + 1} of {K}: {run.detail[position]}"
                samples[k].append(run.points[position].copy())
        for k in active:
            scale = max(1.0, float(numpy.abs(start[k]).max()))
            if not broken[k] and numpy.abs(x[k] - start[k]).max() <= closure * scale:
                cycle[k] = loop
    estimates = []
    for k in range(len(start)):
        if broken[k] or cycle[k] is None:
            detail = broken[k] or f"the path did not close within {max_loops} loops around tau = 0"
            estimates.append(CauchyEstimate(None, cycle[k], math.inf, detail))
            continue
        stack = numpy.array(samples[k])
        mean = stack.mean(axis=0)
        spread = float(numpy.abs(stack - mean).max()) / max(1.0, float(numpy.abs(mean).max()))
        estimates.append(CauchyEstimate(tuple(complex(z) for z in mean), cycle[k], spread,
                                        f"Cauchy endgame at s = {s0:g}: cycle number {cycle[k]}, "
                                        f"loop spread {spread:.2g}"))
    return estimates
