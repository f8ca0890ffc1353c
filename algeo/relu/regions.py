"""Activation regions of a one-hidden-layer ReLU network and the Jacobian rank in each.

The activation pattern ``A`` (``d1 x n``) of parameters ``(W, b)`` factors by neuron: row
``i`` depends only on ``w~_i``. So the realizable patterns are exactly the ``d1``-fold
products of one neuron's chambers (:mod:`algeo.relu.arrangement`), every product
realizable (take each neuron's witness). Exact mode lists every region with its witness
and its exact Jacobian rank (:mod:`algeo.relu.jacobian`). Beyond :data:`MAX_REGIONS`
regions (or when one neuron's arrangement could have more than
:data:`MAX_NEURON_CHAMBERS` chambers) parameters are *sampled* instead and the fraction
of full-rank regions is estimated with 95% Wilson intervals:

- by volume: parameters ``w~_i`` i.i.d. standard Gaussian; a trial succeeds when its
  region has full rank (the shape of Karhadkar et al.'s experiment, with another parameter and
  data law; their own sampling is :mod:`algeo.relu.karhadkar`);
- by count: when the chambers of one neuron are known, a region is drawn uniformly
  among all ``R^{d1}`` regions (each neuron's row uniformly among its chambers), so
  trials are i.i.d. uniform over regions. Otherwise no count estimate is given.
"""

from __future__ import annotations

import datetime
import itertools
import time
from dataclasses import dataclass, field
from fractions import Fraction
from math import comb
from pathlib import Path
from typing import Sequence

import numpy

from ..exceptions import InputError
from ..results.display import summary_html
from ..results.solve_result import expect_kind
from .arrangement import ArrangementChambers, Chamber, chambers
from .estimate import Proportion
from .instance import ReluArchitecture, ReluData, resolve_relu_data
from .jacobian import integer_points, jacobian_rank

__all__ = ["Region", "RegionsResult", "regions", "general_position_chambers", "sample_patterns",
           "MAX_REGIONS", "MAX_NEURON_CHAMBERS"]

#: exact mode lists at most this many regions (each with an exact rank)
MAX_REGIONS = 10_000
#: exact per-neuron enumeration is skipped when the general-position bound exceeds this
MAX_NEURON_CHAMBERS = 2_000
DEFAULT_TRIALS = 1_000


def general_position_chambers(n: int, dimension: int) -> int:
    """Chambers of ``n`` central hyperplanes in general position in ``R^dimension``: ``2 sum_{k<dim} C(n-1,k)``.

    An upper bound for any central arrangement of ``n`` hyperplanes (Zaslavsky/Cover).

    >>> general_position_chambers(5, 2), general_position_chambers(3, 3)   # 2n; 2^n when dim >= n
    (10, 8)
    """
    return 2 * sum(comb(n - 1, k) for k in range(dimension))


@dataclass(frozen=True)
class Region:
    """One realizable activation pattern with a verified rational witness ``W~`` (rows ``w~_i``)."""

    pattern: tuple[tuple[int, ...], ...]  # d1 x n, entries 0/1
    witness: tuple[tuple[Fraction, ...], ...]  # d1 x (d0 [+1])
    rank: int
    full_rank: bool

    def to_json(self) -> dict:
        return {"pattern": [list(row) for row in self.pattern],
                "witness": [[str(v) for v in row] for row in self.witness],
                "rank": self.rank, "full_rank": self.full_rank}

    @classmethod
    def from_json(cls, data: dict) -> "Region":
        return cls(tuple(tuple(row) for row in data["pattern"]),
                   tuple(tuple(Fraction(v) for v in row) for row in data["witness"]), data["rank"], data["full_rank"])


