"""Instance resolution: the user's widths, data and regularization as exact objects."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..exceptions import InputError
from ..model.architecture import Architecture
from ..model.data import Dataset, Regularization, load_instance, parse_regularization, random_dataset

__all__ = ["prepare_instance", "parse_architecture"]


def parse_architecture(widths: Architecture | Sequence[int] | str) -> Architecture:
    """An :class:`Architecture` from ``"2,2,2"``, a sequence of ints or an Architecture."""
    if isinstance(widths, Architecture):
        return widths
    return Architecture.parse(widths) if isinstance(widths, str) else Architecture(tuple(widths))


def prepare_instance(
    widths: Architecture | Sequence[int] | str,
    *,
    samples: int | None = None,
    seed: int = 0,
    data: Dataset | str | Path | None = None,
    regularization: Regularization | str = "generic",
) -> tuple[Architecture, Dataset, Regularization]:
    """Resolve the user's options into an architecture, exact data and ``Lambda``."""
    architecture = parse_architecture(widths)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("seed", f"is {seed!r}; it must be a non-negative integer")
    file_regularization = None
    if data is None:
        if samples is None:
            raise InputError("samples", "is missing", "give --samples m for random data, or --data FILE")
        dataset = random_dataset(architecture, samples, seed)
    elif isinstance(data, Dataset):
        dataset = data
    else:
        dataset, file_regularization = load_instance(data, architecture)
        if samples is not None and samples != dataset.n_samples:
            raise InputError("samples", f"is {samples} but the data file has {dataset.n_samples} columns",
                             "drop --samples when giving --data")
    dataset.check_against(architecture)
    if file_regularization is not None:
        chosen = file_regularization
    elif isinstance(regularization, Regularization):
        chosen = regularization
    else:
        chosen = parse_regularization(regularization, architecture, seed)
    return architecture, dataset, chosen
