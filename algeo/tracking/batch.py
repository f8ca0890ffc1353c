"""A batched predictor-corrector: every path of a homotopy advanced together, in numpy.

The systems tracked here are linear in a parameter vector, ``F(x; p)`` with no term free
of ``p`` (:class:`algeo.model.gram_eval.GramEvaluator`), or affine in it with a
``parameter_derivative`` (:class:`algeo.model.gram_eval.LiftedEvaluator`), along a parameter
path ``p(t)``; so ``H(x, t) = F(x; p(t))`` and ``dH/dt = F(x; p'(t))`` (linear) or
``F(x; p'(t)) - F(x; 0)`` (affine). Each path keeps its own ``t`` and
step ``h``; one iteration of the loop advances all active paths by one step:

- predictor: classical Runge-Kutta (RK4) on ``dx/dt = -J^{-1} dH/dt``;
- corrector: up to ``corrector_iterations`` Newton steps at the new ``t``; the step is
  accepted when the first correction is at most ``predictor_error`` times the distance
  the predictor moved (a predictor that far off may have jumped to another path), each
  later correction at most ``contraction`` times the one before, and the corrections
  settle: one below ``corrector_tolerance * max(1, |x|)``, or (an ill-conditioned point,
  where double precision cannot do better) corrections below ``noise_floor`` that stop
  contracting;
- step size: doubled after ``grow_after`` accepted steps in a row, halved after a
  rejection; a path whose step falls below ``min_step`` fails (``step size underflow``);
  ``|x|`` above ``divergence_bound`` ends it as diverged. With ``approach`` set, a step
  never goes more than ``geometric`` of the way to that ``t`` (a geometric endgame toward a
  singular end, as the continuation to ``Lambda = 0`` needs).

Every path ends with a status (:class:`BatchStatus`) and its counts; nothing is dropped.
The end points are plain complex doubles: refinement on the exact system is the caller's.
"""

from __future__ import annotations

import enum
import logging
import time
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy

from .._fork import run_split, worker_count
from .. import linsolve

__all__ = ["BatchOptions", "BatchStatus", "BatchTrack", "ParameterPath", "track_batch", "gamma_path",
           "linear_path", "is_affine"]

logger = logging.getLogger(__name__)


class BatchStatus(enum.Enum):
    """How one path of a batch ended."""

    REACHED = "reached"  # arrived at the end value of t
    DIVERGED = "diverged"  # |x| exceeded the divergence bound
    FAILED = "failed"  # step size underflow, singular Jacobian or step budget exhausted


class LinearSystem(Protocol):
    """What the tracker needs of a system; one may also have ``solve_jacobian(x, p, q=None)``
    (``J(x; p)^{-1} F(x; q)`` and which rows are good, :class:`algeo.model.gram_eval.GramEvaluator`),
    which it then uses for its Newton steps and, when linear in ``p``, its velocities."""

    n: int

    def value(self, x: numpy.ndarray, p: numpy.ndarray) -> numpy.ndarray: ...

    def value_and_jacobian(self, x: numpy.ndarray, p: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]: ...


#: ``path(t, rows) -> (p(t), p'(t))``: ``t`` holds one value per path, ``rows`` says which paths of the
#: batch they are (a path may have its own parameter line); arrays of shape ``(len(t), P)``.
ParameterPath = Callable[[numpy.ndarray, numpy.ndarray], tuple[numpy.ndarray, numpy.ndarray]]


def linear_path(p0: numpy.ndarray, p1: numpy.ndarray) -> ParameterPath:
    """``p(t) = (1 - t) p0 + t p1``: combined with :func:`gamma_path` it is PHCpack's gamma trick.

    ``p0`` and ``p1`` are one parameter vector each (shape ``(P,)``, the same line for every
    path) or one per path (shape ``(B, P)``).
    """
    p0, p1 = numpy.asarray(p0, dtype=complex), numpy.asarray(p1, dtype=complex)
    per_row = p0.ndim == 2 or p1.ndim == 2
    if per_row:
        p0, p1 = numpy.broadcast_arrays(numpy.atleast_2d(p0), numpy.atleast_2d(p1))
    difference = p1 - p0

    def path(t: numpy.ndarray, rows: numpy.ndarray):
        t = numpy.asarray(t, dtype=float)[:, None]
        if per_row:
            return (1 - t) * p0[rows] + t * p1[rows], difference[rows]
        return (1 - t) * p0[None] + t * p1[None], numpy.broadcast_to(difference, (len(t), len(difference)))

    return path


