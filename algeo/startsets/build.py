"""Making start sets: solve the lifted system at random complex data, then confirm the count.

The only start-set code that solves: PHCpack's blackbox or monodromy
(:mod:`algeo.tracking.monodromy`) finds the points; the modular count
(:mod:`algeo.verify.exact`), the trace test (:mod:`algeo.tracking.trace`), the published
count, and optionally a solve of a real instance supplied by the caller
(``check_instance``) confirm them. A set nothing confirms is refused.
"""

from __future__ import annotations

import datetime
import logging
import random
import time
from fractions import Fraction
from pathlib import Path
from typing import Callable

import numpy

from .. import phc
from ..exceptions import InputError, SolverFailedError
from ..model.data import Dataset, Regularization, RegularizationKind
from ..model.family import ParameterFamily
from ..results.solve_result import PathStatus
from ..model.symmetry import PointSet
from .store import StartSet, find_start_set, load_start_set, save_start_set, start_set_path

__all__ = ["make_start_set", "ensure_start_set", "default_method", "InstanceCheck", "TRACE_LIMIT", "METHODS"]

#: start data drawn for msolve before giving up (a draw on the non-generic locus is rare)
MSOLVE_DATA_ATTEMPTS = 4

#: how a start set can be made (:func:`make_start_set`)
METHODS = ("msolve", "monodromy", "blackbox")

logger = logging.getLogger(__name__)

#: ``check_instance(seed) -> (N_C, ok, bounds JSON)``: an independent solve of a real instance
#: of the family (the pipeline supplies the blackbox one)
InstanceCheck = Callable[[int], tuple[int, bool, dict]]


def _distinct_regular_points(family: ParameterFamily, parameters, run: phc.BackendRun) -> tuple[list, dict]:
    """Regular finite end points, checked for residual and distinctness (double precision)."""
    points, singular, other = [], 0, 0
    for raw in run.paths:
        if raw.status is PathStatus.REGULAR:
            points.append(numpy.array(raw.coordinates))
        elif raw.status is PathStatus.SINGULAR:
            singular += 1
        else:
            other += 1
    from ..classify.points import PAIRWISE_UP_TO, SEARCHED_BELOW, smallest_relative_distance
    from ..tracking.homotopy import batch_evaluator

    evaluator = batch_evaluator(family)
    if evaluator is not None and points:  # closed form, all points at once (the sparse terms: 10 ms a point)
        values = evaluator.value(numpy.array(points, dtype=complex), numpy.asarray(parameters, dtype=complex))
        residuals = [float(r) for r in numpy.abs(values).max(axis=1)]
    else:
        residuals = [float(numpy.abs(family.evaluate(parameters, p)).max()) for p in points]
    # the rounding error of F in double precision grows like the largest term, ||x||^(2H - 1) times the data: a
    # point of norm 300 at widths 2,3,2,2 (H = 3) carries ~1e-3 of it; the check is relative to that scale
    degree = 2 * family.architecture.depth - 1
    relative = [r / max(1.0, float(numpy.abs(p).max())) ** degree for r, p in zip(residuals, points)]
    # min over pairs of max |a_i - b_i| (blocked bounds; the sets from graph monodromy reach tens of thousands)
    closest = smallest_relative_distance(numpy.array(points, dtype=complex).reshape(len(points), -1),
                                         numpy.ones(len(points))) if points else None
    evidence = {"regular": len(points), "singular": singular, "not_finite": other,
                "largest_residual": max(residuals, default=None),
                "largest_relative_residual": max(relative, default=None), "closest_pair_distance": closest}
    if len(points) > PAIRWISE_UP_TO:  # only pairs closer than SEARCHED_BELOW were looked for (None: there are none)
        evidence["closest_pair_searched_below"] = SEARCHED_BELOW
    return points, evidence


#: With a modular count, the trace test runs by default only up to this many start points
#: (its witness sets were 1.4 to 12 times the count in the measured rows; docs/sweep.md).
TRACE_LIMIT = 150


