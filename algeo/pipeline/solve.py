"""``solve``: every isolated critical point of a regularized deep linear network.

Pipeline: resolve the instance (:mod:`algeo.pipeline.instance`) -> build the exact
system (:mod:`algeo.model.system`) -> the parameter homotopy from a verified start set
(:mod:`algeo.tracking.homotopy`, the set read here from :mod:`algeo.startsets`) or
PHCpack's blackbox (:mod:`algeo.phc`) -> refinement and classification on the exact
system (:mod:`algeo.classify.points`) -> counts and consistency checks ->
:class:`~algeo.results.solve_result.SolveResult`. ``Lambda = 0`` goes on to
:mod:`algeo.pipeline.unregularized` with the result at a generic ``Lambda_0``.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Sequence


from .. import phc
from ..exceptions import BudgetExceededError, InputError
from ..model.architecture import Architecture
from ..model.data import Dataset, Regularization, RegularizationKind
from ..model.family import ParameterFamily, family_mode, tracking_family
from ..model.system import CriticalPointSystem, build_system
from ..results.solve_result import PathStatus, SolveResult
from ..startsets.build import InstanceCheck, default_method, ensure_start_set
from ..startsets.store import StartSet, find_start_set, load_start_set
from ..tracking.homotopy import parameter_homotopy
from .assemble import assemble
from ..verify.parametrization import complex_solutions
from .crosscheck import ExactCount, start_exact_count
from .instance import parse_architecture, prepare_instance
from .options import DEFAULT_DIGITS, DEFAULT_MAX_PATHS, HomotopyFallback, SolveOptions

__all__ = ["solve", "solve_system", "instance_check", "DEFAULT_DIGITS", "DEFAULT_MAX_PATHS"]

logger = logging.getLogger(__name__)

ENTRYWISE = (RegularizationKind.GENERIC, RegularizationKind.GIVEN)


def solve(
    widths: Architecture | Sequence[int] | str,
    *,
    samples: int | None = None,
    seed: int = 0,
    data: Dataset | str | Path | None = None,
    regularization: Regularization | str = "generic",
    options: SolveOptions | None = None,
) -> SolveResult:
    """Enumerate every isolated critical point of the regularized squared loss.

    Parameters
    ----------
    widths : ``"2,2,2"``, a sequence of ints or an :class:`Architecture`
        ``d_0, d_1, ..., d_H``.
    samples, seed : random data with ``samples`` columns drawn with ``seed`` (and
        ``Lambda`` too when ``regularization="generic"``).
    data : a :class:`Dataset` or the path of a JSON file ``{"X", "Y", "Lambda"?}``.
    regularization : ``"generic"``, a positive scalar such as ``"1/10"``, a
        :class:`Regularization`, or ``"none"``: then the critical set is not isolated and
        the result is an :class:`~algeo.results.unregularized.UnregularizedSolveResult`
        grouping critical points by end-to-end matrix (docs/unregularized.md).
    options : how to solve (:class:`~algeo.pipeline.options.SolveOptions`: precision,
        backend, time limits, certification, start sets).

    Returns
    -------
    SolveResult
        ``result.ok`` is False when a consistency check failed (see ``problems``).

    Examples
    --------
    >>> result = solve("1,1,1", samples=1, seed=3)          # doctest: +SKIP
    >>> result.counts.complex, result.counts.nonzero          # doctest: +SKIP
    (5, 4)
    """
    started = time.monotonic()
    options = options if options is not None else SolveOptions()
    if not isinstance(options, SolveOptions):
        raise InputError("options", f"is a {type(options).__name__}", "give a SolveOptions")
    parse_architecture(widths).check_budget(max_unknowns=options.max_unknowns)  # before any symbolic work
    architecture, dataset, reg = prepare_instance(widths, samples=samples, seed=seed, data=data,
                                                  regularization=regularization)
    if reg.kind is RegularizationKind.NONE:  # positive-dimensional critical set: docs/unregularized.md
        return _solve_unregularized(architecture, dataset, reg, seed=seed, options=options, started=started)
    return solve_system(build_system(architecture, dataset, reg), seed=seed, options=options, started=started)


#: the second Lambda_0 of an unregularized solve is drawn with this seed offset
SECOND_LAMBDA_0 = 1000

#: The unregularized mode does not run msolve on its ``Lambda_0`` system when the start set has more
#: points than this: msolve over QQ counted 225 points in 10 s, and did not finish 705 (widths 3,2,2,
#: m = 3) in 150 s, while the solve waited its ``exact_budget`` for it beside the tracking (widths 3,2,3,
#: m = 3: 14.5 s of work, 39.4 s wall). The ``Lambda_0`` points only start continuations; the result's
#: exact checks are the genericity of the data and the products (docs/unregularized.md).
LAMBDA_0_EXACT_MAX_POINTS = 500


def _solve_unregularized(architecture, dataset, reg, *, seed: int, options: SolveOptions, started: float):
    """The unregularized solve from ``Lambda_0`` of ``seed``; if that result has problems (failed paths, a short
    ``Lambda_0`` solve), once more from another ``Lambda_0`` (``seed + SECOND_LAMBDA_0``) while the budget lasts.

    ``Lambda_0`` is the method's own choice, so a second draw is a fair retry: an instance whose first
    ``Lambda_0`` system has ill-conditioned points (widths 2,3,3, m = 2, integer data, seed 1: rco 8.5e-13,
    32 continuation paths underflowing) need not have them at the next. The clean result is returned; when
    neither is clean, the first, with the second's problems as a warning. Both draws are recorded
    (``provenance.unregularized.lambda_0_draws``).
    """
    from dataclasses import replace

    from ..model.equilibration import equilibrate
    from .unregularized import solve_unregularized, start_regularization, working_data

    equilibration = equilibrate(architecture, dataset)  # None for data of about unit size
    clock = _Clock(started, options.budget)

    def once(draw: int):
        start_reg = start_regularization(architecture, dataset, draw, equilibration)
        system = build_system(architecture, working_data(dataset, equilibration), start_reg)
        base = solve_system(system, seed=draw, options=options, started=started, keep_incomplete=True,
                            skip_exact=_lambda_0_exact_skipped(system, options))
        return solve_unregularized(base, architecture, dataset, start_reg, seed=draw, digits=options.digits,
                                   description=reg.description, started=started, equilibration=equilibration)

    first = once(seed)
    draws = [{"seed": seed, "problems": len(first.problems), "used": True}]
    result = first
    if first.problems and clock.remaining() > time.monotonic() - started:  # room for another solve as long
        logger.warning("%d problems with Lambda_0 of seed %d; drawing Lambda_0 again (seed %d)", len(first.problems),
                       seed, seed + SECOND_LAMBDA_0)
        second = once(seed + SECOND_LAMBDA_0)
        if not second.problems:
            draws[0]["used"] = False
            draws.append({"seed": seed + SECOND_LAMBDA_0, "problems": 0, "used": True})
            result = replace(second, warnings=tuple(second.warnings) + (
                f"Lambda_0 of seed {seed} left {len(first.problems)} problems (the first: {first.problems[0]}); "
                f"this result is from a second Lambda_0 (seed {seed + SECOND_LAMBDA_0}), which left none",))
        else:
            draws.append({"seed": seed + SECOND_LAMBDA_0, "problems": len(second.problems), "used": False})
            result = replace(first, warnings=tuple(first.warnings) + (
                f"a second Lambda_0 (seed {seed + SECOND_LAMBDA_0}) left {len(second.problems)} problems too",))
    provenance = dict(result.provenance)
    lambda_seed = provenance["seed"]
    provenance["seed"] = seed  # the user's (the data's); the Lambda_0 used is recorded below
    provenance["unregularized"] = {**provenance["unregularized"], "lambda_0_seed": lambda_seed,
                                   "lambda_0_draws": draws}
    provenance["wall_time_seconds"] = round(time.monotonic() - started, 3)
    return replace(result, provenance=provenance)


def _lambda_0_exact_skipped(system: CriticalPointSystem, options: SolveOptions) -> str | None:
    """Why msolve is not run on the ``Lambda_0`` system (its start set is over :data:`LAMBDA_0_EXACT_MAX_POINTS`), or None."""
    if not options.exact_budget or not options.uses_start_sets or str(options.start_set) != "auto":
        return None
    found, _ = find_start_set(tracking_family(system.architecture, system.dataset.n_samples,
                                              family_mode(system.regularization)))
    if found is None or found.size <= LAMBDA_0_EXACT_MAX_POINTS:
        return None
    return (f"not run on the Lambda_0 system: its start set has {found.size} points, over the "
            f"{LAMBDA_0_EXACT_MAX_POINTS} msolve over QQ can count within a solve's budget")


class _Clock:
    """The solve's total wall-clock budget (``SolveOptions.budget``; None: unlimited)."""

    def __init__(self, started: float, budget: float | None):
        self.started, self.budget = started, budget

    def remaining(self) -> float:
        return float("inf") if self.budget is None else self.budget - (time.monotonic() - self.started)

    def limit(self, seconds: float) -> float:
        """``seconds``, cut to what is left of the budget (at least one second)."""
        return max(1.0, min(seconds, self.remaining()))

    @property
    def spent(self) -> bool:
        return self.remaining() <= 0


