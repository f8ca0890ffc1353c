"""Proven non-global local minima of a one-hidden-layer ReLU network, with and without Lambda (docs/relu.md).

Data (``examples/relu_spurious_data.json``): ``x = -2, -1, 1, 2``, ``y = 2, 1, 1/2, 1``;
network ``F(x) = v relu(w x + b)`` (widths 1,1,1 with bias) and the generic regularizer of
``algeo relu solve`` (seed 0). The solver enumerates every region and every
differentiable critical point, and assesses every local minimum (:mod:`algeo.relu.minima`):

- *regularized*: proven a strict local minimum in exact rational arithmetic
  (:mod:`algeo.relu.certify`: a box around it lies strictly inside its region, the Hessian is
  positive definite on the box, the gradient is small enough that the box holds a minimizer),
  and for the non-global ones the best critical point found has an exactly smaller loss;
- *unregularized*: the region's exact least-squares fit is realized strictly inside the region,
  so the region holds a (non-strict) local minimum of the unregularized loss; patterns
  ``(1,1,1,0)``, ``(1,1,0,0)``, ``(0,0,1,1)`` give ``65/112``, ``5/8``, ``5/2`` against ``9/32`` for
  ``(1,1,1,1)``: genuine spurious minima of the unregularized loss too.

Second, Yun, Sra & Jadbabaie's construction for the *unregularized* loss with two neurons
(:mod:`algeo.relu.yun`): the least-squares affine fit, realized strictly inside the region
where both neurons are active on every sample, is a (non-strict) local minimum of loss
9/32, while ``v = (1, 1)``, ``w~_1 = (-1, 0)``, ``w~_2 = (1/2, 0)`` fits the data exactly (loss 0).

Run: ``python examples/relu_spurious_minimum.py`` (about 3 s; needs PHCpack's ``phc``).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from algeo.relu.instance import ReluArchitecture
from algeo.relu.solve import solve_relu
from algeo.relu.yun import linear_fit_local_minimum

DATA = Path(__file__).with_name("relu_spurious_data.json")


def run(*, seed: int = 0, d1: int = 1) -> dict:
    """Solve; every local minimum comes with its proof and its unregularized comparison (``result.minima``)."""
    architecture = ReluArchitecture(1, d1, 1, bias=True)
    result = solve_relu(architecture, data=str(DATA), seed=seed)
    two = ReluArchitecture(1, 2, 1, bias=True)
    yun = linear_fit_local_minimum(two, result.data, lower_point=[-1, 0, Fraction(1, 2), 0, 1, 1])
    return {"result": result, "minima": result.minima, "yun": yun}


if __name__ == "__main__":
    outcome = run()
    print(outcome["result"].summary())
    yun = outcome["yun"]
    print(f"Yun et al., widths 1,2,1, no regularization: affine fit {[str(v) for v in yun.fit]}, loss {yun.loss}, "
          f"inside its region {yun.inside_region}, local minimum {yun.is_local_minimum}; a point of loss "
          f"{yun.lower_point_loss} proves it is not global: {yun.is_not_global}")
