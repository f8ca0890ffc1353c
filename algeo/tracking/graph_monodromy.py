"""Monodromy on a graph with the batched tracker: each edge tracks each known solution once.

The model is HomotopyContinuation.jl's ``monodromy_solve`` and Macaulay2's
MonodromySolver: nodes are parameter points of the family, each with the solutions known
there; edges are parameter homotopies with their own ``gamma``
(:func:`algeo.tracking.batch.gamma_path`: straight lines for the Gram family, linear in
the parameters; arcs of the complex line for the lifted family, affine in them), tracked
in both directions. A solution is
tracked along an edge (in a direction) at most once: the end of ``x`` along ``e`` is
added to the other node, and since the reversed path brings it back to ``x`` it is never
tracked back along ``e``. New solutions propagate until no edge has anything left to
track (the known sets are closed under the edges' permutations); closure then adds a
fresh node joined by two edges, until ``extra_nodes`` fresh nodes in a row added nothing.
A target count (an independent count) stops every pattern as soon as the patterns' counts
add up to it (their supports differ, so their points are disjoint), without the stall rule's
fresh nodes.

A pattern whose first solution (a random point of its incidence variety) has a singular
Jacobian has no regular solution at generic data and is skipped.

Every solution comes with its images under the hidden-unit sign flips (all systems of
the family are equivariant), and only one point per orbit is tracked. Dead hidden units
make invariant coordinate subspaces that loops never leave
(:func:`algeo.tracking.monodromy.dead_unit_masks`): each pattern is solved on its own
graph, from its own first solution (:func:`algeo.tracking.monodromy.first_solution`), and
its solutions are tracked to the common base data at the end. The patterns' rounds run in
lockstep: one batch per round holds every pattern's pending paths (small batches cost
Python overhead per step, not per path).

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
from .batch import BatchOptions, BatchStatus, gamma_path, is_affine, track_batch
from .gamma import homotopy_gamma
from .monodromy import MonodromyResult, dead_unit_masks, first_solution

__all__ = ["graph_monodromy"]

logger = logging.getLogger(__name__)

#: a tracked end is a solution when its residual (relative to max(1, |x|)) is below this
RESIDUAL = 1e-8

#: gammas for the move of the found orbits to the base data (a path that does not land gets the next)
FINAL_GAMMAS = 3
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

    def pending(self) -> list[tuple]:
        """Every orbit not yet tracked along an edge in a direction: ``(edge, direction, start, p0, p1, gamma)``.

        Marked as tracked here: the caller tracks them all (:meth:`absorb` takes the ends).
        """
        items = []
        for edge in self.edges:
            a, b = self.nodes[edge.a], self.nodes[edge.b]
            for direction, source in ((0, a), (1, b)):
                for k in range(len(source.orbits)):
                    if k in edge.done[direction]:
                        continue
                    edge.done[direction].add(k)
                    # the same curve of systems both ways: (a, b, gamma) forward, (b, a, 1 / gamma) backward
                    items.append((edge, direction, source.orbits[k], a.parameters if direction == 0 else b.parameters,
                                  b.parameters if direction == 0 else a.parameters,
                                  edge.gamma if direction == 0 else 1 / edge.gamma))
        return items

    def absorb(self, items: list[tuple], points, statuses, residuals) -> None:
        """Add the ends of the tracked ``items`` to their nodes (failed ends counted)."""
        self.tracked += len(items)
        for (edge, direction, *_), x, status, residual in zip(items, points, statuses, residuals):
            if status is not BatchStatus.REACHED or residual > RESIDUAL:
                self.failed += 1
                continue
            orbit = self.add_point(self.nodes[edge.b if direction == 0 else edge.a], x)
            if orbit is not None:
                edge.done[1 - direction].add(orbit)  # its reverse is the source point: never track it back

    def closed(self) -> bool:
        return all(len(edge.done[d]) >= len(self.nodes[edge.a if d == 0 else edge.b].orbits)
                   for edge in self.edges for d in (0, 1))

    def known(self) -> int:
        return max(len(n.points) for n in self.nodes)


@dataclass
class _Pattern:
    """One dead-unit pattern's graph and its stall-rule state."""

    number: int
    graph: _Graph
    rng: numpy.random.Generator
    seed: int
    gamma_number: int = 0
    rounds: int = 0
    quiet: int = 0
    at_last_closure: int = 0
    counts: list = field(default_factory=list)
    active: bool = True

    def next_gamma(self) -> complex:
        self.gamma_number += 1
        return homotopy_gamma(self.seed, self.gamma_number - 1)

    @property
    def regular(self) -> bool:
        """False for a pattern whose first point was singular: it has only its first node and no solution."""
        return len(self.graph.nodes) > 1

    def best(self) -> int:
        return max(range(len(self.graph.nodes)), key=lambda k: len(self.graph.nodes[k].points))


