"""Monodromy on a graph with the batched tracker: each edge tracks each known solution once.

The model is HomotopyContinuation.jl's ``monodromy_solve`` and Macaulay2's
MonodromySolver: nodes are parameter points of the family, each with the solutions known
there; edges are straight-line parameter homotopies with their own ``gamma``
(:func:`algeo.tracking.batch.gamma_path`), tracked in both directions. A solution is
tracked along an edge (in a direction) at most once: the end of ``x`` along ``e`` is
added to the other node, and since the reversed path brings it back to ``x`` it is never
tracked back along ``e``. New solutions propagate until no edge has anything left to
track (the known sets are closed under the edges' permutations); closure then adds a
fresh node joined by two edges, until ``extra_nodes`` fresh nodes in a row added nothing.
A target count (an independent count) is checked between dead-unit patterns: once it is
reached the remaining patterns are skipped.

A pattern whose first solution (a random point of its incidence variety) has a singular
Jacobian has no regular solution at generic data and is skipped.

Every solution comes with its images under the hidden-unit sign flips (all systems of
the family are equivariant), and only one point per orbit is tracked. Dead hidden units
make invariant coordinate subspaces that loops never leave
(:func:`algeo.tracking.monodromy.dead_unit_masks`): each pattern is solved on its own
graph, from its own first solution (:func:`algeo.tracking.monodromy.first_solution`), and
its solutions are tracked to the common base data at the end.

All paths of one edge are tracked together (:func:`algeo.tracking.batch.track_batch`);
paths that fail or diverge are counted in ``failed_paths``, never dropped silently.
Completeness is decided by the caller (an independent count), never by this module.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy

from ..model.symmetry import PointSet
from .batch import BatchOptions, BatchStatus, gamma_path, linear_path, track_batch
from .gamma import homotopy_gamma
from .monodromy import MonodromyResult, dead_unit_masks, first_solution

__all__ = ["graph_monodromy"]

logger = logging.getLogger(__name__)

#: a tracked end is a solution when its residual (relative to max(1, |x|)) is below this
RESIDUAL = 1e-8
#: a first solution whose Jacobian has a larger condition number marks a pattern without regular solutions
SINGULAR_CONDITION = 1e10


@dataclass
class _Node:
    parameters: numpy.ndarray
    points: PointSet = field(default_factory=PointSet)  # every known solution, orbit images included
    orbits: list = field(default_factory=list)  # one representative per sign-flip orbit


@dataclass
class _Edge:
    a: int
    b: int
    gamma: complex
    done: dict = field(default_factory=lambda: {0: set(), 1: set()})  # direction -> orbit ids tracked (of source)


class _Graph:
    def __init__(self, evaluator, flips, options: BatchOptions):
        self.evaluator, self.flips, self.options = evaluator, flips, options
        self.nodes: list[_Node] = []
        self.edges: list[_Edge] = []
        self.tracked = self.failed = self.by_symmetry = 0

    def add_point(self, node: _Node, x: numpy.ndarray) -> int | None:
        """Add ``x`` and its orbit; the orbit id when it is new, else the id of the orbit it is in."""
        if not node.points.add(x):
            return self._orbit_of(node, x)
        node.orbits.append(x)
        if self.flips is not None:
            for signs in self.flips[1:]:
                if node.points.add(signs * x):
                    self.by_symmetry += 1
        return len(node.orbits) - 1

    def _orbit_of(self, node: _Node, x: numpy.ndarray) -> int | None:
        reps = numpy.array(node.orbits)
        scale = 1e-6 * max(1.0, float(numpy.abs(x).max()))
        for signs in (self.flips if self.flips is not None else numpy.ones((1, len(x)))):
            distances = numpy.abs(reps * signs - x).max(axis=1)
            k = int(distances.argmin())
            if distances[k] <= scale:
                return k
        return None

    def round(self) -> int:
        """Track every pending orbit along every edge, both directions, in one batch; the number of new orbits."""
        items, starts, lines_from, lines_to = [], [], [], []
        for edge in self.edges:
            a, b = self.nodes[edge.a], self.nodes[edge.b]
            for direction, source in ((0, a), (1, b)):
                for k in range(len(source.orbits)):
                    if k in edge.done[direction]:
                        continue
                    edge.done[direction].add(k)
                    items.append((edge, direction))
                    starts.append(source.orbits[k])
                    # the same line both ways: t -> 1 - t, and F is linear in p (scaling p changes nothing)
                    lines_from.append(edge.gamma * a.parameters if direction == 0 else b.parameters)
                    lines_to.append(b.parameters if direction == 0 else edge.gamma * a.parameters)
        if not items:
            return 0
        run = track_batch(self.evaluator, numpy.array(starts), linear_path(numpy.array(lines_from),
                                                                           numpy.array(lines_to)),
                          options=self.options)
        self.tracked += len(items)
        new = 0
        for k, ((edge, direction), status) in enumerate(zip(items, run.status)):
            if status is not BatchStatus.REACHED or run.residual[k] > RESIDUAL:
                self.failed += 1
                continue
            target = self.nodes[edge.b if direction == 0 else edge.a]
            before = len(target.orbits)
            orbit = self.add_point(target, run.points[k])
            new += len(target.orbits) - before
            if orbit is not None:
                edge.done[1 - direction].add(orbit)  # its reverse is the source point: never track it back
        return new

    def closed(self) -> bool:
        return all(len(edge.done[d]) >= len(self.nodes[edge.a if d == 0 else edge.b].orbits)
                   for edge in self.edges for d in (0, 1))


def _solve_pattern(family, evaluator, flips, mask, *, seed: int, extra_nodes: int, max_rounds: int,
                   options: BatchOptions, progress, offset: int):
    rng = numpy.random.default_rng(seed)
    parameters, point = first_solution(family, seed, mask)
    graph = _Graph(evaluator, flips, options)
    _, jacobian = evaluator.value_and_jacobian(numpy.asarray(point)[None], parameters)
    if numpy.linalg.cond(jacobian[0]) > SINGULAR_CONDITION:
        # a random point of this pattern's incidence variety is singular: the pattern has no regular solution
        # at generic data (widths 1,2,1: both units alive needs lambda_1 lambda_3 = lambda_2 lambda_4)
        graph.nodes = [_Node(numpy.asarray(parameters))]
        return graph, 0, 0, [0]
    graph.nodes = [_Node(numpy.asarray(parameters)), _Node(family.sample_parameters(rng)),
                   _Node(family.sample_parameters(rng))]
    gamma_number = iter(range(10 ** 9))
    for a, b in ((0, 1), (1, 2), (2, 0), (0, 1), (1, 2)):  # 3 nodes, 5 edges (the shape the issue ran M2 with)
        graph.edges.append(_Edge(a, b, homotopy_gamma(seed, next(gamma_number))))
    graph.add_point(graph.nodes[0], numpy.asarray(point))
    rounds, quiet, counts, at_last_closure = 0, 0, [], 0
    while rounds < max_rounds:
        rounds += 1
        graph.round()
        known = max(len(n.points) for n in graph.nodes)
        counts.append(known)
        if progress is not None:
            progress(offset + known)
        if not graph.closed():
            continue
        # closed: every known point went along every edge; a fresh node may still find more
        quiet = quiet + 1 if known == at_last_closure else 0
        at_last_closure = known
        if quiet >= extra_nodes:
            break
        node = len(graph.nodes)
        graph.nodes.append(_Node(family.sample_parameters(rng)))
        for other in (0, int(rng.integers(1, node))):
            graph.edges.append(_Edge(other, node, homotopy_gamma(seed, next(gamma_number))))
    if rounds >= max_rounds:
        logger.warning("graph monodromy stopped after %d rounds (max_rounds) with %d points; the caller's count decides",
                       rounds, max(len(n.points) for n in graph.nodes))
    best = max(range(len(graph.nodes)), key=lambda k: len(graph.nodes[k].points))
    return graph, best, rounds, counts


def graph_monodromy(
    family,
    evaluator,
    *,
    seed: int = 0,
    base: numpy.ndarray | None = None,
    target: int | None = None,
    passes: int = 1,
    extra_nodes: int = 4,
    max_rounds: int = 500,
    options: BatchOptions = BatchOptions(),
    progress: Callable[[int], None] | None = None,
) -> MonodromyResult:
    """Every solution of ``F(.; base)`` that graph monodromy reaches, pattern by pattern.

    ``base`` defaults to ``family.random_parameters(seed)``; ``target`` (an independent
    count) stops the population as soon as it is reached, and a pass that ends short of it
    is followed by another with new seeds, up to ``passes``; the union is returned.
    ``max_rounds`` bounds the rounds of one pattern (a guard against a run that never
    stalls; logged when it stops one).
    """
    started = time.monotonic()
    if base is None:
        base = family.sample_parameters(numpy.random.default_rng(seed))
    base = numpy.asarray(base, dtype=complex)
    flips = family.sign_flips()
    found = PointSet()
    all_counts: list[int] = []
    loops = failed = tracked = by_symmetry = 0
    masks = dead_unit_masks(family)
    attempt = 0
    for attempt in range(passes):
        pass_seed = seed + 7919 * attempt
        for number, mask in enumerate(masks):
            if target is not None and len(found) >= target:
                break
            pattern_seed = pass_seed + 1000 * (number + 1)
            if not mask[: family.architecture.n_parameters].any():  # the origin: a solution for every p
                _, point = first_solution(family, pattern_seed, mask)
                if found.add(numpy.asarray(point)):
                    all_counts.append(1)
                continue
            graph, node, rounds, counts = _solve_pattern(
                family, evaluator, flips, mask, seed=pattern_seed, extra_nodes=extra_nodes, max_rounds=max_rounds,
                options=options, progress=progress, offset=len(found))
            points = numpy.array(graph.nodes[node].points.points)
            if not len(points):
                logger.info("dead-unit pattern %d: no regular solution at generic data (singular first point)", number)
                continue
            path = gamma_path(graph.nodes[node].parameters, base, homotopy_gamma(pass_seed, 10_000 + number))
            run = track_batch(evaluator, points, path, options=options)
            lost = 0
            for k, status in enumerate(run.status):
                if status is BatchStatus.REACHED and run.residual[k] <= RESIDUAL:
                    found.add(run.points[k])
                else:
                    lost += 1
            loops += rounds
            failed += graph.failed + lost
            tracked += graph.tracked + len(points)
            by_symmetry += graph.by_symmetry
            all_counts.extend(counts)
            logger.info("dead-unit pattern %d: %d solutions, %d rounds on %d nodes, %d edges (%d lost to the base)",
                        number, len(points), rounds, len(graph.nodes), len(graph.edges), lost)
            if progress is not None:
                progress(len(found))
        if target is None or len(found) >= target:
            break
        logger.warning("graph monodromy pass %d found %d of %d solutions; another pass with a new seed",
                       attempt + 1, len(found), target)
    return MonodromyResult(tuple(complex(z) for z in base), tuple(tuple(complex(z) for z in x) for x in found.points),
                           loops, tuple(all_counts), failed, tracked, round(time.monotonic() - started, 3), by_symmetry,
                           attempt + 1, target)