def solve_system(system: CriticalPointSystem, *, seed: int, options: SolveOptions,
                 started: float | None = None, keep_incomplete: bool = False,
                 skip_exact: str | None = None) -> SolveResult:
    """Solve a built system: the parameter homotopy when a start set serves, else the blackbox.

    msolve counts the exact system meanwhile (:mod:`algeo.pipeline.crosscheck`). When the
    numerical solve finds fewer points than the exact count (or the verified start set), it
    goes on by itself (blackbox runs with other seeds, merged) until the counts agree or the
    budget is spent; each step is recorded in ``provenance.method.completion``.
    ``keep_incomplete``: a parameter homotopy short of its count is returned as it is (its
    problems say what is missing) instead of falling back; the unregularized mode uses it for
    its ``Lambda_0`` system, whose points only start continuations. ``skip_exact``: msolve is not run,
    for this reason (recorded as the exact count's ``detail``).
    """
    started = time.monotonic() if started is None else started
    clock = _Clock(started, options.budget)
    exact_future = start_exact_count(system, clock.limit(options.exact_budget) if options.exact_budget else 0.0,
                                     threads=options.msolve_threads, skip=skip_exact)
    reg = system.regularization
    fallback: tuple[HomotopyFallback, str] | None = None
    homotopy_run = None
    if options.uses_start_sets and reg.kind in ENTRYWISE:
        result, homotopy_run, fallback = _solve_by_homotopy(system, seed=seed, options=options, started=started,
                                                            clock=clock, exact_future=exact_future,
                                                            keep_incomplete=keep_incomplete)
        if result is not None:
            return result
        level = logging.INFO if fallback[0] is HomotopyFallback.NO_START_SET else logging.WARNING
        logger.log(level, "parameter homotopy not used (%s: %s)", fallback[0].value, fallback[1])
    exact = exact_future.result()
    if exact.complete and options.uses_start_sets:  # --start-set none: the blackbox, as asked
        result = _solve_by_parametrization(system, exact, seed=seed, options=options, started=started,
                                           fallback=fallback)
        if result is not None:
            return result
    names = system.variable_names
    volumes = phc.mixed_volumes(system.polynomial_system, names, timeout=clock.limit(600.0))
    stable = volumes.get("stable_mixed_volume")
    if stable is not None and stable > options.max_paths:
        raise BudgetExceededError(f"widths {system.architecture}: the stable mixed volume is {stable} paths, over "
                                  f"the budget of {options.max_paths} (raise --max-paths if you mean it)")
    method = _method("blackbox", fallback)
    runs = [homotopy_run] if homotopy_run is not None else []
    completion: list[dict] = []
    for step in range(options.completion_runs + 1):
        if step and clock.spent:
            completion.append({"step": f"blackbox seed {seed + 1000 * step}", "skipped": "budget spent"})
            break
        with _path_progress(options.progress, "PHCpack: start system", total=stable,
                            running="PHCpack: tracking paths") as report:
            runs.append(phc.blackbox_solve(system.polynomial_system, names, seed=seed + 1000 * step,
                                           backend=options.backend, timeout=clock.limit(options.timeout),
                                           max_attempts=options.max_attempts, expected_paths=stable,
                                           progress=report))
        result = assemble(system, _merged(runs), volumes, method=dict(method, completion=completion), seed=seed,
                          options=options, started=started, exact=exact, merged=len(runs) > 1)
        target = _generic_count(result)
        completion.append({"step": f"blackbox seed {seed + 1000 * step}", "N_C": result.counts.complex,
                           "target": target, "seconds": round(time.monotonic() - started, 2)})
        if target is None or result.counts.complex >= target or not runs[-1].succeeded:
            break  # complete, nothing to aim at, or PHCpack failed on every seed blackbox_solve tried
        logger.warning("%d of %d points after %d blackbox run(s); running the blackbox again with another seed",
                       result.counts.complex, target, step + 1)
    if clock.spent and result.counts.complex < (_generic_count(result) or 0):
        result = replace(result, problems=result.problems + (
            f"the budget of {options.budget:g} s was used up with {result.counts.complex} points found of "
            f"{_generic_count(result)} expected",))
    return result


