"""The batched tracker: the parameter homotopy from a shipped start set, statuses, per-path lines."""

import numpy
import pytest

from algeo.model.architecture import Architecture
from algeo.model.data import generic_regularization, random_dataset
from algeo.model.family import tracking_family
from algeo.model.gram_eval import GramEvaluator
from algeo.startsets.store import find_start_set
from algeo.tracking.batch import BatchOptions, BatchStatus, gamma_path, linear_path, track_batch


def _start_set(widths, samples):
    architecture = Architecture(widths)
    family = tracking_family(architecture, samples)
    start_set, _ = find_start_set(family)
    assert start_set is not None, "a shipped start set"
    return architecture, family, start_set


def test_every_start_point_reaches_its_own_solution_of_a_real_instance():
    architecture, family, start_set = _start_set((2, 2, 2), 2)
    evaluator = GramEvaluator(architecture)
    target = family.parameters_of(random_dataset(architecture, 2, 5), generic_regularization(architecture, 5))
    run = track_batch(evaluator, numpy.array(start_set.points),
                      gamma_path(numpy.array(start_set.parameters), target, numpy.exp(0.7j)))
    reached = [k for k, s in enumerate(run.status) if s is BatchStatus.REACHED]
    assert len(reached) == start_set.size == 225
    ends = run.points[reached]
    assert numpy.abs(evaluator.value(ends, target)).max() <= 1e-10
    distances = numpy.abs(ends[:, None, :] - ends[None, :, :]).max(axis=2) + numpy.eye(len(ends))
    assert distances.min() > 1e-6  # 225 distinct solutions: no two paths ended together


def test_tracking_back_along_the_same_line_returns_to_the_start():
    architecture, family, start_set = _start_set((2, 2, 2), 2)
    evaluator = GramEvaluator(architecture)
    p0 = numpy.array(start_set.parameters)
    p1 = family.random_parameters(9)
    starts = numpy.array(start_set.points[:20])
    path = gamma_path(p0, p1, numpy.exp(1.1j))
    there = track_batch(evaluator, starts, path)
    back = track_batch(evaluator, there.points, path, t_start=1.0, t_end=0.0)
    assert all(s is BatchStatus.REACHED for s in back.status)
    assert numpy.abs(back.points - starts).max() <= 1e-8 * max(1.0, numpy.abs(starts).max())


def test_per_path_lines_track_each_point_along_its_own_line():
    architecture, family, start_set = _start_set((2, 2, 2), 2)
    evaluator = GramEvaluator(architecture)
    p0 = numpy.array(start_set.parameters)
    targets = numpy.array([family.random_parameters(1), family.random_parameters(2)])
    starts = numpy.array(start_set.points[:2])
    run = track_batch(evaluator, starts, linear_path(numpy.array([p0, p0]) * numpy.exp(0.5j), targets))
    assert all(s is BatchStatus.REACHED for s in run.status)
    assert numpy.abs(evaluator.value(run.points[:1], targets[0])).max() <= 1e-10
    assert numpy.abs(evaluator.value(run.points[1:], targets[1])).max() <= 1e-10


def test_a_path_that_cannot_be_tracked_gets_a_status_not_dropped():
    architecture, family, start_set = _start_set((2, 2, 2), 2)
    evaluator = GramEvaluator(architecture)
    p0 = numpy.array(start_set.parameters)
    starts = numpy.array(start_set.points[:3]) + 0.5  # not solutions: the corrector cannot converge
    run = track_batch(evaluator, starts, gamma_path(p0, family.random_parameters(4), 1j),
                      options=BatchOptions(max_steps=50))
    assert len(run.status) == 3
    assert all(s is not BatchStatus.REACHED or r <= 1e-8 for s, r in zip(run.status, run.residual))
    assert all(s is BatchStatus.REACHED or d for s, d in zip(run.status, run.detail))


def test_the_lifted_family_is_tracked_with_the_affine_gamma_path():
    from algeo.model.gram_eval import LiftedEvaluator

    architecture, family, start_set = _start_set((2, 2, 2, 2), 1)  # m < d_0: the lifted family, 641 points
    evaluator = LiftedEvaluator(architecture, 1)
    target = family.parameters_of(random_dataset(architecture, 1, 2), generic_regularization(architecture, 2))
    run = track_batch(evaluator, numpy.array(start_set.points),
                      gamma_path(numpy.array(start_set.parameters), target, numpy.exp(0.9j), affine=True))
    reached = [k for k, s in enumerate(run.status) if s is BatchStatus.REACHED]
    assert len(reached) == start_set.size == 641
    ends = run.points[reached]
    assert numpy.abs(evaluator.value(ends, target)).max() <= 1e-8 * max(1.0, numpy.abs(ends).max())


def test_an_affine_path_with_per_row_lines_reversed_by_one_over_gamma_is_the_same_curve():
    rng = numpy.random.default_rng(0)
    p0, p1 = rng.standard_normal((3, 4)) + 0j, rng.standard_normal((3, 4)) + 0j
    gammas = numpy.exp(1j * numpy.array([0.3, 1.2, 2.5]))
    forward = gamma_path(p0, p1, gammas, affine=True)
    backward = gamma_path(p1, p0, 1 / gammas, affine=True)
    rows, t = numpy.arange(3), numpy.array([0.0, 0.37, 1.0])
    there, velocity = forward(t, rows)
    back, back_velocity = backward(1 - t, rows)
    assert numpy.allclose(there, back) and numpy.allclose(velocity, -back_velocity)
    assert numpy.allclose(there[0], p0[0]) and numpy.allclose(there[2], p1[2])
    # the derivative is p'(t): compare with a central difference
    h = 1e-6
    ahead, _ = forward(t[1:2] + h, rows[1:2])
    behind, _ = forward(t[1:2] - h, rows[1:2])
    assert numpy.allclose((ahead - behind) / (2 * h), velocity[1:2], atol=1e-6)


def test_a_batch_split_over_two_processes_gives_every_path_the_same_result(monkeypatch):
    import algeo.tracking.batch as batch

    architecture, family, start_set = _start_set((2, 2, 2), 2)
    evaluator = GramEvaluator(architecture)
    p0 = numpy.array(start_set.parameters)
    targets = numpy.array([family.random_parameters(k) for k in range(start_set.size)])  # a line per path
    path = linear_path(p0[None] * numpy.exp(0.5j), targets)
    starts = numpy.array(start_set.points)
    alone = track_batch(evaluator, starts, path, workers=1)
    finished = []
    monkeypatch.setattr(batch, "SPLIT_AT_LEAST", 50)
    split = track_batch(evaluator, starts, path, workers=3, progress=finished.append)
    assert split.status == alone.status and split.detail == alone.detail
    assert numpy.array_equal(split.points, alone.points) and numpy.array_equal(split.t, alone.t)
    assert numpy.array_equal(split.steps, alone.steps) and numpy.array_equal(split.rejected, alone.rejected)
    assert sum(finished) == start_set.size  # the children's paths are reported when they come back
