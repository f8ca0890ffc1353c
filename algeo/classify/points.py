"""Decisions on refined solutions: distinctness, realness, zero coordinates, Hessian index.

Every decision uses a stated tolerance (docs/tolerances.md) and the evidence for it
(the gap between the largest value called "zero" and the smallest called "nonzero")
is returned, so a user can see how clear each decision was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import mpmath
import numpy

__all__ = ["Tolerances", "cluster_points", "max_imaginary", "has_zero_coordinate", "hessian_inertia"]


@dataclass(frozen=True)
class Tolerances:
    """Relative tolerances, each scaled by ``max(1, ||x||_inf)`` of the point concerned."""

    same_point: float = 1e-8
    real: float = 1e-12
    zero_coordinate: float = 1e-12
    #: eigenvalues with |lambda| <= hessian_zero * max(1, max|lambda|) count as zero
    hessian_zero: float = 1e-15
    #: losses within this (relative) of the least loss are global minima
    same_loss: float = 1e-15

    def to_json(self) -> dict:
        return dict(self.__dict__)


def _norm(point: Sequence) -> object:
    return max((abs(x) for x in point), default=mpmath.mpf(0))


def cluster_points(points: Sequence[Sequence], tolerance: float) -> tuple[list[int], dict]:
    """Group points closer than ``tolerance * max(1, ||x||)``; returns the cluster of each point.

    Also returns the evidence: the largest distance inside a cluster and the smallest
    distance between two clusters. Distances are computed in double precision (numpy),
    which resolves relative distances far below any useful ``tolerance``.

    >>> cluster_points([(1, 2), (1 + 1e-12, 2), (3, 4)], 1e-8)[0]
    [0, 0, 1]
    >>> cluster_points([], 1e-8)[0]
    []
    """
    n = len(points)
    if n == 0:
        return [], {"largest_relative_distance_within_a_point": 0.0, "smallest_relative_distance_between_points": None}
    array = numpy.array([[complex(x) for x in point] for point in points], dtype=complex).reshape(n, -1)
    scales = numpy.maximum(1.0, numpy.abs(array).max(axis=1, initial=0.0))
    representatives: list[int] = []
    labels: list[int] = []
    largest_inside = 0.0
    for i in range(n):
        if representatives:
            distances = numpy.abs(array[representatives] - array[i]).max(axis=1, initial=0.0)
            hits = numpy.nonzero(distances <= tolerance * scales[i])[0]
            if hits.size:
                label = int(hits[0])
                labels.append(label)
                largest_inside = max(largest_inside, float(distances[label] / scales[i]))
                continue
        labels.append(len(representatives))
        representatives.append(i)
    smallest_between = None
    for a in range(len(representatives) - 1):
        others = array[representatives[a + 1:]]
        distance = float(numpy.abs(others - array[representatives[a]]).max(axis=1, initial=0.0).min())
        distance /= float(scales[representatives[a]])
        smallest_between = distance if smallest_between is None else min(smallest_between, distance)
    return labels, {"largest_relative_distance_within_a_point": largest_inside,
                    "smallest_relative_distance_between_points": smallest_between}


def max_imaginary(point: Sequence) -> float:
    """``max |Im x_i| / max(1, ||x||)``."""
    scale = max(1.0, float(_norm(point)))
    return float(max((abs(mpmath.im(x)) for x in point), default=0)) / scale


def has_zero_coordinate(point: Sequence, tolerance: float) -> tuple[bool, float]:
    """Whether some ``|x_i| <= tolerance * max(1, ||x||)``; also the smallest relative ``|x_i|``."""
    scale = max(1.0, float(_norm(point)))
    smallest = min(float(abs(x)) for x in point) / scale
    return smallest <= tolerance, smallest


def hessian_inertia(hessian: "mpmath.matrix", tolerance: float) -> tuple[tuple, int, bool]:
    """Eigenvalues (ascending), number of negative ones, and whether any is (numerically) zero."""
    eigenvalues = mpmath.eigsy(hessian, eigvals_only=True)
    values = sorted(eigenvalues[i] for i in range(hessian.rows))
    scale = max(mpmath.mpf(1), max(abs(v) for v in values))
    threshold = tolerance * scale
    negative = sum(1 for v in values if v < -threshold)
    singular = any(abs(v) <= threshold for v in values)
    return tuple(values), negative, singular
