"""algeo: the algebraic geometry of neural-network loss landscapes.

>>> import algeo
>>> algeo.Architecture((2, 1, 2)).n_parameters
4
"""

from __future__ import annotations

import logging

from ._version import __version__

from .exceptions import AlgeoError, BackendUnavailableError, BudgetExceededError, InputError, SolverFailedError
from .model.architecture import Architecture
from .model.data import Dataset, Regularization, RegularizationKind, load_instance, random_dataset
from .model.system import CriticalPointSystem, build_system as _build_system
from .pipeline.instance import prepare_instance
from .pipeline.options import SolveOptions
from .pipeline.solve import solve
from .results.solve_result import CriticalPoint, PathStatus, SolveResult
from .results.sweep_result import SweepResult
from .results.unregularized import UnregularizedSolveResult
from .pipeline.sweep import sweep
from .checks import CheckReport, Verdict, run_check as check
from .api import load_result, plot, result_from_json, table


def build_system(widths, *, samples=None, seed=0, data=None, regularization="generic") -> CriticalPointSystem:
    """The symbolic gradient system of an instance, with the same options as :func:`solve`.

    >>> system = build_system("1,1,1", samples=1, seed=0)
    >>> system.variable_names
    ('w1_1_1', 'w2_1_1')
    """
    architecture, dataset, reg = prepare_instance(widths, samples=samples, seed=seed, data=data,
                                                  regularization=regularization)
    return _build_system(architecture, dataset, reg)


def __getattr__(name: str):
    """``algeo.relu`` is imported on first use (it needs scipy's optimizers, which ``import algeo`` avoids)."""
    if name == "relu":
        import importlib

        return importlib.import_module(".relu", __name__)
    raise AttributeError(f"module 'algeo' has no attribute {name!r}")


logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "__version__",
    "Architecture",
    "Dataset",
    "Regularization",
    "RegularizationKind",
    "CriticalPointSystem",
    "CriticalPoint",
    "PathStatus",
    "SolveResult",
    "build_system",
    "solve",
    "sweep",
    "check",
    "table",
    "plot",
    "load_result",
    "result_from_json",
    "relu",
    "UnregularizedSolveResult",
    "SweepResult",
    "CheckReport",
    "Verdict",
    "SolveOptions",
    "prepare_instance",
    "load_instance",
    "random_dataset",
    "AlgeoError",
    "InputError",
    "BackendUnavailableError",
    "BudgetExceededError",
    "SolverFailedError",
]