def _modular_count(family: ParameterFamily, seed: int, timeout: float = 600.0):
    """The number of solutions over ZZ/p of an instance with random rational data, or None.

    msolve's F4 over ``ZZ/p`` when msolve is installed (:func:`algeo.verify.msolve.msolve_modular_count`;
    seconds where Singular took minutes; ``N_C`` alone, from the leading ideal), else Singular's vdim
    over ``ZZ/p``.
    """
    from ..exceptions import BudgetExceededError
    from ..verify.exact import instance_counts, singular_available
    from ..verify.msolve import generic_modular_count, msolve_available

    if msolve_available():  # Singular is far slower: no second try when msolve ran out of time
        return generic_modular_count(family.architecture, family.samples, seed, timeout=timeout, nonzero=False)
    if not singular_available():
        logger.info("neither msolve nor Singular counted: no modular count for the start set")
        return None
    try:
        return instance_counts(family.architecture.widths, family.samples, seed, timeout=timeout)
    except BudgetExceededError as error:
        logger.warning("no modular count for the start set: %s", error)
        return None


#: start data for msolve: small numerators over a power of two (short coefficients, so msolve is
#: fast) and of unit scale (X, Y in [-1, 1], Lambda in [1/4, 1], like the random law), so the
#: start points are well scaled for tracking. (Integer X, Y in [-9, 9] with Lambda = k/97 gave
#: start points of norm 60, and 4 to 42 of the 65 paths of widths 2,2,2, m = 2 failed to an
#: integer instance, depending on gamma.)
START_DENOMINATOR = 64


