"""Merging the batched parameter homotopy's runs over gammas (algeo.tracking.homotopy._merged_paths)."""

from __future__ import annotations

import numpy

from algeo import phc
from algeo.results.statuses import PathStatus
from algeo.tracking.homotopy import _merged_paths

FLIPS = numpy.array([[1, 1], [-1, -1]])  # one sign flip of both coordinates


def regular(*x):
    return phc.RawPath.known_solution(x)


def lost(*x):
    return phc.RawPath(1, tuple(complex(z) for z in x), 0.5 + 0j, 1, 1.0, 0.0, 1.0, "failure", "diverged")


def test_a_point_one_gamma_lost_is_taken_from_another():
    first = [regular(1, 2), lost(9, 9), regular(3, 1)]
    second = [regular(1, 2), regular(5, 5), lost(0, 0)]
    paths, later = _merged_paths([first, second], FLIPS)
    assert [p.coordinates for p in paths] == [(1, 2), (5, 5), (3, 1)] and later == 1
    assert all(p.status is PathStatus.REGULAR for p in paths)


def test_an_end_already_reached_in_its_orbit_is_not_taken_twice():
    first = [regular(1, 2), lost(9, 9)]
    second = [regular(1, 2), regular(-1, -2)]  # the second path jumped to the first one's orbit
    paths, later = _merged_paths([first, second], FLIPS)
    assert paths[0].coordinates == (1, 2) and paths[1].status is not PathStatus.REGULAR and later == 0


def test_an_ill_conditioned_end_is_kept_for_the_exact_refinement():
    """A reached end whose last Newton step is 1.6e-8 at rco 8.5e-13 (widths 2,3,3, integer data) is a solution
    the double-precision corrector cannot polish: it goes to the refinement, not to 'no solution'."""
    from types import SimpleNamespace

    from algeo.tracking.batch import BatchStatus
    from algeo.tracking.homotopy import _raw_paths

    class Evaluator:
        def value_and_jacobian(self, points, target):
            J = numpy.array([numpy.diag([1.0, 8.5e-13]), numpy.diag([1.0, 0.5]), numpy.diag([1.0, 0.5])])
            return None, J

    run = SimpleNamespace(points=numpy.ones((3, 2), dtype=complex), t=numpy.ones(3),
                          status=[BatchStatus.REACHED, BatchStatus.REACHED, BatchStatus.REACHED],
                          newton_step=numpy.array([1.6e-8, 1e-10, 1e-3]), residual=numpy.array([1e-8, 1e-14, 1.0]),
                          detail=["", "", ""])
    ill, clean, far = _raw_paths(Evaluator(), None, run)
    assert ill.status is PathStatus.REGULAR and "ill-conditioned" in ill.label
    assert clean.status is PathStatus.REGULAR and "ill-conditioned" not in clean.label
    assert far.status is PathStatus.FAILED
