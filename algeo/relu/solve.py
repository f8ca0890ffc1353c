"""``solve_relu``: every isolated differentiable critical point of a regularized ReLU network.

Region by region (:mod:`algeo.relu.regions` gives every realizable pattern exactly), the
polynomial gradient system of ``L_A`` (:mod:`algeo.relu.system`) goes through algeo's one
pipeline: PHCpack's blackbox (:func:`algeo.phc.blackbox_solve`), Newton refinement on the
exact system and classification (``algeo.solve``'s refinement step, which uses
:func:`algeo.verify.refine.refine_point` and :mod:`algeo.classify.points`). Each real solution is then
placed relative to its region by the exact signs of its pre-activations evaluated at
the refinement precision (:class:`Placement`): only points strictly *inside* are critical
points of the ReLU loss; points on a boundary and outside are counted and listed.

Regions where some neuron is inactive on every sample are decided without solving:
there ``dL_A/dw~_i = lambda o w~_i``, so every critical point has ``w~_i = 0``, on the
boundary of the (open) region.

Every local minimum found is then assessed (:mod:`algeo.relu.minima`): proven a strict local
minimum of the regularized loss (and, if not the best, proven not global) in exact rational
arithmetic, and compared with the *unregularized* loss -- whether its region holds a
(non-strict) local minimum of ``L_0`` (the region's least-squares fit realized inside), whether
that one is spurious for ``L_0``, and whether a regularized spurious minimum is non-global only
because ``Lambda`` is asymmetric (e.g. a neuron-swapped copy of the global one).
"""

from __future__ import annotations

import datetime
import enum
import itertools
import logging
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import mpmath

from .. import phc
from ..classify.points import Tolerances, refine_and_classify
from ..exceptions import BudgetExceededError, InputError
from ..model.data import parse_entry
from ..results.provenance import software_versions
from ..phc import Attempt
from ..results.display import summary_html
from ..results.solve_result import CriticalPoint, PathStatus, expect_kind
from ..verify.refine import mp_context
from .arrangement import chambers
from .instance import ReluArchitecture, ReluData, resolve_relu_data
from .minima import MinimumReport, UnregularizedStatus, assess_minima
from .system import build_region_system, generic_lambda, scalar_lambda

__all__ = ["Placement", "RegionPoint", "RegionReport", "ReluSolveResult", "solve_relu", "placement"]

logger = logging.getLogger(__name__)


class Placement(str, enum.Enum):
    """Where a real solution of ``grad L_A = 0`` lies relative to the open region of ``A``."""

    INSIDE = "inside"  # every pre-activation has the pattern's strict sign: a critical point of the ReLU loss
    BOUNDARY = "boundary"  # some pre-activation is zero within the tolerance, none has the wrong sign
    OUTSIDE = "outside"  # some pre-activation has the wrong sign: not a critical point of the ReLU loss


class RegionOutcome(str, enum.Enum):
    SOLVED = "solved"  # PHCpack run accounted for every path
    DEAD_NEURON = "dead_neuron"  # decided exactly: no critical point inside
    FAILED = "failed"  # every PHCpack attempt failed


@dataclass(frozen=True)
class RegionPoint:
    point: CriticalPoint
    placement: Placement
    margin: float  # min_ij s_ij (w~_i . x~_j) / max(1, ||theta||): positive inside
    region: int

    @property
    def is_critical(self) -> bool:
        return self.placement is Placement.INSIDE

    def to_json(self) -> dict:
        return {**self.point.to_json(), "region": self.region, "placement": self.placement.value,
                "sign_margin": self.margin}

    @classmethod
    def from_json(cls, data: dict, *, digits: int) -> "RegionPoint":
        return cls(CriticalPoint.from_json(data, digits=digits), Placement(data["placement"]), data["sign_margin"],
                   data["region"])


@dataclass(frozen=True)
class RegionReport:
    index: int
    pattern: tuple[tuple[int, ...], ...]
    outcome: RegionOutcome
    paths: int
    path_statuses: dict
    points: tuple[RegionPoint, ...]
    seconds: float
    attempts: tuple = ()

    def to_json(self) -> dict:
        return {"index": self.index, "pattern": [list(r) for r in self.pattern], "outcome": self.outcome.value,
                "paths": self.paths, "path_statuses": self.path_statuses,
                "placements": {p.value: sum(q.placement is p for q in self.points) for p in Placement},
                "critical_points": [q.point.index for q in self.points if q.is_critical],
                "seconds": self.seconds, "attempts": [a.to_json() for a in self.attempts]}

    @classmethod
    def from_json(cls, data: dict, points: tuple[RegionPoint, ...]) -> "RegionReport":
        """The report :meth:`to_json` wrote, with its ``points`` (listed at the top of the result JSON)."""
        return cls(data["index"], tuple(tuple(row) for row in data["pattern"]), RegionOutcome(data["outcome"]),
                   data["paths"], data["path_statuses"], points, data["seconds"],
                   tuple(Attempt.from_json(a) for a in data["attempts"]))


