"""The trace test (algeo.tracking.trace): complete sets pass, a set missing one point fails."""

from __future__ import annotations

import numpy
import pytest

from algeo.model.architecture import Architecture
from algeo.model.family import ParameterFamily, TraceFamily
from algeo.tracking.monodromy import dead_unit_masks, first_solution, populate_by_monodromy
from algeo.tracking.trace import Completeness, trace_residual, trace_test


def test_the_trace_family_is_the_base_family_along_a_line_plus_the_hyperplane_equation():
    base = ParameterFamily(Architecture((1, 2, 1)), 2)
    family = TraceFamily(base)
    rng = numpy.random.default_rng(3)
    q = family.sample_parameters(rng)
    q[family.t_position] = 0.3 - 0.2j
    point = rng.standard_normal(len(family.variable_names)) + 1j * rng.standard_normal(len(family.variable_names))
    n_p, x, lam = len(base.parameter_names), point[:-1], point[-1]
    p, v, a, t = q[:n_p], q[n_p:2 * n_p], q[2 * n_p:-1], q[-1]
    values = family.evaluate(q, point)
    assert numpy.allclose(values[:-1], base.evaluate(p + lam * v, x), atol=1e-12)
    assert abs(values[-1] - ((a @ x - 1) * lam + t)) < 1e-12
    assert family.fixed_parameters == {family.t_position: 0j}


def test_first_solution_keeps_fixed_parameters_and_the_dead_unit_mask():
    family = TraceFamily(ParameterFamily(Architecture((2, 2, 1)), 1))
    mask = dead_unit_masks(family)[0]
    parameters, point = first_solution(family, seed=5, mask=mask)
    assert parameters[family.t_position] == 0
    assert numpy.all(point[~mask] == 0) and abs(point[-1]) > 0  # lam != 0: a witness, not a tested point
    assert numpy.abs(family.evaluate(parameters, point)).max() < 1e-9


def test_trace_residual_separates_collinear_from_bent_traces():
    line = [numpy.array([1 + 1j, 2.0]), numpy.array([2 + 1j, 3.0]), numpy.array([3 + 1j, 4.0])]
    assert trace_residual(line) < 1e-15
    bent = line[:2] + [line[2] + numpy.array([0.01, 0])]
    assert trace_residual(bent) > 1e-4


@pytest.mark.phc
@pytest.mark.slow
@pytest.mark.parametrize("widths, count", [((1, 1, 1), 5), ((1, 2, 1), 9)])
def test_trace_test_confirms_the_monodromy_count_and_rejects_a_set_missing_one_point(widths, count):
    family = ParameterFamily(Architecture(widths), 1)
    populated = populate_by_monodromy(family, seed=0)
    assert len(populated.points) == count  # the published N_C (REFERENCE.md section 2)
    complete = trace_test(family, populated.parameters, populated.points, seed=1)
    assert complete.verdict is Completeness.COMPLETE, complete
    assert complete.trace_residual < 1e-12 and complete.lost_paths == 0 and complete.witnesses > 0
    for dropped in (0, len(populated.points) - 1):
        partial = [p for k, p in enumerate(populated.points) if k != dropped]
        missing = trace_test(family, populated.parameters, partial, seed=1)
        assert missing.verdict is Completeness.INCOMPLETE, missing
        assert missing.trace_residual > 1e3 * complete.trace_residual


@pytest.mark.phc
@pytest.mark.parametrize("fault", ["lost", "jumped"])
def test_a_path_lost_or_two_paths_meeting_while_t_moves_make_the_verdict_inconclusive(monkeypatch, fault):
    import algeo.tracking.trace as trace_module

    family = ParameterFamily(Architecture((1, 1, 1)), 1)
    found = populate_by_monodromy(family, seed=0)
    real_track = trace_module.track_points

    def faulty_track(augmented, source, target, points, gamma, **options):
        ends, lost = real_track(augmented, source, target, points, gamma, **options)
        if target[augmented.t_position] != 0:  # moving t: spoil the first path
            if fault == "lost":
                ends[0], lost = None, lost + 1
            else:
                ends[0] = ends[1]
        return ends, lost

    monkeypatch.setattr(trace_module, "track_points", faulty_track)
    result = trace_test(family, found.parameters, found.points, seed=1)
    assert result.verdict is Completeness.INCONCLUSIVE and result.trace_residual is None
    assert result.lost_paths >= 1
