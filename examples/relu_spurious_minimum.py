"""A proven non-global local minimum of a one-hidden-layer ReLU network (docs/relu.md).

Data (``examples/relu_spurious_data.json``): ``x = -2, -1, 1, 2``, ``y = 2, 1, 1/2, 1``;
network ``F(x) = v relu(w x + b)`` (widths 1,1,1 with bias) and the generic regularizer of
``algeo relu solve`` (seed 0). The solver enumerates every region and every
differentiable critical point; each non-global local minimum is then *proven* a strict
local minimum, and not global, in exact rational arithmetic (:mod:`algeo.relu.certify`):
a box around it lies strictly inside its region, the Hessian is positive definite on the
box, the gradient is small enough that the box holds a minimizer, and the global
critical point found has an exactly smaller ReLU loss.

Second, Yun, Sra & Jadbabaie's construction for the *unregularized* loss with two neurons
(:mod:`algeo.relu.yun`): the least-squares affine fit, realized strictly inside the region
where both neurons are active on every sample, is a (non-strict) local minimum of loss
9/32, while ``v = (1, 1)``, ``w~_1 = (-1, 0)``, ``w~_2 = (1/2, 0)`` fits the data exactly (loss 0).

Run: ``python examples/relu_spurious_minimum.py`` (about 5 s; needs PHCpack's ``phc``).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from algeo.relu.certify import certify_local_minimum
from algeo.relu.instance import ReluArchitecture
from algeo.relu.solve import solve_relu
from algeo.relu.yun import linear_fit_local_minimum

DATA = Path(__file__).with_name("relu_spurious_data.json")


def run(*, seed: int = 0, d1: int = 1) -> dict:
    """Solve, then certify every spurious local minimum against the best critical point found."""
    architecture = ReluArchitecture(1, d1, 1, bias=True)
    result = solve_relu(architecture, data=str(DATA), seed=seed)
    best = min((p for p in result.critical_points if p.point.is_global), key=lambda p: p.point.loss)
    best_point = best.point.exact_real_coordinates()
    certificates = []
    for candidate in result.spurious_local_minima:
        region = result.regions[[r.index for r in result.regions].index(candidate.region)]
        point = candidate.point.exact_real_coordinates()
        certificate = certify_local_minimum(architecture, result.data, region.pattern, result.Lambda, point,
                                            lower_point=best_point)
        certificates.append({"region": candidate.region, "pattern": [list(r) for r in region.pattern],
                             "loss": candidate.point.loss, "coordinates": [float(v) for v in point],
                             "certificate": certificate, **certificate.to_json()})
    two = ReluArchitecture(1, 2, 1, bias=True)
    yun = linear_fit_local_minimum(two, result.data, lower_point=[-1, 0, Fraction(1, 2), 0, 1, 1])
    return {"result": result, "global_loss": best.point.loss, "global_coordinates": [float(v) for v in best_point],
            "certificates": certificates, "yun": yun}


if __name__ == "__main__":
    outcome = run()
    print(outcome["result"].summary())
    print(f"best critical point: loss {outcome['global_loss']:.6f} at {outcome['global_coordinates']}")
    for entry in outcome["certificates"]:
        print(f"region {entry['region']} pattern {entry['pattern']}: loss {entry['loss']:.6f} at "
              f"{[round(v, 6) for v in entry['coordinates']]}: proven strict local minimum "
              f"{entry['proven_local_minimum']}, proven not global {entry['proven_not_global']} "
              f"(box radius {entry['radius']}, sign margin >= {entry['sign_margin_lower_bound']}, "
              f"H >= {entry['delta']} - {entry['hessian_deviation_bound']})")
    yun = outcome["yun"]
    print(f"Yun et al., widths 1,2,1, no regularization: affine fit {[str(v) for v in yun.fit]}, loss {yun.loss}, "
          f"inside its region {yun.inside_region}, local minimum {yun.is_local_minimum}; a point of loss "
          f"{yun.lower_point_loss} proves it is not global: {yun.is_not_global}")
