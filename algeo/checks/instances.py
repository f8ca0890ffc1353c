"""The instances a check runs on: seeded random draws (as in ``solve``) or the user's data."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Sequence

import mpmath

from ..model.architecture import Architecture
from ..model.data import Dataset, Regularization
from ..exceptions import InputError
from ..pipeline.instance import prepare_instance

__all__ = ["Instance", "make_instances"]


@dataclass(frozen=True)
class Instance:
    """One exact instance: architecture, data, Lambda, and the seed that drew them (if random)."""

    label: str
    architecture: Architecture
    dataset: Dataset
    regularization: Regularization
    seed: int | None


def make_instances(
    widths: Architecture | Sequence[int] | str,
    *,
    samples: int | None,
    instances: int,
    seed: int,
    data: str | Path | None,
    regularization: str = "generic",
) -> list[Instance]:
    """``instances`` random instances with seeds ``seed, seed+1, ...``, or the one in ``data``."""
    if isinstance(instances, bool) or not isinstance(instances, int) or instances < 1:
        raise InputError("instances", f"is {instances!r}; it must be a positive integer")
    if data is not None:
        if instances != 1:
            raise InputError("instances", "must be 1 with --data (the file holds one instance)")
        architecture, dataset, reg = prepare_instance(widths, samples=samples, seed=seed, data=data,
                                                      regularization=regularization)
        return [Instance(f"file {Path(data).name}", architecture, dataset, reg, None)]
    chosen = []
    for k in range(instances):
        architecture, dataset, reg = prepare_instance(widths, samples=samples, seed=seed + k,
                                                      regularization=regularization)
        chosen.append(Instance(f"{architecture} m={dataset.n_samples} seed {seed + k}", architecture, dataset, reg,
                               seed + k))
    return chosen