def gamma_path(p0: numpy.ndarray, p1: numpy.ndarray, gamma, *, affine: bool = False) -> ParameterPath:
    """The systems ``gamma (1 - t) F(.; p0) + t F(.; p1)`` as a path in parameter space.

    For ``F`` linear in ``p`` that is ``p(t) = (1 - t) gamma p0 + t p1``. For ``F`` affine in
    ``p`` (``affine=True``, the lifted family) it is ``p(t) = ((1 - t) gamma p0 + t p1) / ((1 - t)
    gamma + t)``, since then ``a F(p0) + b F(p1) = (a + b) F((a p0 + b p1) / (a + b))``. Either way
    it is the parameter homotopy with the gamma trick: for all but finitely many ``gamma`` no
    path meets a singular system for ``t < 1`` (Morgan and Sommese).

    ``p0``, ``p1`` are one vector each (shape ``(P,)``) or one per path (``(B, P)``), and
    ``gamma`` one number or one per path (``(B,)``). The path of ``(p1, p0, 1 / gamma)`` is
    the same curve of systems run backwards (graph monodromy's reversed edges).
    """
    if not affine:
        gamma = numpy.asarray(gamma, dtype=complex)
        p0 = numpy.asarray(p0, dtype=complex)
        return linear_path(gamma[:, None] * p0 if gamma.ndim else gamma * p0, p1)
    p0, p1 = numpy.asarray(p0, dtype=complex), numpy.asarray(p1, dtype=complex)
    gamma = numpy.asarray(gamma, dtype=complex)
    counts = [len(a) for a in (p0, p1, gamma) if a.ndim == (1 if a is gamma else 2)]  # paths given per row
    per_row = bool(counts)
    if per_row:
        p0 = numpy.broadcast_to(numpy.atleast_2d(p0), (max(counts), p0.shape[-1]))
        p1 = numpy.broadcast_to(numpy.atleast_2d(p1), (max(counts), p1.shape[-1]))
        gamma = numpy.broadcast_to(gamma, (max(counts),))

    def path(t: numpy.ndarray, rows: numpy.ndarray):
        t = numpy.asarray(t, dtype=float)[:, None]
        a, b, g = (p0[rows], p1[rows], gamma[rows][:, None]) if per_row else (p0[None], p1[None], gamma)
        numerator = (1 - t) * g * a + t * b
        denominator = (1 - t) * g + t
        derivative = ((b - g * a) * denominator - numerator * (1 - g)) / denominator ** 2
        return numerator / denominator, derivative

    return path


@dataclass(frozen=True)
class BatchOptions:
    """Tracker settings (docs/solver.md, "Batched tracking")."""

    initial_step: float = 0.05
    max_step: float = 0.05
    min_step: float = 1e-12
    corrector_iterations: int = 3
    corrector_tolerance: float = 1e-10  # relative Newton step to accept a step
    predictor_error: float = 0.05  # first Newton correction / predictor displacement, at most
    contraction: float = 0.25  # each later Newton step / the one before, at most
    noise_floor: float = 1e-7  # relative Newton steps this small that stop contracting are rounding noise
    grow_after: int = 2  # accepted steps in a row before the step doubles
    max_steps: int = 1000  # predictor-corrector steps (accepted and rejected) per path
    divergence_bound: float = 1e8
    approach: float | None = None  # a t value approached geometrically (the continuation's singular end)
    geometric: float = 0.9
    min_relative_step: float = 1e-9  # with approach: a step below this times |t - approach| is an underflow
    end_newton: int = 3  # Newton steps at the end value of t

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class BatchTrack:
    """The end of every path, in start order."""

    points: numpy.ndarray  # (B, n) complex; where each path stopped
    t: numpy.ndarray  # (B,) the t each path reached
    status: tuple[BatchStatus, ...]
    steps: numpy.ndarray  # accepted steps per path
    rejected: numpy.ndarray  # rejected steps per path
    residual: numpy.ndarray  # max |H(x, t)| at the end, relative to max(1, |x|)
    newton_step: numpy.ndarray  # size of the last Newton step at the end, relative to max(1, |x|)
    seconds: float
    detail: tuple[str, ...]

    def count(self, status: BatchStatus) -> int:
        return sum(s is status for s in self.status)


def _norm(x: numpy.ndarray) -> numpy.ndarray:
    return numpy.max(numpy.abs(x), axis=1) if x.shape[1] else numpy.zeros(len(x))


def is_affine(system) -> bool:
    """Whether ``system`` is affine (not linear) in its parameters: it has a ``parameter_derivative``
    (the lifted family); its gamma paths need ``gamma_path(..., affine=True)``."""
    return hasattr(system, "parameter_derivative")