def _solve_by_parametrization(system: CriticalPointSystem, exact: ExactCount, *, seed: int, options: SolveOptions,
                              started: float, fallback) -> SolveResult | None:
    """Every solution from msolve's exact parametrization, refined and classified like path ends.

    Used when the homotopy could not give a complete answer and msolve finished: the points
    come from exact algebra (the roots of the eliminating polynomial as certified balls), so
    none can be lost. None when the roots could not be resolved to double precision.
    """
    try:
        solutions = complex_solutions(exact.counts.parametrization, system.variable_names)
    except ValueError as error:
        logger.warning("msolve's parametrization not used: %s", error)
        return None
    paths = tuple(phc.RawPath.known_solution(point, "msolve parametrization") for point in solutions)
    attempt = phc.Attempt("msolve", 0, phc.AttemptOutcome.OK, exact.counts.seconds, "exact rational parametrization")
    run = phc.BackendRun("msolve", paths, len(paths), {}, None, (attempt,), exact.counts.version, True)
    result = assemble(system, run, {}, method=_method("msolve_parametrization", fallback), seed=seed, options=options, started=started, exact=exact)
    if not result.ok:
        logger.warning("the points of msolve's parametrization failed a check (%s); running the blackbox",
                       "; ".join(result.problems))
        return None
    return result


