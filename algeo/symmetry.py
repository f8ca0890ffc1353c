"""Symmetries of the regularized gradient system, used as an independent completeness check.

With an entrywise ``Lambda``, flipping the sign of hidden unit ``i`` of layer ``l``
(row ``i`` of ``W_l`` and column ``i`` of ``W_{l+1}``) leaves the loss unchanged, and the
system has real coefficients, so its solution set is closed under the group generated
by these sign flips and complex conjugation (order up to ``2^(h+1)``, ``h`` hidden units).
A PHCpack run whose solutions are not closed under this group has lost solutions;
:func:`missing_images` finds the lost images so they can be refined and reported.
"""

from __future__ import annotations

from itertools import product
from typing import Sequence

import numpy

from .architecture import Architecture

__all__ = ["sign_flip_matrices", "missing_images"]


def sign_flip_matrices(architecture: Architecture) -> numpy.ndarray:
    """Every element of the hidden-unit sign-flip group as a row of ±1 per coordinate.

    >>> sign_flip_matrices(Architecture((1, 1, 1))).tolist()
    [[1.0, 1.0], [-1.0, -1.0]]
    """
    hidden = [(layer, unit) for layer in range(1, architecture.depth) for unit in range(architecture.widths[layer])]
    offsets, position = [], 0
    for rows, cols in architecture.shapes:
        offsets.append(position)
        position += rows * cols
    elements = []
    for signs in product((1.0, -1.0), repeat=len(hidden)):
        vector = numpy.ones(architecture.n_parameters)
        for (layer, unit), sign in zip(hidden, signs):
            if sign > 0:
                continue
            rows, cols = architecture.shapes[layer - 1]  # W_layer: row `unit`
            start = offsets[layer - 1] + unit * cols
            vector[start : start + cols] *= -1
            rows_next, cols_next = architecture.shapes[layer]  # W_{layer+1}: column `unit`
            vector[offsets[layer] + unit : offsets[layer] + rows_next * cols_next : cols_next] *= -1
        elements.append(vector)
    return numpy.array(elements)


def missing_images(architecture: Architecture, points: Sequence[Sequence[complex]], tolerance: float
                   ) -> list[numpy.ndarray]:
    """Images of ``points`` under the symmetry group that are not among ``points`` (nor each other).

    Two vectors match when ``max |a - b| <= tolerance * max(1, ||a||)``.
    """
    if not len(points):
        return []
    known = numpy.array(points, dtype=complex)
    group = sign_flip_matrices(architecture)
    found: list[numpy.ndarray] = []
    for point in known:
        for signs in group:
            for image in (signs * point, numpy.conj(signs * point)):
                scale = tolerance * max(1.0, float(numpy.max(numpy.abs(image))))
                if numpy.min(numpy.max(numpy.abs(known - image), axis=1)) <= scale:
                    continue
                if any(numpy.max(numpy.abs(other - image)) <= scale for other in found):
                    continue
                found.append(image)
    return found