@dataclass(frozen=True)
class ReluSolveResult:
    architecture: ReluArchitecture
    data: ReluData
    Lambda: tuple[Fraction, ...]
    regions: tuple[RegionReport, ...]
    counts: dict
    provenance: dict
    warnings: tuple[str, ...]
    problems: tuple[str, ...]
    #: every local minimum found, with its proof and the unregularized comparison (algeo.relu.minima)
    minima: tuple[MinimumReport, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def points(self) -> tuple[RegionPoint, ...]:
        return tuple(p for r in self.regions for p in r.points)

    @property
    def critical_points(self) -> tuple[RegionPoint, ...]:
        return tuple(p for p in self.points if p.is_critical)

    @property
    def spurious_local_minima(self) -> tuple[RegionPoint, ...]:
        return tuple(p for p in self.critical_points if p.point.is_local_minimum and not p.point.is_global)

    def to_json(self) -> dict:
        return {"algeo_result": "relu_solve", "schema_version": 1, "ok": self.ok,
                "architecture": self.architecture.to_json(), "samples": self.data.n_samples,
                "variables": list(self.architecture.variable_names), "counts": self.counts,
                "regions": [r.to_json() for r in self.regions],
                "points": [p.to_json() for p in self.points if p.point.is_real],
                "minima": [m.to_json() for m in self.minima],
                "warnings": list(self.warnings), "problems": list(self.problems), "provenance": self.provenance}

    @classmethod
    def from_json(cls, data: dict) -> "ReluSolveResult":
        """The result :meth:`to_json` wrote (``algeo relu solve --json``): ``from_json(r.to_json()) == r``."""
        expect_kind(data, "relu_solve")
        provenance = data["provenance"]
        points: dict[int, list[RegionPoint]] = {}
        for entry in data["points"]:
            points.setdefault(entry["region"], []).append(RegionPoint.from_json(entry, digits=provenance["digits"]))
        regions = tuple(RegionReport.from_json(r, tuple(points.get(r["index"], ()))) for r in data["regions"])
        return cls(ReluArchitecture.from_json(data["architecture"]), ReluData.from_json(provenance["data"]),
                   tuple(Fraction(v) for v in provenance["regularization"]["Lambda"]), regions, data["counts"],
                   provenance, tuple(data["warnings"]), tuple(data["problems"]))

    def summary(self) -> str:
        c = self.counts
        lines = [f"ReLU solve  widths {self.architecture}  samples {self.data.n_samples}",
                 f"• regions {c['regions']}: {c['regions_solved']} solved ({c['regions_dead_neuron']} decided "
                 f"exactly by a dead neuron), {c['regions_failed']} failed",
                 f"• real solutions: {c['inside']} inside their region, {c['boundary']} on a boundary, "
                 f"{c['outside']} outside",
                 f"• critical points {c['critical_points']}: local minima {c['local_minima']}, global minima "
                 f"{c['global_minima']}, spurious local minima {c['spurious_local_minima']}",
                 f"• proven (exact rationals): {c['certified_local_minima']} strict local minima of the regularized "
                 f"loss, {c['proven_spurious_local_minima']} of them not global, "
                 f"{c['spurious_only_through_regularization']} non-global only through the asymmetric Lambda; "
                 f"{c['unregularized_local_minima']} regions hold a (non-strict) local minimum of the unregularized "
                 f"loss, {c['unregularized_spurious_minima']} of them spurious",
                 *[f"    {m.describe()}" for m in self.minima],
                 f"• seed {self.provenance['seed']}, {self.provenance['digits']} digits, "
                 f"{self.provenance['wall_time_seconds']:.1f} s"]
        lines += [f"! warning: {w}" for w in self.warnings]
        lines += [f"✗ problem: {q}" for q in self.problems]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return summary_html(self.summary())


def placement(architecture: ReluArchitecture, data: ReluData, pattern, coordinates, *, tolerance) -> tuple:
    """Exact-sign test of the pre-activations at ``coordinates`` (mpf); returns (Placement, margin)."""
    m = architecture.neuron_dimension
    scale = max(mpmath.mpf(1), max(abs(x) for x in coordinates))
    margins = []
    for i in range(architecture.d1):
        w = coordinates[i * m:(i + 1) * m]
        for j, x in enumerate(data.augmented_inputs(architecture.bias)):
            value = sum((mpmath.mpf(c.numerator) / c.denominator * wk for c, wk in zip(x, w)), mpmath.mpf(0))
            margins.append((value if pattern[i][j] else -value) / scale)
    margin = min(margins)
    if margin > tolerance:
        return Placement.INSIDE, margin
    if margin >= -tolerance:
        return Placement.BOUNDARY, margin
    return Placement.OUTSIDE, margin


def _lambda(architecture, regularization, seed, scale) -> tuple[tuple[Fraction, ...], str]:
    word = str(regularization).strip().lower()
    if word == "generic":
        return generic_lambda(architecture, seed=seed, scale=scale), f"generic: uniform on (0, {scale}], seed {seed}"
    if word in ("none", "0"):
        raise InputError("regularization", "none is not supported: the positive scaling symmetry "
                         "(w~_i, v_i) -> (c w~_i, v_i / c) makes critical sets positive-dimensional",
                         "use generic or a positive scalar")
    value = parse_entry(word, "regularization")
    if value <= 0:
        raise InputError("regularization", f"{regularization!r} must be positive", "use generic or e.g. 1/100")
    return scalar_lambda(architecture, value), f"scalar lambda = {value} (isolation not guaranteed)"


def _solve_region(index, architecture, data, pattern, Lambda, digits, tolerances, seed, timeout, margin_tolerance):
    started = time.monotonic()
    if any(not any(row) for row in pattern):
        return RegionReport(index, pattern, RegionOutcome.DEAD_NEURON, 0, {}, (), time.monotonic() - started)
    system = build_region_system(architecture, data, pattern, Lambda)
    names = system.variable_names
    run = phc.blackbox_solve(system.polynomial_system, names, seed=seed + index, timeout=timeout)
    statuses = [raw.status for raw in run.paths]
    tally = {s.value: statuses.count(s) for s in PathStatus}
    if not run.succeeded:
        return RegionReport(index, pattern, RegionOutcome.FAILED, run.declared_paths, tally, (),
                            time.monotonic() - started, run.attempts)
    finite = [(i, raw) for i, (raw, s) in enumerate(zip(run.paths, statuses))
              if s in (PathStatus.REGULAR, PathStatus.SINGULAR)]
    points, _, _ = refine_and_classify(system, finite, digits, tolerances)
    placed = []
    with mp_context(digits):
        for point in points:
            if not point.is_real:
                continue
            coordinates = [mpmath.re(z) for z in point.refined]
            where, margin = placement(architecture, data, pattern, coordinates, tolerance=margin_tolerance)
            placed.append(RegionPoint(point, where, float(margin), index))
    return RegionReport(index, pattern, RegionOutcome.SOLVED, run.declared_paths, tally, tuple(placed),
                        time.monotonic() - started, run.attempts)


def solve_relu(architecture: ReluArchitecture, *, samples: int | None = None, seed: int = 0,
               data: ReluData | str | Path | None = None, regularization: str = "generic",
               scale: str | Fraction = "1/100", digits: int = 40, max_regions: int = 200,
               timeout: float = 600.0, tolerances: Tolerances = Tolerances(), progress: bool = False,
               region_indices: "list[int] | None" = None) -> ReluSolveResult:
    """Solve ``grad L_A = 0`` in every realizable region ``A`` and keep the points inside.

    ``region_indices`` restricts the run to some regions (by index in the enumeration
    order); the counts then say how many regions exist and how many were solved.
    """
    started = time.monotonic()
    if not isinstance(digits, int) or digits < 20:
        raise InputError("digits", f"is {digits!r}; use an integer of at least 20")
    scale = parse_entry(scale, "scale") if not isinstance(scale, Fraction) else scale
    if scale <= 0:
        raise InputError("scale", "must be positive")
    dataset = resolve_relu_data(architecture, samples=samples, seed=seed, data=data, targets=True)
    Lambda, description = _lambda(architecture, regularization, seed, scale)
    neuron = chambers(dataset.augmented_inputs(architecture.bias))
    problems, warnings = [], []
    if neuron.undecided:
        problems.append(f"{len(neuron.undecided)} sign vectors undecided: some regions may be missing")
    patterns = [tuple(c.pattern for c in combo) for combo in itertools.product(neuron.chambers, repeat=architecture.d1)]
    chosen = range(len(patterns)) if region_indices is None else list(region_indices)
    if any(not isinstance(k, int) or not 0 <= k < len(patterns) for k in chosen):
        raise InputError("region_indices", f"must be integers in [0, {len(patterns)})")
    if len(chosen) > max_regions:
        raise BudgetExceededError(f"{len(chosen)} regions to solve exceed --max-regions {max_regions}")
    margin_tolerance = mpmath.mpf(10) ** (-(digits // 2))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(chosen), desc="regions", unit="region", leave=False)
    reports = []
    try:
        for index in chosen:
            reports.append(_solve_region(index, architecture, dataset, patterns[index], Lambda, digits, tolerances,
                                         seed, timeout, margin_tolerance))
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    critical = [p for r in reports for p in r.points if p.is_critical]
    least = min((p.point.loss for p in critical), default=None)
    tolerance = tolerances.same_loss
    marked = []
    for report in reports:
        new_points = []
        for p in report.points:
            # "global" compares critical points of the ReLU loss only; points off their region get None
            is_global = bool(p.point.loss - least <= tolerance * max(1.0, abs(least))) if p.is_critical else None
            p = RegionPoint(_replace_global(p.point, is_global), p.placement, p.margin, p.region)
            new_points.append(p)
        marked.append(RegionReport(report.index, report.pattern, report.outcome, report.paths, report.path_statuses,
                                   tuple(new_points), report.seconds, report.attempts))
    reports = marked
    critical = [p for r in reports for p in r.points if p.is_critical]
    failed = [r.index for r in reports if r.outcome is RegionOutcome.FAILED]
    if failed:
        problems.append(f"PHCpack failed in regions {failed}: critical points may be missing there")
    lost = sum(r.path_statuses.get("failed", 0) for r in reports)
    if lost:
        problems.append(f"{lost} paths failed (neither finite nor divergent): solutions may be missing")
    counts = {
        "regions": len(patterns), "regions_solved": sum(r.outcome is not RegionOutcome.FAILED for r in reports),
        "regions_dead_neuron": sum(r.outcome is RegionOutcome.DEAD_NEURON for r in reports),
        "regions_failed": len(failed),
        "paths": sum(r.paths for r in reports),
        "inside": sum(p.placement is Placement.INSIDE for r in reports for p in r.points),
        "boundary": sum(p.placement is Placement.BOUNDARY for r in reports for p in r.points),
        "outside": sum(p.placement is Placement.OUTSIDE for r in reports for p in r.points),
        "critical_points": len(critical),
        "local_minima": sum(p.point.is_local_minimum for p in critical),
        "global_minima": sum(bool(p.point.is_global) and p.point.is_local_minimum for p in critical),
        "spurious_local_minima": sum(p.point.is_local_minimum and not p.point.is_global for p in critical),
        "singular_hessian": sum(bool(p.point.hessian_singular) for p in critical),
        "index": {str(k): sum(p.point.index_of_hessian == k for p in critical)
                  for k in sorted({p.point.index_of_hessian for p in critical})},
    }
    minima = assess_minima(architecture, dataset, Lambda,
                           [(p.region, next(r.pattern for r in reports if r.index == p.region), p.point,
                             bool(p.point.is_global)) for p in critical if p.point.is_local_minimum])
    counts.update(
        certified_local_minima=sum(m.certificate.is_local_minimum for m in minima),
        proven_spurious_local_minima=sum(m.proven_spurious for m in minima),
        spurious_only_through_regularization=sum(bool(m.only_through_regularization) for m in minima),
        unregularized_local_minima=sum(m.unregularized.is_local_minimum for m in minima),
        unregularized_spurious_minima=sum(m.unregularized.status is UnregularizedStatus.SPURIOUS for m in minima),
    )
    uncertified = [(m.region, m.point) for m in minima if not m.certificate.is_local_minimum]
    if uncertified:
        warnings.append(f"local minima {uncertified} (region, point) are not proven by the exact certificate")
    if counts["boundary"]:
        warnings.append(f"{counts['boundary']} real solutions lie on a region boundary (not differentiable "
                        "critical points; listed with placement 'boundary')")
    warnings.append("global = least loss among the differentiable critical points found; a minimum of the "
                    "ReLU loss on a region boundary (non-differentiable) is not searched")
    provenance = {"seed": seed, "data": dataset.to_json(),
                  "regularization": {"description": description, "Lambda": [str(v) for v in Lambda],
                                     "convention": "L = 1/2 sum_j ||V relu(W x_j + b) - y_j||^2 + "
                                     "1/2 sum_k lambda_k theta_k^2"},
                  "digits": digits, "sign_margin_tolerance": mpmath.nstr(margin_tolerance, 3),
                  "tolerances": tolerances.to_json(), "versions": software_versions(None),
                  "regions_requested": None if region_indices is None else list(region_indices),
                  "wall_time_seconds": round(time.monotonic() - started, 3),
                  "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    return ReluSolveResult(architecture, dataset, Lambda, tuple(reports), counts, provenance, tuple(warnings),
                           tuple(problems), minima)


def _replace_global(point: CriticalPoint, is_global: bool) -> CriticalPoint:
    from dataclasses import replace

    return replace(point, is_global=is_global)