def _method(name: str, fallback: tuple[HomotopyFallback, str] | None) -> dict:
    """``provenance.method`` of a method used after the parameter homotopy was not (with why)."""
    method: dict = {"name": name}
    if fallback is not None:
        method.update(fallback_from="parameter_homotopy", fallback=fallback[0].value, fallback_reason=fallback[1])
    return method


def _generic_count(result: SolveResult) -> int | None:
    """The count a complete result must reach: msolve's, else the verified start set's (None: unknown).

    Both are recorded by the cross-check (:func:`algeo.pipeline.crosscheck.cross_check`).
    """
    extra = result.counts.extra
    return extra["exact_complex"] if extra.get("exact_complex") is not None else extra.get("start_set_size")


def _merged(runs: list) -> phc.BackendRun:
    """Several runs on one system as one: paths and attempts in order (their ends are clustered together)."""
    if len(runs) == 1:
        return runs[0]
    last = runs[-1]
    return phc.BackendRun(last.backend, tuple(p for r in runs for p in r.paths), sum(r.declared_paths for r in runs),
                          last.root_counts, last.seed, tuple(a for r in runs for a in r.attempts), last.version,
                          all(r.paths_observed for r in runs))


def instance_check(family: ParameterFamily) -> InstanceCheck:
    """The blackbox solve of a real instance of ``family`` that confirms a new start set's count."""

    def check(seed: int) -> tuple[int, bool, dict]:
        result = solve(family.architecture.widths, samples=family.samples, seed=seed,
                       options=SolveOptions(start_set="none"))
        return result.counts.complex, result.ok, result.bounds.to_json()

    return check


@contextlib.contextmanager
def _path_progress(enabled: bool, description: str, *, total: int | None = None, running: str | None = None):
    """A progress bar over the path count a PHCpack child process reports; yields the callback.

    No bar (callback ``None``) when ``enabled`` is false; ``disable=None`` also hides it when
    stderr is not a terminal (logs, CI). ``running`` replaces the description once paths move.
    """
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=total, desc=description, unit="path", delay=2.0, leave=False, disable=None, mininterval=1.0)

    def report(done: int) -> None:
        if done != bar.n:
            if running is not None:
                bar.set_description(running, refresh=False)
            bar.update((min(done, total) if total else done) - bar.n)

    try:
        yield report
    finally:
        bar.close()


