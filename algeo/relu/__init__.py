"""One-hidden-layer ReLU networks: activation regions, Jacobian ranks, differentiable critical points.

See docs/relu.md. Modules: :mod:`~algeo.relu.instance` (architecture, exact data),
:mod:`~algeo.relu.arrangement` (exact chambers of one neuron), :mod:`~algeo.relu.jacobian`
(Khatri-Rao rank), :mod:`~algeo.relu.estimate` (Wilson intervals),
:mod:`~algeo.relu.regions` (regions and ranks, exact or sampled), :mod:`~algeo.relu.phase`
(phase diagram; :mod:`~algeo.relu.phase_diagram` holds it as a result object), :mod:`~algeo.relu.system` (per-region gradient system),
:mod:`~algeo.relu.solve` (every differentiable critical point), :mod:`~algeo.relu.certify`
(exact proof of a strict local minimum).
"""

from __future__ import annotations

from .certify import LocalMinimumCertificate, certify_local_minimum
from .instance import ReluArchitecture, ReluData, load_relu_data, random_relu_data
from .phase_diagram import PhaseDiagram, phase_diagram
from .regions import Region, RegionsResult, regions
from .solve import Placement, ReluSolveResult, solve_relu

__all__ = [
    "ReluArchitecture",
    "ReluData",
    "random_relu_data",
    "load_relu_data",
    "regions",
    "phase_diagram",
    "PhaseDiagram",
    "Region",
    "RegionsResult",
    "solve_relu",
    "ReluSolveResult",
    "Placement",
    "certify_local_minimum",
    "LocalMinimumCertificate",
]
