"""One-hidden-layer ReLU networks and their exact data (REFERENCE.md section 5).

The network is ``F(x) = V relu(W x + b)`` with ``W`` of shape ``d1 x d0``, optional bias
``b`` (length ``d1``) and output layer ``V`` (``dy x d1``); no output bias. Inputs ``X``
(``d0 x n``) and targets ``Y`` (``dy x n``) are exact :class:`~fractions.Fraction` matrices.
With a bias, the *augmented* input of sample ``j`` is ``(x_j, 1)`` so that a neuron's
pre-activation is ``w~_i . x~_j`` with ``w~_i = (w_i, b_i)``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Sequence

from ..model.data import GRID_DENOMINATOR, Matrix, _parse_matrix, _read_json, matrix_to_json
from ..exceptions import InputError

__all__ = ["ReluArchitecture", "ReluData", "random_relu_data", "load_relu_data", "parse_relu_widths",
           "resolve_relu_data"]


@dataclass(frozen=True)
class ReluArchitecture:
    """Widths ``d0`` (input), ``d1`` (hidden ReLU units), ``dy`` (output) and whether ``b`` exists.

    >>> a = ReluArchitecture(1, 2, 1, bias=True)
    >>> a.neuron_dimension, a.n_parameters, a.variable_names
    (2, 6, ('w1_1_1', 'b1_1', 'w1_2_1', 'b1_2', 'w2_1_1', 'w2_1_2'))
    """

    d0: int
    d1: int
    dy: int = 1
    bias: bool = False

    def __post_init__(self) -> None:
        for name in ("d0", "d1", "dy"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise InputError("widths", f"{name} is {value!r}; it must be a positive integer")

    @property
    def neuron_dimension(self) -> int:
        """Number of first-layer parameters per neuron: ``d0`` (+1 with a bias)."""
        return self.d0 + (1 if self.bias else 0)

    @property
    def n_parameters(self) -> int:
        return self.d1 * self.neuron_dimension + self.dy * self.d1

    @property
    def variable_names(self) -> tuple[str, ...]:
        """First layer neuron by neuron (``w1_i_j`` then ``b1_i``), then ``V`` row-major (``w2_k_i``)."""
        names = []
        for i in range(1, self.d1 + 1):
            names += [f"w1_{i}_{j}" for j in range(1, self.d0 + 1)]
            if self.bias:
                names.append(f"b1_{i}")
        names += [f"w2_{k}_{i}" for k in range(1, self.dy + 1) for i in range(1, self.d1 + 1)]
        return tuple(names)

    def to_json(self) -> dict:
        return {"d0": self.d0, "d1": self.d1, "dy": self.dy, "bias": self.bias}

    @classmethod
    def from_json(cls, data: dict) -> "ReluArchitecture":
        return cls(data["d0"], data["d1"], data["dy"], bias=data["bias"])

    def __str__(self) -> str:
        return f"{self.d0},{self.d1},{self.dy}" + (" with bias" if self.bias else " without bias")


def parse_relu_widths(text: str, *, bias: bool, output: bool) -> ReluArchitecture:
    """``"d0,d1"`` (``output=False``, regions) or ``"d0,d1,dy"`` (``output=True``, solve)."""
    parts = [part.strip() for part in str(text).split(",")]
    expected = 3 if output else 2
    example = "1,2,1" if output else "2,3"
    if len(parts) != expected:
        raise InputError("widths", f"needs {expected} entries, got {len(parts)} in {text!r}", f"example: {example}")
    try:
        values = [int(part) for part in parts]
    except ValueError:
        raise InputError("widths", f"{text!r} has an entry that is not an integer", f"example: {example}") from None
    return ReluArchitecture(values[0], values[1], values[2] if output else 1, bias=bias)


@dataclass(frozen=True)
class ReluData:
    """Inputs ``X`` (``d0 x n``) and, when a loss is needed, targets ``Y`` (``dy x n``)."""

    X: Matrix
    Y: Matrix | None
    source: str

    @property
    def n_samples(self) -> int:
        return len(self.X[0])

    def augmented_inputs(self, bias: bool) -> tuple[tuple[Fraction, ...], ...]:
        """Samples as rows ``x~_j``: ``x_j`` or ``(x_j, 1)`` with a bias."""
        columns = tuple(tuple(row[j] for row in self.X) for j in range(self.n_samples))
        return tuple(column + (Fraction(1),) for column in columns) if bias else columns

    def to_json(self) -> dict:
        data = {"X": matrix_to_json(self.X), "source": self.source}
        if self.Y is not None:
            data["Y"] = matrix_to_json(self.Y)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "ReluData":
        """The data :meth:`to_json` wrote (exact rationals)."""
        exact = lambda rows: tuple(tuple(Fraction(v) for v in row) for row in rows)  # noqa: E731
        return cls(exact(data["X"]), exact(data["Y"]) if "Y" in data else None, data["source"])


def _draw(rng: random.Random, rows: int, cols: int) -> Matrix:
    return tuple(tuple(Fraction(rng.randint(-GRID_DENOMINATOR, GRID_DENOMINATOR), GRID_DENOMINATOR)
                       for _ in range(cols)) for _ in range(rows))


def random_relu_data(architecture: ReluArchitecture, n_samples: int, *, seed: int, targets: bool) -> ReluData:
    """Entries uniform on ``{k/10^6 : |k| <= 10^6}`` (seeded), like :func:`algeo.model.data.random_dataset`.

    >>> a = ReluArchitecture(2, 3)
    >>> random_relu_data(a, 4, seed=1, targets=False).X == random_relu_data(a, 4, seed=1, targets=False).X
    True
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples <= 0:
        raise InputError("samples", f"is {n_samples!r}; it must be a positive integer")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("seed", f"is {seed!r}; it must be a non-negative integer")
    rng = random.Random(f"algeo-relu-data-{seed}")
    X = _draw(rng, architecture.d0, n_samples)
    Y = _draw(rng, architecture.dy, n_samples) if targets else None
    return ReluData(X, Y, f"random: entries uniform on {{k/10^6 : |k| <= 10^6}}, seed {seed}")