def _start_set(system: CriticalPointSystem, options: SolveOptions) -> tuple[StartSet | None, Path]:
    """The start set of ``system``'s family: the library's (made first when asked) or a given file."""
    family = tracking_family(system.architecture, system.dataset.n_samples, family_mode(system.regularization))
    if str(options.start_set) == "auto":
        found, path = find_start_set(family)
        if found is not None or not options.build_start_set:
            return found, path
        method = default_method(family)
        started = time.monotonic()
        logger.warning("no start set for widths %s, m = %d yet: making one by %s (first use; stored in %s)",
                       system.architecture, system.dataset.n_samples, method, path.parent)
        with _path_progress(options.progress, f"building the start set by {method} (first use)") as report:
            chosen = ensure_start_set(family, method=method, progress=report,
                                      check_instance=instance_check(family) if method == "blackbox" else None)
        logger.warning("start set made in %.1f s: %d points, confirmed by %s", time.monotonic() - started,
                       chosen.size, ", ".join(chosen.check.get("confirmed_by", [])))
        return chosen, path
    path = Path(options.start_set)
    if not path.is_file():
        raise InputError("start_set", f"{str(path)!r} is not a file", "give a start set file, auto or none")
    chosen = load_start_set(family, path)
    if chosen is None:
        raise InputError("start_set", f"{str(path)!r} is not a start set of widths {system.architecture}, "
                         f"m = {system.dataset.n_samples} (its key differs or it is unreadable)",
                         "use auto, none, or the matching file")
    return chosen, path


def _solve_by_homotopy(system: CriticalPointSystem, *, seed: int, options: SolveOptions, started: float,
                       clock: _Clock, exact_future, keep_incomplete: bool = False) -> tuple[SolveResult | None, phc.BackendRun | None,
                                                             tuple[HomotopyFallback, str] | None]:
    """The parameter homotopy's result, or (None, its run if any, why it cannot be used).

    The result is complete when its distinct points reach msolve's exact count (non-generic
    data may have fewer than the start set: the other paths diverge), or, without an exact
    count, when every start point's path ends at its own regular point.
    """
    chosen, path = _start_set(system, options)
    if chosen is None:
        return None, None, (HomotopyFallback.NO_START_SET, f"no usable start set at {path}")
    if not chosen.confirmed and not keep_incomplete:  # its size is no count: only the unregularized mode uses it
        return None, None, (HomotopyFallback.NO_START_SET, f"the start set at {path} is not confirmed complete "
                                                           f"({chosen.check['unconfirmed']})")
    stage = time.monotonic()
    homotopy = parameter_homotopy(system, chosen.parameters, chosen.points, seed=seed,
                                  timeout=clock.limit(options.timeout), max_attempts=options.max_attempts,
                                  tracker="batched" if keep_incomplete else "auto")
    logger.info("parameter homotopy from the start set (%d points): %.1f s", chosen.size, time.monotonic() - stage)
    if not homotopy.succeeded and not (keep_incomplete and homotopy.run.paths):
        return None, None, (HomotopyFallback.TRACKING_FAILED, "tracking failed: " + homotopy.failure_detail())
    bounds = chosen.check.get("weight_system_bounds") or {}
    method = {"name": "parameter_homotopy", "start_set": {
        "key": chosen.key, "path": str(path), "size": chosen.size, "seed": chosen.provenance["seed"],
        "confirmed_by": chosen.check.get("confirmed_by")},
        "gamma": [homotopy.gamma.real, homotopy.gamma.imag] if homotopy.gamma is not None else "several",
        "tracking_attempts": [a.to_json() for a in homotopy.run.attempts],
        "tracked_paths": homotopy.tracked_paths, "paths_by_sign_flip": chosen.size - homotopy.tracked_paths}
    exact = exact_future.result()
    stage = time.monotonic()
    result = assemble(system, homotopy.run, bounds, method=method, seed=seed, options=options, started=started,
                      start_set=chosen, exact=exact, classify=not keep_incomplete)
    logger.info("refinement and grouping of %d path ends: %.1f s", len(homotopy.run.paths), time.monotonic() - stage)
    if keep_incomplete:
        return result, homotopy.run, None
    if exact.complete:
        if result.counts.complex != exact.counts.distinct:
            return None, homotopy.run, (HomotopyFallback.COUNT_SHORT,
                                        f"{result.counts.complex} distinct points, msolve counts {exact.counts.distinct}")
    else:
        statuses = [p.status for p in result.paths]
        if result.counts.complex != chosen.size or any(s is not PathStatus.REGULAR for s in statuses):
            return None, homotopy.run, (HomotopyFallback.COUNT_SHORT,
                                        f"{result.counts.complex} distinct points from {chosen.size} paths "
                                        f"({result.counts.regular} regular, {result.counts.singular} singular, "
                                        f"{result.counts.at_infinity} at infinity, {result.counts.failed} failed)")
    if not result.ok:
        return None, homotopy.run, (HomotopyFallback.CHECK_FAILED, "; ".join(result.problems))
    return result, homotopy.run, None