def _start_pattern(family, evaluator, flips, mask, number: int, seed: int, options: BatchOptions) -> _Pattern:
    """The pattern's graph: 3 nodes, 5 edges, its first solution at node 0 (inactive when that point is singular)."""
    rng = numpy.random.default_rng(seed)
    parameters, point = first_solution(family, seed, mask)
    pattern = _Pattern(number, _Graph(evaluator, flips, options), rng, seed)
    graph = pattern.graph
    _, jacobian = evaluator.value_and_jacobian(numpy.asarray(point)[None], parameters)
    if numpy.linalg.cond(jacobian[0]) > SINGULAR_CONDITION:
        # a random point of this pattern's incidence variety is singular: the pattern has no regular solution
        # at generic data (widths 1,2,1: both units alive needs lambda_1 lambda_3 = lambda_2 lambda_4)
        graph.nodes = [_Node(numpy.asarray(parameters))]
        pattern.active = False
        return pattern
    graph.nodes = [_Node(numpy.asarray(parameters)), _Node(family.sample_parameters(rng)),
                   _Node(family.sample_parameters(rng))]
    for a, b in ((0, 1), (1, 2), (2, 0), (0, 1), (1, 2)):  # 3 nodes, 5 edges (the shape the issue ran M2 with)
        graph.edges.append(_Edge(a, b, pattern.next_gamma()))
    graph.add_point(graph.nodes[0], numpy.asarray(point))
    return pattern


def _after_round(family, pattern: _Pattern, extra_nodes: int, max_rounds: int) -> None:
    """The stall rule: when the graph is closed, a fresh node, until ``extra_nodes`` in a row added nothing."""
    graph = pattern.graph
    known = graph.known()
    pattern.counts.append(known)
    if pattern.rounds >= max_rounds:
        logger.warning("graph monodromy stopped pattern %d after %d rounds (max_rounds) with %d points; the caller's "
                       "count decides", pattern.number, pattern.rounds, known)
        pattern.active = False
        return
    if not graph.closed():
        return
    # closed: every known point went along every edge; a fresh node may still find more
    pattern.quiet = pattern.quiet + 1 if known == pattern.at_last_closure else 0
    pattern.at_last_closure = known
    if pattern.quiet >= extra_nodes:
        pattern.active = False
        return
    node = len(graph.nodes)
    graph.nodes.append(_Node(family.sample_parameters(pattern.rng)))
    for other in (0, int(pattern.rng.integers(1, node))):
        graph.edges.append(_Edge(other, node, pattern.next_gamma()))


def _track_items(evaluator, items: list[tuple], options: BatchOptions):
    """Track ``(edge, direction, start, p0, p1, gamma)`` items in one batch, each along its own gamma path."""
    path = gamma_path(numpy.array([i[3] for i in items]), numpy.array([i[4] for i in items]),
                      numpy.array([i[5] for i in items]), affine=is_affine(evaluator))
    return track_batch(evaluator, numpy.array([i[2] for i in items]), path, options=options)


