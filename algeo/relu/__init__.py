"""One-hidden-layer ReLU networks: activation regions, Jacobian ranks, differentiable critical points.

See docs/relu.md. Modules: :mod:`~algeo.relu.instance` (architecture, exact data),
:mod:`~algeo.relu.arrangement` (exact chambers of one neuron), :mod:`~algeo.relu.jacobian`
(Khatri-Rao rank), :mod:`~algeo.relu.estimate` (Wilson intervals),
:mod:`~algeo.relu.regions` (regions and ranks, exact or sampled), :mod:`~algeo.relu.karhadkar`
(Karhadkar et al.'s sampling and the exact/float64/float32 ranks of their Jacobian),
:mod:`~algeo.relu.phase` (phase-diagram grids, resumable CSV, workers; :mod:`~algeo.relu.phase_diagram` holds
one as a result object),
:mod:`~algeo.relu.phase_plot` (heat maps), :mod:`~algeo.relu.system` (per-region gradient system),
:mod:`~algeo.relu.solve` (every differentiable critical point), :mod:`~algeo.relu.certify`
(exact proof of a strict local minimum), :mod:`~algeo.relu.minima` (what is proven about each
minimum, with and without regularization).
"""

from __future__ import annotations

from .certify import LocalMinimumCertificate, certify_local_minimum
from .minima import MinimumReport, UnregularizedStatus, assess_minima
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
    "MinimumReport",
    "UnregularizedStatus",
    "assess_minima",
]