def load_relu_data(path: str | Path, architecture: ReluArchitecture, *, targets: bool) -> ReluData:
    """Read ``{"X": [[...]], "Y": [[...]]}`` (``Y`` required only when ``targets``)."""
    path = Path(path)
    content = _read_json(path)
    if "X" not in content:
        raise InputError("X", f"missing from {str(path)!r}", 'the file needs "X" (d0 x n)')
    X = _parse_matrix(content["X"], "X", (architecture.d0, None))
    Y = None
    if targets:
        if "Y" not in content:
            raise InputError("Y", f"missing from {str(path)!r}", 'relu solve needs "Y" (dy x n)')
        Y = _parse_matrix(content["Y"], "Y", (architecture.dy, len(X[0])))
    return ReluData(X, Y, f"file {path.name}")


def resolve_relu_data(architecture: ReluArchitecture, *, samples: int | None, seed: int,
                      data: "ReluData | str | Path | None", targets: bool) -> ReluData:
    """Random data (``samples`` columns, ``seed``) or a file / given :class:`ReluData`."""
    if data is None:
        if samples is None:
            raise InputError("samples", "is missing", "give --samples n for random data, or --data FILE")
        return random_relu_data(architecture, samples, seed=seed, targets=targets)
    if isinstance(data, ReluData):
        loaded = data
    else:
        loaded = load_relu_data(data, architecture, targets=targets)
    if samples is not None and samples != loaded.n_samples:
        raise InputError("samples", f"is {samples} but the data have {loaded.n_samples} columns",
                         "drop --samples when giving --data")
    if len(loaded.X) != architecture.d0:
        raise InputError("X", f"has {len(loaded.X)} rows but d0 = {architecture.d0}", "X must be d0 x n")
    if targets and (loaded.Y is None or len(loaded.Y) != architecture.dy):
        raise InputError("Y", f"needs {architecture.dy} rows of targets", "Y must be dy x n")
    return loaded


def as_fraction_matrix(rows: Sequence[Sequence]) -> Matrix:
    return tuple(tuple(Fraction(entry) for entry in row) for row in rows)
