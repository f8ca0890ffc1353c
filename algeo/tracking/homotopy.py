"""Parameter homotopy: track a start set (one generic complex instance) to a given instance.

The target is the lifted gradient system (:mod:`algeo.model.family`) at the instance's data;
the start system is the same family at the start set's complex data (the caller, the
pipeline, reads the start-set library and hands the start data and points over). The
batched tracker (:mod:`algeo.tracking.batch`) follows ``gamma (1 - t) G + t F`` from every
start solution at once; when three ``gamma``s give no clean run (or the family has no
closed-form evaluator), PHCpack's trackers follow ``gamma (1 - t)^2 G + t^2 F`` (phcpy,
child process). The end points, cut back to the weight coordinates, go through the same
refinement and classification as the blackbox (:func:`algeo.pipeline.solve.solve`). Paths =
start-set size; when a path does not end at a solution, or two ends coincide, all paths
are tracked again with another ``gamma`` (up to ``max_attempts`` in all; then the failed
paths alone, :func:`_track_orbits`); if that fails too the run says so and the caller
falls back to the blackbox.

Only one start point per orbit of the hidden-unit sign flips is tracked: every system
of the family is equivariant under the flips, so the path from ``s x0`` is ``s`` times
the path from ``x0`` (same ``gamma``), and its end is taken as that image
(:func:`algeo.model.symmetry.orbit_representatives`; 225 start points of widths 2,2,2, m = 2 are 65 orbits).
Each end is labelled with the path it is the image of, and refined on the exact
system like every other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

import numpy

from .. import phc
from ..model.family import family_mode, tracking_family
from ..model.symmetry import orbit_representatives
from ..model.system import CriticalPointSystem
from ..results.statuses import PathStatus
from .gamma import path_gamma

__all__ = ["HomotopyRun", "parameter_homotopy"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HomotopyRun:
    """The tracked paths, cut to the weight coordinates, one per start point."""

    run: phc.BackendRun
    gamma: complex | None  # of the clean run; None when paths were retried alone with several (run.attempts)
    tracked_paths: int  # paths PHCpack tracked (one per sign-flip orbit); the others are their images

    @property
    def succeeded(self) -> bool:
        return self.run.succeeded

    def failure_detail(self) -> str:
        return "; ".join(f"{a.backend}: {a.outcome.value} {a.detail}".strip() for a in self.run.attempts)


def _colliding(paths, flips, tolerance: float = 1e-6) -> list[int]:
    """Positions of paths whose ends lie in the same sign-flip orbit as another path's end.

    The tracked paths start in distinct orbits, so their ends must be in distinct orbits
    too; two in one orbit means one of them jumped (which one is unknown: both are listed).
    """
    ends = [p.coordinates for p in paths]
    if len(ends) < 2 or any(not numpy.all(numpy.isfinite(e)) for e in ends):
        return []
    if flips is None:  # no symmetry: plain coincidences
        flips = numpy.ones((1, len(ends[0])))
    _, images = orbit_representatives(ends, flips, tolerance)
    groups: dict[int, list[int]] = {}
    for position, (orbit, _) in enumerate(images):
        groups.setdefault(orbit, []).append(position)
    return sorted(k for members in groups.values() if len(members) > 1 for k in members)


def _track_orbits(target, start, points, family, flips, gammas, timeout) -> tuple[phc.BackendRun, complex | None]:
    """Track ``points`` (one per orbit) with one ``gamma`` for all, the next one when any path fails.

    One ``gamma`` for every path keeps the map from start points to end points a
    bijection; ends reached with different ``gamma`` can coincide (measured: widths 2,2,2,
    m = 2, seed 410271443, retrying 2 failed paths alone with the next ``gamma`` left 3
    pairs of orbits colliding and 6 points missing; every single-``gamma`` run of all 225
    paths ended at 225 distinct points). A run is clean when every path ends at a solution
    and no two ends share a sign-flip orbit (:func:`_colliding`). When no ``gamma`` gives a
    clean run, the failed paths are tracked again alone with the next ``gamma``s
    (:func:`algeo.phc.track`) as a last resort; the caller's count check then decides.
    Returns the run and the ``gamma`` of a clean run (None when the paths used several).
    """
    attempts: list[phc.Attempt] = []

    def record(run, label: str, note: str = "", outcome: phc.AttemptOutcome | None = None) -> None:
        for attempt in run.attempts:
            attempts.append(phc.Attempt(attempt.backend, len(attempts), outcome or attempt.outcome, attempt.seconds,
                                        f"{label}: {attempt.detail}{note}".rstrip(": ")))

    def finished(run) -> phc.BackendRun:
        return phc.BackendRun(run.backend, run.paths, len(points), run.root_counts, run.seed, tuple(attempts),
                              run.version, run.paths_observed)

    for number, gamma in enumerate(gammas):
        run = phc.track(target, start, points, family.variable_names, gammas=[gamma], timeout=timeout)
        colliding = _colliding(run.paths, flips) if run.succeeded else []
        if colliding:
            record(run, f"gamma {number + 1}", f"; {len(colliding)} ends share sign-flip orbits (a path jumped)",
                   phc.AttemptOutcome.INCOMPLETE)
            continue
        record(run, f"gamma {number + 1}")
        if run.succeeded:
            return finished(run), gamma
    if len(gammas) < 2:
        return finished(run), None
    logger.info("no gamma tracked every orbit cleanly; retrying failed paths alone with the next gammas")
    run = phc.track(target, start, points, family.variable_names, gammas=gammas, timeout=timeout)
    record(run, "per-path retries")
    return finished(run), None


#: a path end is regular when its reciprocal condition number is above this (PHCpack's default is 1e-8 on rco
#: of its own scaled Jacobian; the batched tracker uses the plain 2-norm condition of dF/dx)
REGULAR_RCO = 1e-12
#: and its last Newton step, relative to max(1, |x|), below this (a residual bound would depend on the
#: point's scale: terms of degree 5 at |x| = 1000 are 1e15)
REGULAR_STEP = 1e-8
#: an end reached with a last Newton step below this but above REGULAR_STEP, at a Jacobian of finite condition,
#: is ill-conditioned rather than lost: it is kept as regular and the refinement at high precision on the exact
#: system decides (a point it cannot bring to the solution set is a problem). Measured: widths 2,3,3, m = 2,
#: integer data, 24 Lambda_0 points with steps 1.6e-8 and rco 8.5e-13 in every gamma.
ILL_CONDITIONED_STEP = 1e-5


def batch_evaluator(family):
    """The closed-form batched evaluator of ``family``, or None when it has none (the trace test's family).

    Gram family: :class:`GramEvaluator` (linear in the parameters); lifted family:
    :class:`LiftedEvaluator` (affine in them).
    """
    from ..model.family import GramFamily, ParameterFamily
    from ..model.gram_eval import GramEvaluator, LiftedEvaluator

    if isinstance(family, GramFamily):
        return GramEvaluator(family.architecture)
    if isinstance(family, ParameterFamily):
        return LiftedEvaluator(family.architecture, family.samples)
    return None


def _raw_paths(evaluator, target, run) -> list[phc.RawPath]:
    """The batched tracker's ends as ``RawPath``s, in PHCpack's words (read back by ``RawPath.status``)."""
    from .batch import BatchStatus

    _, J = evaluator.value_and_jacobian(run.points, target)
    finite = numpy.all(numpy.isfinite(J), axis=(1, 2))
    rco = numpy.zeros(len(J))
    if numpy.any(finite):
        singular_values = numpy.linalg.svd(J[finite], compute_uv=False)
        rco[finite] = singular_values[:, -1] / numpy.maximum(singular_values[:, 0], 1e-300)
    paths = []
    finite_or = lambda value, default: float(value) if numpy.isfinite(value) else default  # JSON has no nan
    for k, status in enumerate(run.status):
        x = tuple(complex(z) for z in run.points[k])
        t = complex(run.t[k])
        if status is BatchStatus.REACHED and run.newton_step[k] <= REGULAR_STEP:
            label = "regular" if rco[k] > REGULAR_RCO else "singular"
            paths.append(phc.RawPath(1, x, t, 1, float(run.newton_step[k]), float(rco[k]), float(run.residual[k]),
                                     "success", f"{label} (batched tracker)"))
        elif status is BatchStatus.REACHED and run.newton_step[k] <= ILL_CONDITIONED_STEP and rco[k] > 0:
            paths.append(phc.RawPath(1, x, t, 1, float(run.newton_step[k]), float(rco[k]), float(run.residual[k]),
                                     "success", f"regular (batched tracker; ill-conditioned, rco {rco[k]:.2g}, "
                                                f"last Newton step {run.newton_step[k]:.2g}: refined exactly)"))
        elif status is BatchStatus.DIVERGED:
            paths.append(phc.RawPath(1, x, t, 1, 1.0, 0.0, finite_or(run.residual[k], 1.0), "failure",
                                     f"at infinity (batched tracker: {run.detail[k]})"))
        else:
            paths.append(phc.RawPath(1, x, t, 1, finite_or(run.newton_step[k], 1.0), finite_or(rco[k], 0.0),
                                     finite_or(run.residual[k], 1.0), "failure",
                                     f"no solution (batched tracker: {run.detail[k] or 'residual too large'})"))
    return paths


def _track_orbits_batch(evaluator, target, start, points, flips, gammas,
                        merge: bool = False) -> tuple[phc.BackendRun, complex | None]:
    """:func:`_track_orbits` with the batched tracker (:mod:`.batch`): all paths of one ``gamma`` at once.

    A run is clean when every path ends at its own regular solution (no two ends in one
    sign-flip orbit); otherwise every path is tracked again with the next ``gamma``
    (one ``gamma`` for all keeps the start-to-end map a bijection). Returns the last run
    and the clean ``gamma`` (None when no run was clean: the caller tries PHCpack).
    ``merge``: when no run was clean, each orbit's path is instead the first regular one over
    the gammas whose end no earlier choice has in its sign-flip orbit (:func:`_merged_paths`),
    so a point one ``gamma`` lost and another found is kept.
    """
    from .batch import gamma_path, is_affine, track_batch

    attempts: list[phc.Attempt] = []
    paths: list[phc.RawPath] = []
    every: list[list[phc.RawPath]] = []
    start_points = numpy.asarray(points, dtype=complex)
    bad = 0  # paths of the last full run that did not end at a regular point (collisions alone: a full run again)
    for number, gamma in enumerate(gammas):
        if merge and bad:  # merging takes each path's first regular end: track again only the others
            again = [k for k in range(len(start_points)) if all(e[k].status is not PathStatus.REGULAR for e in every)]
            run = track_batch(evaluator, start_points[again],
                              gamma_path(start, target, gamma, affine=is_affine(evaluator)))
            paths = list(every[-1])
            for k, path in zip(again, _raw_paths(evaluator, target, run)):
                paths[k] = path
            every.append(paths)
            bad = sum(paths[k].status is not PathStatus.REGULAR for k in again)
            attempts.append(phc.Attempt("batched", number, phc.AttemptOutcome.INCOMPLETE, round(run.seconds, 3),
                                        f"gamma {number + 1}: the {len(again)} paths not regular before, in "
                                        f"{run.seconds:.2f} s, {bad} not regular"))
            if not bad:  # every path has a regular end in some run
                break
            continue
        run = track_batch(evaluator, start_points,
                          gamma_path(start, target, gamma, affine=is_affine(evaluator)))
        paths = _raw_paths(evaluator, target, run)
        every.append(paths)
        bad = sum(p.status is not PathStatus.REGULAR for p in paths)
        colliding = _colliding(paths, flips) if not bad else []
        outcome = phc.AttemptOutcome.OK if not bad and not colliding else phc.AttemptOutcome.INCOMPLETE
        detail = (f"gamma {number + 1}: {len(paths)} paths in {run.seconds:.2f} s, {bad} not regular, "
                  f"{len(colliding)} ends sharing a sign-flip orbit")
        attempts.append(phc.Attempt("batched", number, outcome, round(run.seconds, 3), detail))
        if outcome is phc.AttemptOutcome.OK:
            return phc.BackendRun("batched", tuple(paths), len(points), {}, None, tuple(attempts), None, True), gamma
    if merge and len(every) > 1:
        paths, taken = _merged_paths(every, flips)
        bad = sum(p.status is not PathStatus.REGULAR for p in paths)
        attempts.append(phc.Attempt("batched", len(gammas), phc.AttemptOutcome.INCOMPLETE, 0.0,
                                    f"merged over the gammas: {taken} of {len(paths)} paths from a later gamma, "
                                    f"{bad} not regular in any"))
    return phc.BackendRun("batched", tuple(paths), len(points), {}, None, tuple(attempts), None, True), None


def _merged_paths(every: list[list[phc.RawPath]], flips) -> tuple[list[phc.RawPath], int]:
    """Per start orbit, the first regular path over the runs; of two ends in one orbit, the earlier run's.

    The ends are solutions whatever ``gamma`` reached them (each is refined and checked after);
    mixing gammas only loses the guarantee that distinct starts reach distinct ends, so when two
    chosen ends share a sign-flip orbit the one from the later run is dropped (its start keeps
    its first run's path). Returns the paths and how many came from a run after the first.
    """
    runs = []
    for r in range(len(every[0])):
        regular = [n for n, run in enumerate(every) if run[r].status is PathStatus.REGULAR]
        runs.append(regular[0] if regular else 0)
    chosen = [every[n][r] for r, n in enumerate(runs)]
    regular = [r for r, p in enumerate(chosen) if p.status is PathStatus.REGULAR]
    if len(regular) > 1:
        images = flips if flips is not None else numpy.ones((1, len(chosen[0].coordinates)))
        _, orbit_of = orbit_representatives([chosen[r].coordinates for r in regular], images)
        first: dict[int, int] = {}
        for r, (orbit, _) in zip(regular, orbit_of):
            if orbit not in first or runs[r] < runs[first[orbit]]:
                first[orbit] = r
        for r, (orbit, _) in zip(regular, orbit_of):
            if first[orbit] != r and runs[r] > 0:
                runs[r] = 0
                chosen[r] = every[0][r]
    return chosen, sum(n > 0 for n in runs)


def parameter_homotopy(
    system: CriticalPointSystem,
    start_parameters: Sequence[complex],
    start_points: Sequence[Sequence[complex]],
    *,
    seed: int = 0,
    timeout: float = 3600.0,
    max_attempts: int = 3,
    tracker: str = "auto",
) -> HomotopyRun:
    """Track ``start_points`` (every solution of ``system``'s family at ``start_parameters``) to ``system``.

    The start data come from a start set (:mod:`algeo.startsets`), which the caller reads.
    ``tracker="auto"`` tracks with the batched tracker (:mod:`.batch`) when the family has a
    closed-form evaluator (:func:`batch_evaluator`: the Gram and the lifted family), and with
    PHCpack's trackers when it has none or when no ``gamma`` gives a clean batched run; ``"phcpy"`` forces PHCpack;
    ``"batched"`` keeps the batched tracker's last run even when it is not clean.
    """
    family = tracking_family(system.architecture, system.dataset.n_samples, family_mode(system.regularization))
    target_parameters = family.parameters_of(system.dataset, system.regularization)
    target = family.coefficients(target_parameters)
    start = family.coefficients(numpy.asarray(start_parameters))
    gammas = [path_gamma(seed, attempt) for attempt in range(max_attempts)]
    flips = family.sign_flips()
    representatives, images = orbit_representatives(start_points, flips)
    orbit_points = [start_points[k] for k in representatives]
    evaluator = batch_evaluator(family) if tracker in ("auto", "batched") else None
    run = gamma = None
    if evaluator is not None:
        run, gamma = _track_orbits_batch(evaluator, numpy.asarray(target_parameters), numpy.asarray(start_parameters),
                                         orbit_points, flips, gammas, merge=tracker == "batched")
        if gamma is None and tracker == "auto":
            logger.warning("batched tracker: no gamma tracked every orbit cleanly (%s); PHCpack's trackers next",
                           run.attempts[-1].detail)
            earlier = run.attempts
            run, gamma = _track_orbits(target, start, orbit_points, family, flips, gammas, timeout)
            run = phc.BackendRun(run.backend, run.paths, run.declared_paths, run.root_counts, run.seed,
                                 earlier + run.attempts, run.version, run.paths_observed)
    else:
        run, gamma = _track_orbits(target, start, orbit_points, family, flips, gammas, timeout)
    n = len(family.weight_names)
    cut = []
    if run.paths:
        for r, f in images:
            p = run.paths[r]
            coordinates, label = p.coordinates[:n], p.label
            if f:
                coordinates = tuple(complex(z) for z in numpy.asarray(coordinates) * flips[f][:n])
                label = f"{label} (sign-flip image of path {representatives[r] + 1})"
            cut.append(phc.RawPath(p.phase, coordinates, p.t, p.multiplicity, p.err, p.rco, p.res, p.outcome, label))
    run = phc.BackendRun(run.backend, tuple(cut), len(start_points), run.root_counts, run.seed, run.attempts,
                         run.version, run.paths_observed)
    return HomotopyRun(run, gamma, len(representatives))