@dataclass(frozen=True)
class RegionsResult:
    """Exact enumeration or sampling estimate of the regions and their Jacobian ranks."""

    architecture: ReluArchitecture
    data: ReluData
    mode: str  # "exact" or "sampled"
    neuron: ArrangementChambers | None
    regions: tuple[Region, ...]
    counts: dict
    estimates: dict
    provenance: dict
    notes: tuple[str, ...] = field(default_factory=tuple)
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        neuron = None
        if self.neuron is not None:
            neuron = {"chambers": len(self.neuron.chambers),
                      "undecided_prefixes": [list(s) for s in self.neuron.undecided],
                      "linear_programs": self.neuron.linear_programs,
                      "infeasibility_certificates": self.neuron.infeasible_certificates,
                      "patterns": [{"signs": list(c.signs), "witness": [str(v) for v in c.witness]}
                                   for c in self.neuron.chambers]}
        return {"algeo_result": "relu_regions", "schema_version": 1, "ok": self.ok, "mode": self.mode,
                "architecture": self.architecture.to_json(), "samples": self.data.n_samples,
                "counts": self.counts, "estimates": self.estimates, "neuron": neuron,
                "regions": [r.to_json() for r in self.regions], "notes": list(self.notes),
                "problems": list(self.problems), "provenance": self.provenance}

    @classmethod
    def from_json(cls, data: dict) -> "RegionsResult":
        """The result :meth:`to_json` wrote (``algeo relu regions --json``): ``from_json(r.to_json()) == r``."""
        expect_kind(data, "relu_regions")
        neuron = data["neuron"]
        if neuron is not None:
            neuron = ArrangementChambers(
                tuple(Chamber(tuple(c["signs"]), tuple(Fraction(v) for v in c["witness"])) for c in neuron["patterns"]),
                tuple(tuple(s) for s in neuron["undecided_prefixes"]), neuron["linear_programs"],
                neuron["infeasibility_certificates"])
        return cls(ReluArchitecture.from_json(data["architecture"]), ReluData.from_json(data["provenance"]["data"]),
                   data["mode"], neuron, tuple(Region.from_json(r) for r in data["regions"]), data["counts"],
                   data["estimates"], data["provenance"], tuple(data["notes"]), tuple(data["problems"]))

    def summary(self) -> str:
        c = self.counts
        a = self.architecture
        lines = [f"ReLU regions  widths {a.d0},{a.d1} {'with' if a.bias else 'without'} bias  samples "
                 f"{self.data.n_samples}  mode {self.mode}",
                 f"• per-neuron patterns {c.get('per_neuron_patterns')}, regions {c.get('regions')}, "
                 f"full-rank regions {c.get('full_rank')}"]
        for key, estimate in self.estimates.items():
            if isinstance(estimate, dict) and "fraction" in estimate:
                low, high = estimate["confidence_interval_95"]
                lines.append(f"• full-rank fraction {key}: {estimate['fraction']:.4f} (95% Wilson [{low:.4f}, "
                             f"{high:.4f}], {estimate['trials']} trials)")
        lines += [f"• note: {note}" for note in self.notes]
        lines += [f"✗ problem: {problem}" for problem in self.problems]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return summary_html(self.summary())


def sample_patterns(architecture: ReluArchitecture, points: Sequence[Sequence[Fraction]], trials: int,
                    rng: numpy.random.Generator):
    """Patterns of ``trials`` Gaussian parameter draws; ``None`` for a draw too close to a boundary.

    A sign is trusted when ``|w~ . x~| > 1e-12 sum |w~_k x~_k|``, far above the rounding
    error of the double-precision product (the draw itself is an exact dyadic rational).
    """
    data = numpy.array([[float(v) for v in x] for x in points])  # n x m
    for _ in range(trials):
        theta = rng.standard_normal((architecture.d1, architecture.neuron_dimension))
        values = theta @ data.T
        scale = numpy.abs(theta) @ numpy.abs(data).T
        if numpy.any(numpy.abs(values) <= 1e-12 * scale):
            yield None
        else:
            yield tuple(tuple(int(v) for v in row) for row in (values > 0))


def _sampled_estimates(architecture, points, neuron, trials, seed) -> tuple[dict, list[str]]:
    rng = numpy.random.default_rng([seed, 20240519])
    scaled = integer_points(points)
    n = len(points)
    full = boundary = 0
    distinct: dict = {}
    for pattern in sample_patterns(architecture, points, trials, rng):
        if pattern is None:
            boundary += 1
            continue
        if pattern not in distinct:
            distinct[pattern] = jacobian_rank(pattern, scaled) == n
        full += distinct[pattern]
    decided = trials - boundary
    estimates = {"by_volume": Proportion(full, decided, "parameters w~_i i.i.d. standard Gaussian; success = "
                                         "the region of the draw has a full-rank Jacobian").to_json()}
    estimates["by_volume"]["draws_on_a_boundary"] = boundary
    estimates["distinct_regions_seen"] = len(distinct)
    notes = [f"sampled {trials} parameter draws (seed {seed}) instead of exact enumeration"]
    if neuron is not None and neuron.chambers:
        uniform = 0
        for _ in range(trials):
            pattern = tuple(neuron.chambers[int(rng.integers(len(neuron.chambers)))].pattern
                            for _ in range(architecture.d1))
            uniform += jacobian_rank(pattern, scaled) == n
        estimates["by_count"] = Proportion(uniform, trials, "a region drawn uniformly among all realizable "
                                           "regions (each neuron's row uniform among its exact chambers)").to_json()
    else:
        notes.append("no by-count estimate: one neuron's chambers were not enumerated, so regions cannot be "
                     "drawn uniformly")
    return estimates, notes