def _newton_steps(system: LinearSystem, x: numpy.ndarray, p: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """``J(x; p)^{-1} F(x; p)`` per row and which rows are good (the system's fused solve when it has one)."""
    if hasattr(system, "solve_jacobian"):
        return system.solve_jacobian(x, p)
    value, J = system.value_and_jacobian(x, p)
    return linsolve.solve(J, value)


def _velocity(system: LinearSystem, path: ParameterPath, x: numpy.ndarray, t: numpy.ndarray, rows: numpy.ndarray):
    p, dp = path(t, rows)
    if hasattr(system, "solve_jacobian") and not is_affine(system):  # linear in p: -J^{-1} F(x; dp)
        step, ok = system.solve_jacobian(x, p, dp)
        return -step, ok
    F, J = system.value_and_jacobian(x, p)
    if is_affine(system):  # F(x; p + dp) - F(x; p), one evaluation more
        return linsolve.solve(J, -(system.value(x, p + dp) - F))
    return linsolve.solve(J, -system.value(x, dp))  # linear in p: F(x; dp)


#: paths per process below which a batch is not split (a fork and the pickled result cost tens of ms; a
#: step of a batch this small is mostly numpy's per-call overhead)
SPLIT_AT_LEAST = 400


def track_batch(system: LinearSystem, start: numpy.ndarray, path: ParameterPath, *, t_start: float | numpy.ndarray = 0.0,
                t_end: float = 1.0, options: BatchOptions = BatchOptions(),
                progress: Callable[[int], None] | None = None, workers: int | None = None) -> BatchTrack:
    """Track every row of ``start`` (solutions of ``F(.; p(t_start))``) to ``t_end``.

    ``t_start`` is one value for every path or one per path (all on the same side of ``t_end``).

    ``progress(k)`` is called with the number of paths that finished in each iteration (for
    the shares tracked in other processes: when they come back). ``workers`` processes share
    the paths (default :func:`algeo._fork.worker_count`; a batch under ``SPLIT_AT_LEAST`` paths
    per process is not split). Each path is tracked on its own (its own ``t``, step and
    status), so the split does not change any path's result.
    """
    start = numpy.asarray(start, dtype=complex)
    t_start = numpy.broadcast_to(numpy.asarray(t_start, dtype=float), (len(start),))
    workers = worker_count() if workers is None else workers
    parts = min(workers, len(start) // SPLIT_AT_LEAST)
    if parts < 2:
        return _track_batch(system, start, path, t_start=t_start, t_end=t_end, options=options, progress=progress)
    started = time.monotonic()
    bounds = numpy.linspace(0, len(start), parts + 1).astype(int)

    def share(lo: int, hi: int, report):
        shifted = path if lo == 0 else (lambda t, rows: path(t, rows + lo))
        return lambda: _track_batch(system, start[lo:hi], shifted, t_start=t_start[lo:hi], t_end=t_end,
                                    options=options, progress=report)

    runs = run_split([share(lo, hi, progress if lo == 0 else None) for lo, hi in zip(bounds[:-1], bounds[1:])])
    if progress is not None:
        progress(len(start) - len(runs[0].status))
    return BatchTrack(numpy.concatenate([r.points for r in runs]), numpy.concatenate([r.t for r in runs]),
                      tuple(s for r in runs for s in r.status), numpy.concatenate([r.steps for r in runs]),
                      numpy.concatenate([r.rejected for r in runs]), numpy.concatenate([r.residual for r in runs]),
                      numpy.concatenate([r.newton_step for r in runs]), time.monotonic() - started,
                      tuple(d for r in runs for d in r.detail))


def _track_batch(system: LinearSystem, start: numpy.ndarray, path: ParameterPath, *, t_start: numpy.ndarray,
                 t_end: float, options: BatchOptions, progress: Callable[[int], None] | None) -> BatchTrack:
    started = time.monotonic()
    x = numpy.array(start, dtype=complex, copy=True).reshape(len(start), system.n)
    B = len(x)
    t = numpy.array(t_start, dtype=float, copy=True).reshape(B)
    forward, backward = bool(numpy.all(t_end >= t)), bool(numpy.all(t_end <= t))
    if not (forward or backward):
        raise ValueError("every path of a batch must go the same way from its t_start to t_end")
    direction = 1.0 if forward else -1.0
    h = numpy.full(B, options.initial_step)
    streak = numpy.zeros(B, dtype=int)
    steps = numpy.zeros(B, dtype=int)
    rejected = numpy.zeros(B, dtype=int)
    status: list[BatchStatus | None] = [None] * B
    detail = [""] * B
    active = numpy.ones(B, dtype=bool)
    while numpy.any(active):
        A = numpy.flatnonzero(active)
        xa, ta = x[A], t[A]
        remaining = numpy.abs(t_end - ta)
        ha = numpy.minimum(h[A], remaining)
        if options.approach is not None:
            ha = numpy.minimum(ha, options.geometric * numpy.abs(ta - options.approach))
        dt = direction * ha
        # RK4 predictor
        k1, ok1 = _velocity(system, path, xa, ta, A)
        k2, ok2 = _velocity(system, path, xa + 0.5 * dt[:, None] * k1, ta + 0.5 * dt, A)
        k3, ok3 = _velocity(system, path, xa + 0.5 * dt[:, None] * k2, ta + 0.5 * dt, A)
        k4, ok4 = _velocity(system, path, xa + dt[:, None] * k3, ta + dt, A)
        predicted = xa + dt[:, None] / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        ok = ok1 & ok2 & ok3 & ok4
        # Newton corrector at the new t
        t_new = numpy.where(ha >= remaining, t_end, ta + dt)
        p_new, _ = path(t_new, A)
        corrected = predicted.copy()
        moved = _norm(predicted - xa)
        scale = numpy.maximum(1.0, _norm(xa))
        previous = numpy.full(len(A), numpy.inf)
        settled = numpy.zeros(len(A), dtype=bool)  # converged, or at the noise floor of an ill-conditioned point
        live = numpy.arange(len(A))  # rows still correcting: a settled or rejected row takes no more Newton steps
        for iteration in range(options.corrector_iterations):
            if not len(live):
                break
            step, solved = _newton_steps(system, corrected[live], p_new[live])
            good_rows = ok[live] & solved
            step = numpy.where(good_rows[:, None], step, 0)
            corrected[live] -= step
            size = _norm(step) / scale[live]
            if iteration == 0:  # the predictor's error must be small against the step it made (no path jumps)
                good_rows &= (_norm(step) <= options.predictor_error * moved[live]) | (size <= options.noise_floor)
            else:  # Newton must contract fast (inside the quadratic region of this path) until it settles
                stalled = size > options.contraction * previous[live]
                settled[live] |= stalled & (size <= options.noise_floor)  # rounding noise (cond(J) up to ~1e8)
                good_rows &= settled[live] | ~stalled
            ok[live] = good_rows
            settled[live] |= size <= options.corrector_tolerance
            previous[live] = size
            live = live[ok[live] & ~settled[live]]
        accept = ok & settled & numpy.all(numpy.isfinite(corrected), axis=1)
        # update accepted paths
        good = A[accept]
        x[good], t[good] = corrected[accept], t_new[accept]
        steps[good] += 1
        streak[good] += 1
        grow = good[streak[good] >= options.grow_after]
        h[grow] = numpy.minimum(2 * h[grow], options.max_step)
        streak[grow] = 0
        bad = A[~accept]
        rejected[bad] += 1
        streak[bad] = 0
        h[bad] /= 2
        finished = 0
        for k in good:
            if _norm(x[k:k + 1])[0] > options.divergence_bound:
                status[k], detail[k] = BatchStatus.DIVERGED, f"|x| exceeded {options.divergence_bound:.3g} at t = {t[k]:.6g}"
            elif t[k] == t_end:
                status[k] = BatchStatus.REACHED
            else:
                continue
            active[k] = False
            finished += 1
        floor = numpy.full(B, options.min_step)
        if options.approach is not None:
            floor[bad] = numpy.maximum(options.min_step, options.min_relative_step * numpy.abs(t[bad] - options.approach))
        for k in bad:
            if h[k] < floor[k]:
                status[k], detail[k] = BatchStatus.FAILED, f"step size underflow at t = {t[k]:.6g}"
            elif steps[k] + rejected[k] >= options.max_steps:
                status[k], detail[k] = BatchStatus.FAILED, f"step budget {options.max_steps} exhausted at t = {t[k]:.6g}"
            else:
                continue
            active[k] = False
            finished += 1
        for k in good:
            if active[k] and steps[k] + rejected[k] >= options.max_steps:
                status[k], detail[k] = BatchStatus.FAILED, f"step budget {options.max_steps} exhausted at t = {t[k]:.6g}"
                active[k] = False
                finished += 1
        if progress is not None and finished:
            progress(finished)
    # Newton at the end value for the paths that reached it; residuals for all
    p_end, _ = path(t, numpy.arange(B))
    newton = numpy.zeros(B)
    reached = numpy.array([s is BatchStatus.REACHED for s in status])
    if numpy.any(reached) and options.end_newton:
        R = numpy.flatnonzero(reached)
        xr = x[R]
        for _ in range(options.end_newton):
            step, solved = _newton_steps(system, xr, p_end[R])
            step = numpy.where(solved[:, None], step, 0)
            xr = xr - step
            newton[R] = _norm(step) / numpy.maximum(1.0, _norm(xr))
        x[R] = xr
    residual = _norm(system.value(x, p_end)) / numpy.maximum(1.0, _norm(x))
    return BatchTrack(x, t, tuple(status), steps, rejected, residual, newton, time.monotonic() - started,
                      tuple(detail))
