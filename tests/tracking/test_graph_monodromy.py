"""Graph monodromy with the batched tracker finds every solution of a generic instance."""

import numpy

from algeo.model.architecture import Architecture
from algeo.model.family import tracking_family
from algeo.model.gram_eval import GramEvaluator
from algeo.startsets.store import find_start_set
from algeo.tracking.graph_monodromy import graph_monodromy


def test_reaches_the_verified_count_of_widths_2_2_2_m_2_and_the_points_solve_the_base_system():
    architecture = Architecture((2, 2, 2))
    family = tracking_family(architecture, 2)
    verified, _ = find_start_set(family)  # 225 points, confirmed by msolve and a modular count
    evaluator = GramEvaluator(architecture)
    result = graph_monodromy(family, evaluator, seed=3, target=verified.size)
    points = numpy.array(result.points)
    assert len(points) == verified.size == 225
    base = numpy.array(result.parameters)
    assert numpy.abs(evaluator.value(points, base)).max() <= 1e-8
    distances = numpy.abs(points[:, None, :] - points[None, :, :]).max(axis=2) + numpy.eye(len(points))
    assert distances.min() > 1e-6
    assert result.tracked_paths > 0 and result.failed_paths >= 0


def test_without_a_target_the_stall_rule_stops_it_with_the_same_set():
    architecture = Architecture((1, 2, 1))
    family = tracking_family(architecture, 1)
    result = graph_monodromy(family, GramEvaluator(architecture), seed=1)
    assert len(result.points) == 9  # the published N_C of widths 1,2,1 (Table 3.1)


def test_max_rounds_stops_a_pattern_and_says_so(caplog):
    architecture = Architecture((2, 2, 2))
    family = tracking_family(architecture, 2)
    with caplog.at_level("WARNING"):
        result = graph_monodromy(family, GramEvaluator(architecture), seed=3, max_rounds=1)
    assert 0 < len(result.points) < 225  # one round per pattern cannot reach the 225 solutions
    assert "max_rounds" in caplog.text


def test_the_lifted_family_reaches_its_published_count_and_the_origin_solves_the_base_system():
    # widths 2,2,2 at m = 1 < d_0: the lifted family (unknowns W and Z = Wbar X - Y), affine in the data,
    # so its edges are arcs (gamma_path with affine=True); Table 3.1 of Bharadwaj & Hosten: N_C = 33
    from algeo.model.family import ParameterFamily
    from algeo.model.gram_eval import LiftedEvaluator

    architecture = Architecture((2, 2, 2))
    family = tracking_family(architecture, 1)
    assert isinstance(family, ParameterFamily)
    result = graph_monodromy(family, LiftedEvaluator(architecture, 1), seed=0, target=33)
    points, base = numpy.array(result.points), numpy.array(result.parameters)
    assert len(points) == 33
    assert max(float(numpy.abs(family.evaluate(base, x)).max()) for x in points) <= 1e-8
    assert any(numpy.all(x[: architecture.n_parameters] == 0) for x in points)  # the origin, with Z = -Y
