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
