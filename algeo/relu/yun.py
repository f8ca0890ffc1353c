"""Yun, Sra & Jadbabaie's spurious local minimum (ICLR 2019, Theorem 1), exactly.

Unregularized loss, ``dy = 1``, ``d1 >= 2``, with a bias. Let ``(a, c)`` be the least-squares
affine fit of the data. With ``M > max_j |a . x_j + c|``, the parameters

    w~_1 = (a, c + M), v_1 = 1;   w~_2 = (0, M), v_2 = -1

have every sample active on neurons 1 and 2 and output ``a . x_j + c`` (the fit). On the open
region where neurons 1 and 2 are active on all samples and the other neurons inactive on
all samples, the network restricted to the data is an affine function of ``x``, so the loss
there is at least the least-squares loss: the point is a (non-strict) local minimum of the
unregularized loss. Extra neurons get ``w~_i = (0, -1)``, ``v_i = 0`` (inactive everywhere:
pre-activation ``-1``). Everything is checked in exact rational arithmetic; a given rational
point with a smaller loss proves the minimum is not global.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from ..exceptions import InputError
from .instance import ReluArchitecture, ReluData
from .system import relu_loss

__all__ = ["LinearFitMinimum", "linear_fit_local_minimum"]


@dataclass(frozen=True)
class LinearFitMinimum:
    """The construction and its exact checks."""

    theta: tuple[Fraction, ...]
    fit: tuple[Fraction, ...]  # (a_1, ..., a_d0, c)
    loss: Fraction  # the least-squares loss = the loss at theta
    inside_region: bool  # neurons 1, 2 strictly active, the others strictly inactive, on every sample
    outputs_equal_fit: bool
    lower_point: tuple[Fraction, ...] | None
    lower_point_loss: Fraction | None

    @property
    def is_local_minimum(self) -> bool:
        return self.inside_region and self.outputs_equal_fit

    @property
    def is_not_global(self) -> bool:
        return self.lower_point_loss is not None and self.lower_point_loss < self.loss


def _least_squares(points: Sequence[Sequence[Fraction]], targets: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """Solve the normal equations exactly (Gauss-Jordan over QQ)."""
    m = len(points[0])
    rows = [[sum(x[a] * x[b] for x in points) for b in range(m)] + [sum(x[a] * y for x, y in zip(points, targets))]
            for a in range(m)]
    for col in range(m):
        pivot = next((r for r in range(col, m) if rows[r][col] != 0), None)
        if pivot is None:
            raise InputError("X", "the augmented inputs (x_j, 1) do not span R^(d0+1)", "give more varied samples")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        rows[col] = [v / rows[col][col] for v in rows[col]]
        for r in range(m):
            if r != col and rows[r][col] != 0:
                rows[r] = [u - rows[r][col] * v for u, v in zip(rows[r], rows[col])]
    return tuple(row[-1] for row in rows)


def linear_fit_local_minimum(architecture: ReluArchitecture, data: ReluData, *,
                             lower_point: Sequence | None = None) -> LinearFitMinimum:
    """Build and check the construction; ``lower_point`` (rationals) is compared exactly."""
    if architecture.dy != 1 or architecture.d1 < 2 or not architecture.bias:
        raise InputError("widths", "the construction needs dy = 1, d1 >= 2 and a bias", "use e.g. 1,2,1 --bias")
    points = data.augmented_inputs(True)
    targets = data.Y[0]
    fit = _least_squares(points, targets)
    values = [sum(f * x for f, x in zip(fit, point)) for point in points]
    M = max(abs(v) for v in values) + 1
    d0, d1 = architecture.d0, architecture.d1
    first = [fit[:-1] + (fit[-1] + M,), (Fraction(0),) * d0 + (M,)]
    first += [(Fraction(0),) * d0 + (Fraction(-1),)] * (d1 - 2)
    V = [Fraction(1), Fraction(-1)] + [Fraction(0)] * (d1 - 2)
    theta = tuple(v for row in first for v in row) + tuple(V)
    pre = [[sum(w * x for w, x in zip(row, point)) for point in points] for row in first]
    inside = all(v > 0 for v in pre[0] + pre[1]) and all(v < 0 for row in pre[2:] for v in row)
    outputs = [sum(V[i] * max(pre[i][j], Fraction(0)) for i in range(d1)) for j in range(len(points))]
    zero = (Fraction(0),) * architecture.n_parameters
    loss = relu_loss(architecture, data, theta, zero)
    least_squares = sum((v - y) ** 2 for v, y in zip(values, targets)) / 2
    lower = lower_loss = None
    if lower_point is not None:
        lower = tuple(Fraction(v) for v in lower_point)
        lower_loss = relu_loss(architecture, data, lower, zero)
    return LinearFitMinimum(theta, fit, loss, inside, outputs == values and loss == least_squares, lower, lower_loss)
