"""Parameter homotopy: track a start set (one generic complex instance) to a given instance.

The target is the lifted gradient system (:mod:`algeo.model.family`) at the instance's data;
the start system is the same family at the start set's complex data; PHCpack's
trackers follow ``gamma (1 - t)^2 G + t^2 F`` (phcpy, child process) from every start
solution. The end points, cut back to the weight coordinates, go through the same
refinement and classification as the blackbox (:func:`algeo.pipeline.solve.solve`). Paths =
start-set size; when a path does not end at a solution, or two ends coincide, all paths
are tracked again with another ``gamma`` (up to ``max_attempts`` in all; then the failed
paths alone, :func:`_track_orbits`), and if that fails too the caller falls back to the
blackbox.

Only one start point per orbit of the hidden-unit sign flips is tracked: every system
of the family is equivariant under the flips, so the path from ``s x0`` is ``s`` times
the path from ``x0`` (same ``gamma``), and its end is taken as that image
(:func:`algeo.model.symmetry.orbit_representatives`; 225 start points of widths 2,2,2, m = 2 are 65 orbits).
Each end is labelled with the path it is the image of, and refined on the exact
system like every other.
"""

from __future__ import annotations

import cmath
import logging
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy

from .. import phc
from ..exceptions import InputError
from ..model.family import family_mode, tracking_family
from ..startsets.store import StartSet, ensure_start_set, load_start_set
from ..model.symmetry import orbit_representatives
from ..model.system import CriticalPointSystem

__all__ = ["HomotopyRun", "parameter_homotopy", "homotopy_gamma"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HomotopyRun:
    """The tracked paths (weight coordinates) and the start set they came from; ``reason`` when unusable."""

    run: phc.BackendRun | None
    start_set: StartSet | None
    start_set_path: str | None
    gamma: complex | None  # of the clean run; None when paths were retried alone with several (run.attempts)
    reason: str | None  # why the homotopy could not be used (then the caller uses the blackbox)
    tracked_paths: int = 0  # paths PHCpack tracked (one per sign-flip orbit); the others are their images


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


def homotopy_gamma(seed: int, attempt: int = 0) -> complex:
    """The ``gamma`` of attempt ``attempt`` for an instance seed: a seeded point on the unit circle."""
    angle = random.Random(f"algeo-gamma-{seed}-{attempt}").uniform(0.1, 2 * cmath.pi - 0.1)
    return cmath.exp(1j * angle)


def parameter_homotopy(
    system: CriticalPointSystem,
    *,
    start_set: str | Path = "auto",
    build: bool = True,
    seed: int = 0,
    timeout: float = 3600.0,
    max_attempts: int = 3,
    progress: Callable[[int], None] | None = None,
) -> HomotopyRun:
    """Track the start set of ``system``'s family to ``system``.

    ``start_set`` is ``"auto"`` (the library, made on first use when ``build``) or the
    path of a start set file (refused when its key is not the family's).
    """
    family = tracking_family(system.architecture, system.dataset.n_samples, family_mode(system.regularization))
    if str(start_set) == "auto":
        from ..startsets.store import start_set_path

        path = start_set_path(family)
        chosen = ensure_start_set(family, build=build, progress=progress)
    else:
        path = Path(start_set)
        if not path.is_file():
            raise InputError("start_set", f"{str(path)!r} is not a file", "give a start set file, auto or none")
        chosen = load_start_set(family, path)
        if chosen is None:
            raise InputError("start_set", f"{str(path)!r} is not a start set of widths {system.architecture}, "
                             f"m = {system.dataset.n_samples} (its key differs or it is unreadable)",
                             "use auto, none, or the matching file")
    if chosen is None:
        return HomotopyRun(None, None, str(path), None, f"no usable start set at {path}")
    parameters = family.parameters_of(system.dataset, system.regularization)
    target = family.coefficients(parameters)
    start = family.coefficients(chosen.parameters)
    gammas = [homotopy_gamma(seed, attempt) for attempt in range(max_attempts)]
    flips = family.sign_flips()
    representatives, images = orbit_representatives(chosen.points, flips)
    run, gamma = _track_orbits(target, start, [chosen.points[k] for k in representatives], family, flips, gammas,
                               timeout)
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
    cut = tuple(cut)
    run = phc.BackendRun(run.backend, cut, len(chosen.points), run.root_counts, run.seed, run.attempts,
                         run.version, run.paths_observed)
    reason = None if run.succeeded else "tracking failed: " + "; ".join(
        f"{a.backend}: {a.outcome.value} {a.detail}".strip() for a in run.attempts)
    return HomotopyRun(run, chosen, str(path), gamma, reason, len(representatives))