def _populate(family, evaluator, patterns: list[_Pattern], *, target: int | None, offset: int, extra_nodes: int,
              max_rounds: int, options: BatchOptions, progress) -> None:
    """Rounds over all patterns at once, one batch per round, until each pattern stalls or the target is reached.

    The patterns are disjoint (their supports differ), so their counts add up: once their sum
    reaches ``target - offset`` every pattern stops, without the stall rule's fresh nodes.
    """
    while any(p.active for p in patterns):
        work = []
        for pattern in patterns:
            if pattern.active:
                pattern.rounds += 1
                work.append((pattern, pattern.graph.pending()))
        items = [item for _, batch in work for item in batch]
        if items:
            run = _track_items(evaluator, items, options)
            position = 0
            for pattern, batch in work:
                end = position + len(batch)
                pattern.graph.absorb(batch, run.points[position:end], run.status[position:end],
                                     run.residual[position:end])
                position = end
        for pattern, _ in work:
            _after_round(family, pattern, extra_nodes, max_rounds)
        known = offset + sum(p.graph.known() for p in patterns if p.regular)
        if progress is not None:
            progress(known)
        if target is not None and known >= target:
            for pattern in patterns:
                pattern.active = False


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
    """Every solution of ``F(.; base)`` that graph monodromy reaches, all dead-unit patterns at once.

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
        patterns, origins = [], 0
        for number, mask in enumerate(masks):
            if not mask[: family.architecture.n_parameters].any():  # the origin: a solution for every p
                # W = 0, with the lifted family's residual Z = -Y of the base data
                origin = numpy.asarray(family.lift(numpy.zeros(family.architecture.n_parameters), base), dtype=complex)
                if numpy.abs(evaluator.value(origin[None], base)).max() > RESIDUAL:
                    continue  # no hidden layer: W = 0 is not critical (the gradient there is -T)
                origins += 1
                if found.add(origin):
                    all_counts.append(1)
                continue
            patterns.append(_start_pattern(family, evaluator, flips, mask, number, pass_seed + 1000 * (number + 1),
                                           options))
        # a pass aims at the whole target on its own (earlier passes' points are not subtracted)
        _populate(family, evaluator, patterns, target=target, offset=origins, extra_nodes=extra_nodes,
                  max_rounds=max_rounds, options=options, progress=progress)
        # every pattern's orbits, from its best node, to the base data in one batch: one representative per
        # sign-flip orbit (the homotopy is equivariant, so an image's path is the image of its representative's),
        # and a path that does not land is tracked again with two other gammas
        items = []
        for pattern in patterns:
            if not pattern.regular:
                logger.info("dead-unit pattern %d: no regular solution at generic data (singular first point)",
                            pattern.number)
                continue
            node = pattern.graph.nodes[pattern.best()]
            items.extend((pattern.number, numpy.asarray(x), node.parameters) for x in node.orbits)
        moved = len(items)
        for attempt in range(FINAL_GAMMAS):
            if not items:
                break
            run = _track_items(evaluator, [(None, 0, x, source, base,
                                            homotopy_gamma(pass_seed, 10_000 + 1000 * attempt + number))
                                           for number, x, source in items], options)
            tracked += len(items)
            again = []
            for item, x, status, residual in zip(items, run.points, run.status, run.residual):
                if status is BatchStatus.REACHED and residual <= RESIDUAL:
                    for signs in (flips if flips is not None else numpy.ones((1, len(x)))):
                        found.add(signs * x)
                else:
                    again.append(item)
            items = again
        lost = len(items)
        for pattern in patterns:
            graph = pattern.graph
            loops += pattern.rounds
            failed += graph.failed
            tracked += graph.tracked
            by_symmetry += graph.by_symmetry
            all_counts.extend(pattern.counts)
            logger.info("dead-unit pattern %d: %d solutions, %d rounds on %d nodes, %d edges", pattern.number,
                        graph.known() if pattern.regular else 0, pattern.rounds, len(graph.nodes),
                        len(graph.edges))
        failed += lost
        if lost:
            logger.info("%d of %d orbits lost on the way to the base data (after %d gammas)", lost, moved, FINAL_GAMMAS)
        if progress is not None:
            progress(len(found))
        if target is None or len(found) >= target:
            break
        logger.warning("graph monodromy pass %d found %d of %d solutions; another pass with a new seed",
                       attempt + 1, len(found), target)
    return MonodromyResult(tuple(complex(z) for z in base), tuple(tuple(complex(z) for z in x) for x in found.points),
                           loops, tuple(all_counts), failed, tracked, round(time.monotonic() - started, 3), by_symmetry,
                           attempt + 1, target)