def regions(architecture: ReluArchitecture, *, samples: int | None = None, seed: int = 0,
            data: ReluData | str | Path | None = None, max_regions: int = MAX_REGIONS,
            max_neuron_chambers: int = MAX_NEURON_CHAMBERS, trials: int = DEFAULT_TRIALS) -> RegionsResult:
    """Enumerate (or, beyond the limits, sample) the activation regions and their Jacobian ranks.

    >>> result = regions(ReluArchitecture(1, 2, bias=True), samples=3, seed=0)
    >>> result.mode, result.counts["regions"], result.counts["per_neuron_patterns"]
    ('exact', 36, 6)
    """
    started = time.monotonic()
    if isinstance(trials, bool) or not isinstance(trials, int) or trials <= 0:
        raise InputError("trials", f"is {trials!r}; it must be a positive integer")
    dataset = resolve_relu_data(architecture, samples=samples, seed=seed, data=data, targets=False)
    points = dataset.augmented_inputs(architecture.bias)
    n, m = len(points), architecture.neuron_dimension
    bound = general_position_chambers(n, m)
    notes, problems = [], []
    neuron = None
    if bound <= max_neuron_chambers:
        neuron = chambers(points)
        if neuron.undecided:
            problems.append(f"{len(neuron.undecided)} sign-vector prefixes of one neuron are undecided (neither an "
                            "exact witness nor an exact infeasibility certificate): region counts are lower bounds")
        if len(neuron.chambers) != bound:
            notes.append(f"one neuron has {len(neuron.chambers)} chambers, not the general-position number {bound}: "
                         "the data are not in general position")
    else:
        notes.append(f"one neuron's arrangement may have up to {bound} chambers (> {max_neuron_chambers}): "
                     "not enumerated")
    per_neuron = len(neuron.chambers) if neuron is not None else None
    total = per_neuron ** architecture.d1 if per_neuron is not None else None
    counts = {"per_neuron_patterns": per_neuron, "regions": total, "full_rank": None,
              "general_position_regions": bound ** architecture.d1}
    found: list[Region] = []
    estimates: dict = {}
    if total is not None and total <= max_regions:
        mode = "exact"
        scaled = integer_points(points)
        for combination in itertools.product(neuron.chambers, repeat=architecture.d1):
            pattern = tuple(c.pattern for c in combination)
            rank = jacobian_rank(pattern, scaled)
            found.append(Region(pattern, tuple(c.witness for c in combination), rank, rank == n))
        counts["full_rank"] = sum(r.full_rank for r in found)
        counts["rank_histogram"] = {str(k): sum(r.rank == k for r in found)
                                    for k in sorted({r.rank for r in found})}
    else:
        mode = "sampled"
        if total is not None:
            notes.append(f"{total} regions exceed the exact-enumeration limit of {max_regions} (--max-regions)")
        estimates, sample_notes = _sampled_estimates(architecture, points, neuron, trials, seed)
        notes += sample_notes
    provenance = {"seed": seed, "data": dataset.to_json(), "jacobian": "rank of the Khatri-Rao matrix with rows "
                  "a_j (x) x~_j over QQ (equal to the rank with any fixed last layer v without zero entries)",
                  "limits": {"max_regions": max_regions, "max_neuron_chambers": max_neuron_chambers},
                  "trials": trials if mode == "sampled" else None,
                  "wall_time_seconds": round(time.monotonic() - started, 3),
                  "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    return RegionsResult(architecture, dataset, mode, neuron, tuple(found), counts, estimates, provenance,
                         tuple(notes), tuple(problems))