def _integer_instance(family: ParameterFamily, seed: int) -> tuple[Dataset, Regularization]:
    """Real start data: X, Y entries k/64 (0 < |k| <= 64), Lambda entries k/64 (16 <= k <= 64).

    Zero entries are left out: they made the data non-generic too often (a zero column of X).
    """
    rng = random.Random(f"algeo-start-data-{seed}")
    a, d = family.architecture, START_DENOMINATOR
    nonzero = lambda: rng.choice((-1, 1)) * rng.randint(1, d)
    entries = lambda rows, cols, draw: tuple(tuple(Fraction(draw(), d) for _ in range(cols)) for _ in range(rows))
    dataset = Dataset(entries(a.input_width, family.samples, nonzero), entries(a.output_width, family.samples, nonzero),
                      source=f"start data: k/{d}, 0 < |k| <= {d}, seed {seed}")
    Lambda = tuple(entries(rows, cols, lambda: rng.randint(d // 4, d)) for rows, cols in a.shapes)
    return dataset, Regularization(RegularizationKind.GIVEN, Lambda, f"start data: k/{d}, {d // 4} <= k <= {d}, "
                                   f"seed {seed}")


def _solve_by_msolve(family: ParameterFamily, seed: int, timeout: float):
    """All solutions at integer start data by msolve: (parameters, run of known solutions, msolve record)."""
    from ..model.system import build_system
    from ..verify.msolve import MsolveStatus, msolve_counts
    from ..verify.parametrization import complex_solutions

    dataset, regularization = _integer_instance(family, seed)
    system = build_system(family.architecture, dataset, regularization)
    counts = msolve_counts(system.polynomial_system, system.variable_names, timeout=timeout)
    if counts.status is MsolveStatus.POSITIVE_DIMENSIONAL:
        raise SolverFailedError(f"the start data of {family.architecture}, m = {family.samples} (seed {seed}) are "
                                "not generic: infinitely many solutions")
    if counts.status is not MsolveStatus.COMPLETE:
        raise SolverFailedError(f"msolve did not solve the start system of {family.architecture}, m = "
                                f"{family.samples}: {counts.status.value} {counts.detail}")
    if counts.distinct != counts.complex:
        raise SolverFailedError(f"the start data of {family.architecture}, m = {family.samples} (seed {seed}) are "
                                f"not generic: {counts.complex - counts.distinct} multiple solutions")
    parameters = family.parameters_of(dataset, regularization)
    weights = complex_solutions(counts.parametrization, system.variable_names)
    paths = tuple(phc.RawPath.known_solution(family.lift(w, parameters), "msolve") for w in weights)
    record = {key: value for key, value in counts.to_json().items() if key != "real_boxes"}
    return parameters, phc.BackendRun("msolve", paths, len(paths), {}, seed, (), counts.version, True), record


#: seconds the monodromy waits for the modular count before it starts without a target
COUNT_WAIT = 30.0


def _graph_monodromy_beside_count(family: ParameterFamily, evaluator, seed: int, timeout: float, progress):
    """Graph monodromy and the modular count at once: ``(MonodromyResult, ExactCounts or None)``.

    The count (msolve, a separate process) gets :data:`COUNT_WAIT` seconds first; when it is in,
    the monodromy aims at it and stops there. Otherwise the monodromy runs without a target (its
    stall rule) while the count goes on, and when the count then says more, graph monodromy
    runs again from the same base data aiming at it (other seeds), and the two point sets are
    merged. For large families that overlaps the two longest steps (widths 2,3,3, m = 2: the
    count 132 s, graph monodromy 362 s). ``timeout <= 0``: no count, graph monodromy alone.
    """
    import concurrent.futures

    from ..tracking.graph_monodromy import graph_monodromy
    from ..tracking.monodromy import MonodromyResult

    if timeout <= 0:  # no count asked for (rows whose count does not fit this machine): the stall rule alone
        return graph_monodromy(family, evaluator, seed=seed, progress=progress), None
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        counting = pool.submit(_modular_count, family, seed, timeout)
        target = lambda counted: counted.complex if counted is not None and counted.complex >= 0 else None
        try:
            exact = counting.result(timeout=COUNT_WAIT)
        except concurrent.futures.TimeoutError:
            logger.info("the modular count is still running: graph monodromy starts without a target")
        else:
            populated = graph_monodromy(family, evaluator, seed=seed, progress=progress, target=target(exact),
                                        passes=3 if target(exact) is not None else 1)
            return populated, exact
        populated = graph_monodromy(family, evaluator, seed=seed, progress=progress)
        exact = counting.result()
    finally:
        pool.shutdown(wait=True)
    wanted = target(exact)
    if wanted is None or wanted <= len(populated.points):
        return populated, exact
    logger.info("graph monodromy stalled at %d points, the modular count is %d: again, aiming at it",
                len(populated.points), wanted)
    more = graph_monodromy(family, evaluator, seed=seed + 1000, base=numpy.array(populated.parameters),
                           progress=progress, target=wanted, passes=3)
    return MonodromyResult(populated.parameters, _union(populated.points, more.points),
                           populated.loops + more.loops,
                           populated.counts_after_each_loop + more.counts_after_each_loop,
                           populated.failed_paths + more.failed_paths, populated.tracked_paths + more.tracked_paths,
                           populated.seconds + more.seconds, populated.added_by_symmetry + more.added_by_symmetry,
                           populated.passes + more.passes, wanted), exact


def _independent_monodromy(family: ParameterFamily, evaluator, parameters, points, seed: int,
                           progress) -> tuple[dict, list]:
    """Graph monodromy once more, from other data and seeds, its points then tracked onto ``parameters``.

    Two runs with nothing in common but the family: their counts must agree, and the second
    run's points, moved to the first run's data by the parameter homotopy, must land one to one
    on ``points`` (a path that does not land is tracked again with another gamma). That is
    evidence, not a proof: both runs could miss the same points (an orbit of the monodromy
    group neither reached). It stands in for the count when no count is possible (msolve ran
    out of this machine's memory on widths 2,2,2,3, m = 2). Returns the record (what was seen;
    ``agrees`` is the verdict) and the moved points that are not in ``points``.
    """
    from scipy.spatial import cKDTree

    from ..tracking.batch import BatchStatus, gamma_path, is_affine, track_batch
    from ..tracking.gamma import homotopy_gamma
    from ..tracking.graph_monodromy import RESIDUAL, graph_monodromy

    started = time.monotonic()
    other = graph_monodromy(family, evaluator, seed=seed, progress=progress)
    source = numpy.array(other.points, dtype=complex)
    parameters = numpy.asarray(parameters, dtype=complex)
    ends = numpy.full(source.shape, numpy.nan, dtype=complex)
    pending = numpy.arange(len(source))
    retracked = 0
    for attempt in range(3):  # a lost path gets two more gammas
        if not len(pending):
            break
        retracked += len(pending) if attempt else 0
        moved = track_batch(evaluator, source[pending], gamma_path(numpy.array(other.parameters), parameters,
                                                                    homotopy_gamma(seed, attempt),
                                                                    affine=is_affine(evaluator)))
        landed = numpy.array([status is BatchStatus.REACHED and residual <= RESIDUAL
                              for status, residual in zip(moved.status, moved.residual)], dtype=bool)
        ends[pending[landed]] = moved.points[landed]
        pending = pending[~landed]
    known = numpy.asarray(points, dtype=complex)
    as_real = lambda z: numpy.concatenate([z.real, z.imag], axis=1)
    reached = ends[numpy.all(numpy.isfinite(ends), axis=1)]
    hit, fresh = set(), PointSet()
    if len(reached) and len(known):
        distance, nearest = cKDTree(as_real(known)).query(as_real(reached), k=1, p=numpy.inf)
        for d, k, x in zip(distance, nearest, reached):
            if d <= 1e-6 * max(1.0, float(numpy.abs(x).max())):
                hit.add(int(k))
            else:
                fresh.add(x)
    new = len(fresh)
    record = {"method": "graph monodromy from other data, tracked onto the start data", "seed": seed,
              "points": len(source), "lost_on_the_way": len(pending), "tracked_again": retracked,
              "landed_on_start_points": len(hit), "new_points": new, "loops": other.loops,
              "monodromy_lost_paths": other.failed_paths, "seconds": round(time.monotonic() - started, 3)}
    record["agrees"] = len(source) == len(known) == len(hit) and not new and not len(pending)
    return record, fresh.points


def _union(known, more, tolerance: float = 1e-6) -> tuple:
    """``known`` (distinct points) and the points of ``more`` farther than ``tolerance * max(1, |x|)`` from all."""
    from scipy.spatial import cKDTree

    if not more:
        return tuple(known)
    if not known:
        return tuple(more)
    real = lambda points: numpy.concatenate([numpy.asarray(points).real, numpy.asarray(points).imag], axis=1)
    distance, _ = cKDTree(real(known)).query(real(more), k=1)
    norms = numpy.abs(numpy.asarray(more)).max(axis=1)
    new = [tuple(p) for p, d, n in zip(more, distance, norms) if d > tolerance * max(1.0, n)]
    return tuple(known) + tuple(new)


def default_method(family: ParameterFamily | None = None) -> str:
    """How a missing start set is made on first use.

    ``monodromy`` for a family the batched tracker evaluates in closed form (the Gram
    family, ``m >= d_0``, and the lifted one, ``m < d_0``): graph monodromy aiming at
    msolve's modular count, measured faster than msolve over QQ from 225 points up (widths
    2,2,3, m = 2, 705 points: 12 s plus 2.8 s for the count). Otherwise ``msolve`` when the
    program is there, else ``monodromy`` (PHCpack's trackers).
    """
    from ..tracking.homotopy import batch_evaluator
    from ..verify.msolve import msolve_available

    if family is not None and batch_evaluator(family) is not None:
        return "monodromy"
    return "msolve" if msolve_available() else "monodromy"


def make_start_set(
    family: ParameterFamily,
    *,
    seed: int = 0,
    check_instance: InstanceCheck | None = None,
    method: str = "blackbox",
    timeout: float = 3600.0,
    workers: int = 1,
    trace: bool | None = None,
    progress: Callable[[int], None] | None = None,
    independent: bool | None = None,
    accept_unconfirmed: bool = False,
) -> StartSet:
    """Solve the lifted system at random complex data, then check the count.

    ``method="msolve"``: every solution of the exact system at random data with short
    coefficients (:func:`_integer_instance`), from msolve's rational
    parametrization (:mod:`algeo.verify.parametrization`); the start data are real, which the
    parameter homotopy's ``gamma`` makes harmless. Its count is exact over QQ (with high
    probability, as every multi-modular computation), and the modular count of an
    independent random instance checks that the start data were generic.
    ``method="blackbox"``: PHCpack's blackbox on the lifted system. ``"monodromy"``:
    loops in parameter space (:mod:`algeo.tracking.monodromy`), which needs no blackbox but
    proves nothing by itself. Its completeness is decided by independent counts: the
    modular count (:func:`_modular_count`, within ``timeout``), which the loops also aim at
    (:func:`_graph_monodromy_beside_count` runs the two at once), and the trace test (:mod:`algeo.tracking.trace`;
    ``trace=None`` runs it when there is no modular count or at most :data:`TRACE_LIMIT`
    points). Without a modular count (``timeout <= 0``, or it ran out of time), a graph monodromy set is
    checked by a second, independent graph monodromy (:func:`_independent_monodromy`;
    ``independent=None`` runs it then). ``check_instance`` adds an independent solve of a real instance.
    ``accept_unconfirmed``: a monodromy set nothing confirmed is kept anyway (the union of the two graph
    monodromy runs), with ``check["unconfirmed"]`` saying why; only the unregularized mode uses such a set
    (its products are checked exactly, whatever the start system's completeness). Raises
    :class:`SolverFailedError` when the solver fails, a start point is not a solution,
    two coincide, a count differs from an independent one, or nothing confirmed a
    monodromy set; ``check["confirmed_by"]`` lists what did.
    """
    from ..verify.known_counts import published_counts

    if method not in METHODS:
        raise InputError("method", f"unknown start-set method {method!r}", f"use one of {', '.join(METHODS)}")
    started = time.monotonic()
    names = family.variable_names
    exact = None
    solved_exactly = None
    if method == "msolve":
        exact = _modular_count(family, seed)
        for attempt in range(MSOLVE_DATA_ATTEMPTS):  # start data on the non-generic locus: the next draw
            try:
                parameters, run, solved_exactly = _solve_by_msolve(family, seed + attempt, timeout)
            except SolverFailedError as error:
                if attempt + 1 == MSOLVE_DATA_ATTEMPTS or "not generic" not in str(error):
                    raise
                logger.info("%s; drawing other start data", error)
                continue
            if exact is None or solved_exactly["N_C_distinct"] == exact.complex:
                break
            logger.info("start data seed %d of %s, m = %d: %d solutions, the modular count is %d; drawing again",
                        seed + attempt, family.architecture, family.samples, solved_exactly["N_C_distinct"],
                        exact.complex)
        solved_exactly["start_data_seed"] = seed + attempt
        volumes = {}
    elif method == "monodromy":
        from ..tracking.graph_monodromy import graph_monodromy
        from ..tracking.homotopy import batch_evaluator
        from ..tracking.monodromy import populate_by_monodromy

        evaluator = batch_evaluator(family)
        if evaluator is not None:  # graph monodromy with the batched tracker, beside the count
            populated, exact = _graph_monodromy_beside_count(family, evaluator, seed, timeout, progress)
        else:  # a family without a closed-form evaluator: loops with PHCpack's trackers
            exact = _modular_count(family, seed, timeout)
            target = exact.complex if exact is not None and exact.complex >= 0 else None
            populated = populate_by_monodromy(family, seed=seed, progress=progress, workers=workers,
                                              target=target, passes=3 if target is not None else 1)
        parameters = numpy.array(populated.parameters)
        paths = tuple(phc.RawPath.known_solution(point, "monodromy") for point in populated.points)
        run = phc.BackendRun("monodromy", paths, len(paths), {}, seed, (), None, True)
        volumes = {"monodromy_loops": populated.loops, "monodromy_lost_paths": populated.failed_paths,
                   "monodromy_tracked_paths": populated.tracked_paths,
                   "monodromy_added_by_symmetry": populated.added_by_symmetry,
                   "monodromy_seconds": populated.seconds, "monodromy_passes": populated.passes,
                   "monodromy_tracker": "batched graph" if evaluator is not None else "phcpy loops"}
    else:
        parameters = family.random_parameters(seed)
        system = family.coefficients(parameters)
        volumes = phc.mixed_volumes(system, names)
        run = phc.blackbox_solve(system, names, seed=seed + 1, backend="phc" if phc.phc_program() else "auto",
                                 timeout=timeout, expected_paths=volumes.get("stable_mixed_volume"),
                                 progress=progress)
        if not run.succeeded:
            raise SolverFailedError(f"the blackbox failed on the start system of {family.architecture}, "
                                    f"m = {family.samples}: {[a.to_json() for a in run.attempts]}")
    points, evidence = _distinct_regular_points(family, parameters, run)
    problems = []
    if evidence["singular"]:
        problems.append(f"{evidence['singular']} singular end points at generic complex data")
    if evidence["largest_relative_residual"] is not None and evidence["largest_relative_residual"] > 1e-8:
        problems.append(f"a start point has residual {evidence['largest_relative_residual']:.2e} relative to "
                        f"max(1, ||x||)^(2H - 1)")
    if evidence["closest_pair_distance"] is not None and evidence["closest_pair_distance"] < 1e-6:
        problems.append("two start points coincide")
    check_record: dict = {"start_solutions": len(points), "lifted_root_counts": volumes, **evidence}
    confirmed = []
    if solved_exactly is not None:
        check_record["msolve"] = solved_exactly
        if solved_exactly["N_C_distinct"] == len(points):
            confirmed.append("msolve (exact over QQ)")
        else:
            problems.append(f"{len(points)} start points from msolve's {solved_exactly['N_C_distinct']} solutions")
    if exact is not None:
        check_record["modular_count"] = exact.to_json()
        if exact.complex == len(points):
            confirmed.append("modular count")
        else:
            problems.append(f"{len(points)} start solutions, but the modular count ({exact.method} over "
                            f"{exact.to_json()['field']}) is {exact.complex}")
    if method == "monodromy" and (trace if trace is not None else exact is None or len(points) <= TRACE_LIMIT):
        from ..tracking.trace import Completeness, trace_test

        traced = trace_test(family, parameters, points, seed=seed + 1, workers=workers)
        check_record["trace_test"] = traced.to_json()
        if traced.verdict is Completeness.COMPLETE:
            confirmed.append("trace test")
        elif "modular count" not in confirmed:
            problems.append(f"trace test {traced.verdict.value} (residual {traced.trace_residual}, "
                            f"{traced.lost_paths} paths lost)")
    if method == "monodromy" and evaluator is not None and (independent if independent is not None else
                                                             exact is None or exact.complex < 0):
        agreement, fresh = _independent_monodromy(family, evaluator, parameters, points, seed + 1, progress)
        check_record["independent_monodromy"] = agreement
        if agreement["agrees"]:
            confirmed.append("independent graph monodromy")
        elif not confirmed:
            problems.append(f"a second graph monodromy from other data found {agreement['points']} points; tracked "
                            f"onto the start data {agreement['landed_on_start_points']} landed on distinct start "
                            f"points, {agreement['new_points']} on new ones, {agreement['lost_on_the_way']} were lost")
            if accept_unconfirmed and fresh:  # the union is at least as complete as either run
                more, more_evidence = _distinct_regular_points(family, parameters, phc.BackendRun(
                    "monodromy", tuple(phc.RawPath.known_solution(p, "monodromy") for p in list(points) + list(fresh)),
                    len(points) + len(fresh), {}, seed, (), None, True))
                check_record.update(first_run_points=len(points), union_points=len(more), **more_evidence)
                if more_evidence["closest_pair_distance"] is not None and more_evidence["closest_pair_distance"] < 1e-6:
                    problems.append("two points of the union of the two runs coincide")
                points = more
    published = published_counts(family.architecture.widths, family.samples)
    if published is not None:
        check_record["published_N_C"] = published["N_C"]
        if published["N_C"] != len(points):
            problems.append(f"{len(points)} start solutions, published N_C = {published['N_C']}")
    if check_instance is not None:
        check_seed = seed + 1
        found, ok, bounds = check_instance(check_seed)
        check_record.update(blackbox_instance_seed=check_seed, blackbox_N_C=found, blackbox_ok=ok,
                            weight_system_bounds=bounds)
        if not ok or found != len(points):
            problems.append(f"{len(points)} start solutions, but the blackbox found N_C = {found} "
                            f"on the real instance with seed {check_seed} (ok = {ok})")
    check_record["confirmed_by"] = confirmed + [name for name, present in (("blackbox instance",
                                                                            check_instance is not None),
                                                                           ("published count", published is not None))
                                                if present]
    if method in ("monodromy", "msolve") and not confirmed:
        problems.append("neither a modular count, the trace test nor an independent graph monodromy confirmed the "
                        "monodromy set")
    if accept_unconfirmed and not confirmed and method == "monodromy" and problems and all(
            p.startswith(("a second graph monodromy", "neither a modular count")) for p in problems):
        check_record["unconfirmed"] = "; ".join(problems)
        check_record["start_solutions"] = len(points)
        logger.warning("start set for %s, m = %d kept unconfirmed: %s", family.architecture, family.samples,
                       check_record["unconfirmed"])
        problems = []
    if problems:
        raise SolverFailedError(f"start set for {family.architecture}, m = {family.samples} rejected: "
                                + "; ".join(problems))
    provenance = {"seed": seed, "method": method, "backend": run.backend, "phc_seed": run.seed, "phcpack": run.version,
                  "seconds": round(time.monotonic() - started, 3),
                  "made": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    return StartSet(family.key, family.architecture.widths, family.samples, family.mode,
                    tuple(complex(z) for z in parameters), tuple(tuple(complex(z) for z in p) for p in points),
                    check_record, provenance, family.formulation)


def ensure_start_set(
    family: ParameterFamily,
    *,
    directory: str | Path | None = None,
    build: bool = True,
    seed: int = 0,
    method: str = "auto",
    check_instance: InstanceCheck | None = None,
    workers: int = 1,
    trace: bool | None = None,
    progress: Callable[[int], None] | None = None,
) -> StartSet | None:
    """Load the family's start set (the user's library, then the shipped sets), or make and store it.

    ``method`` and ``check_instance`` are :func:`make_start_set`'s (used only when the set is made,
    which happens only when ``build``); ``"auto"`` is :func:`default_method`. With ``directory``
    only that directory is read and written.
    """
    if directory is None:
        found, _ = find_start_set(family)
    else:
        found = load_start_set(family, start_set_path(family, directory))
    if found is not None or not build:
        return found
    path = start_set_path(family, directory)
    if method == "auto":
        method = default_method(family)
    logger.info("making the start set for %s, m = %d (first use)", family.architecture, family.samples)
    start_set = make_start_set(family, seed=seed, method=method, check_instance=check_instance, workers=workers,
                               trace=trace, progress=progress)
    save_start_set(start_set, path)
    return start_set
