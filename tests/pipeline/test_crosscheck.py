"""The exact cross-check: a disagreement with msolve is a problem; without msolve the result names its check."""

from __future__ import annotations

import mpmath
import pytest

from algeo.pipeline.crosscheck import ExactCount, cross_check
from algeo.results.solve_result import CriticalPoint
from algeo.verify.msolve import MsolveCounts, MsolveStatus
from fractions import Fraction


def _point(index, coordinates, real=True):
    refined = tuple(mpmath.mpc(c) for c in coordinates)
    return CriticalPoint(index=index, coordinates=tuple(complex(c) for c in coordinates), refined=refined,
                         digits=30, is_real=real, has_zero_coordinate=False, residual=0.0, newton_step=0.0,
                         converged=True, condition=1.0, singular=False, paths=(index,), max_imaginary=0.0)


def _exact(complex_count, real_boxes, nonzero=None, status=MsolveStatus.COMPLETE):
    counts = MsolveCounts(complex_count, complex_count, len(real_boxes), tuple(real_boxes), 0.5, status)
    return ExactCount(counts, nonzero if nonzero is not None else complex_count)


BOX_1 = ((Fraction(99, 100), Fraction(101, 100)),)
BOX_2 = ((Fraction(199, 100), Fraction(201, 100)),)


def test_agreement_is_recorded():
    points = (_point(0, [1.0]), _point(1, [2.0]), _point(2, [3j], real=False))
    check = cross_check(_exact(3, [BOX_1, BOX_2]), points, complex_count=3, nonzero=3, real=2, start_set_size=None)
    assert not check.problems
    assert check.extra["exact_complex"] == 3 and check.extra["exact_real"] == 2
    assert check.extra["real_points_in_boxes"] == 2 and check.extra["independent_check"] == "msolve"


@pytest.mark.parametrize("complex_count, nonzero, real, message", [
    (2, 3, 2, "N_C = 2 but msolve counts 3"),
    (3, 2, 2, "N_C\\* = 2"),
    (3, 3, 1, "N_R = 1 but msolve isolates 2"),
])
def test_every_disagreement_is_a_problem(complex_count, nonzero, real, message):
    points = (_point(0, [1.0]), _point(1, [2.0]))
    check = cross_check(_exact(3, [BOX_1, BOX_2]), points, complex_count=complex_count, nonzero=nonzero, real=real,
                        start_set_size=None)
    assert any(__import__("re").search(message, p) for p in check.problems), check.problems


def test_a_real_point_outside_every_box_is_a_problem():
    points = (_point(0, [1.0]), _point(1, [2.5]))
    check = cross_check(_exact(2, [BOX_1, BOX_2]), points, complex_count=2, nonzero=2, real=2, start_set_size=None)
    assert any("in no box" in p for p in check.problems)


def test_without_an_exact_count_the_result_names_the_check_used():
    timed_out = ExactCount(MsolveCounts(None, None, None, (), 30.0, MsolveStatus.TIMED_OUT, "killed after 30 s"), None)
    with_set = cross_check(timed_out, (), complex_count=5, nonzero=4, real=1, start_set_size=5)
    assert with_set.extra["independent_check"] == "verified start-set size" and "timed_out" in with_set.extra["exact_status"]
    assert with_set.extra["start_set_size"] == 5   # the count completion aims at without msolve
    named = cross_check(timed_out, (), complex_count=5, nonzero=4, real=1, start_set_size=5,
                        start_set_confirmed_by=("independent graph monodromy",))
    assert named.extra["start_set_confirmed_by"] == ["independent graph monodromy"]
    assert any("confirmed by independent graph monodromy" in w for w in named.warnings)
    modular = cross_check(timed_out, (), complex_count=4, nonzero=4, real=1, start_set_size=None, modular=5)
    assert modular.extra["independent_check"] == "modular count" and modular.problems
    nothing = cross_check(ExactCount(None, None, "exact_budget is 0"), (), complex_count=5, nonzero=4, real=1,
                          start_set_size=None)
    assert nothing.extra["independent_check"] == "none" and any("raise --exact-budget" in w for w in nothing.warnings)
