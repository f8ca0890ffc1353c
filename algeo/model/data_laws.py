"""Data laws other than the project's own: the data people type, for tests and benchmarks.

Each law gives an instance ``(Dataset, Regularization)`` as a user would write it in a data
file (``algeo solve --data``), seeded:

- ``integers``: X, Y entries integers uniform on ``[-10, 10]``, Lambda entries ``k / 97``
  (``1 <= k <= 96``);
- ``decimals``: X, Y entries decimals with three significant digits and magnitudes spread
  over ``1e-3 ... 1e3`` (random sign and exponent), Lambda entries decimals on
  ``1e-2 ... 1e1``; read exactly, as :func:`algeo.model.data.parse_entry` reads ``"3.27e-2"``;
- ``random``: the project's law (:func:`random_dataset`, :func:`generic_regularization`).

>>> from algeo.model.architecture import Architecture
>>> data, reg = instance(Architecture((1, 1, 1)), 2, "integers", 3)
>>> all(abs(x) <= 10 and x.denominator == 1 for row in data.X for x in row)
True
>>> all(e.denominator == 97 for m in reg.Lambda for row in m for e in row)
True
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

from .architecture import Architecture
from .data import Dataset, Regularization, RegularizationKind, generic_regularization, random_dataset

__all__ = ["LAWS", "instance", "instance_json"]

LAWS = ("integers", "decimals", "random")


def _decimal(rng: random.Random, low_exponent: int, high_exponent: int, signed: bool) -> Fraction:
    mantissa = rng.randint(100, 999)
    exponent = rng.randint(low_exponent, high_exponent) - 2
    sign = -1 if signed and rng.random() < 0.5 else 1
    return Fraction(Decimal(f"{sign * mantissa}e{exponent}"))


def instance(architecture: Architecture, samples: int, law: str, seed: int) -> tuple[Dataset, Regularization]:
    """An instance of ``law`` (one of :data:`LAWS`) with ``samples`` data columns."""
    if law == "random":
        return random_dataset(architecture, samples, seed), generic_regularization(architecture, seed)
    rng = random.Random(f"algeo-law-{law}-{seed}")
    if law == "integers":
        entry = lambda: Fraction(rng.randint(-10, 10))
        weight = lambda: Fraction(rng.randint(1, 96), 97)
    elif law == "decimals":
        entry = lambda: _decimal(rng, -3, 3, signed=True)
        weight = lambda: _decimal(rng, -2, 1, signed=False)
    else:
        from ..exceptions import InputError

        raise InputError("law", f"unknown data law {law!r}", f"use one of {', '.join(LAWS)}")
    matrix = lambda rows, cols, draw: tuple(tuple(draw() for _ in range(cols)) for _ in range(rows))
    dataset = Dataset(matrix(architecture.input_width, samples, entry), matrix(architecture.output_width, samples, entry),
                      source=f"data law {law}, seed {seed}")
    Lambda = tuple(matrix(rows, cols, weight) for rows, cols in architecture.shapes)
    return dataset, Regularization(RegularizationKind.GIVEN, Lambda, f"data law {law}, seed {seed}")


def instance_json(architecture: Architecture, samples: int, law: str, seed: int) -> dict:
    """The instance as a user's data file: ``{"X", "Y", "Lambda"}`` with exact rational strings."""
    from .data import matrix_to_json

    dataset, regularization = instance(architecture, samples, law, seed)
    return {"X": matrix_to_json(dataset.X), "Y": matrix_to_json(dataset.Y),
            "Lambda": [matrix_to_json(m) for m in regularization.Lambda]}
