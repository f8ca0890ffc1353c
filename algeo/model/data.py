"""Exact data for a critical-point problem: ``X``, ``Y`` and the regularization weights ``Lambda``.

Every entry is a :class:`fractions.Fraction`. Data come from a seeded random
draw (:func:`random_dataset`, :func:`generic_regularization`) or from a JSON file
(:func:`load_instance`). The random distribution is documented in
``docs/conventions.md``: entries are drawn uniformly from a grid of spacing
``10^-6``, so any fixed proper algebraic subset of data space (non-generic data) is
hit with probability at most ``degree / (2 * 10^6)`` per coordinate by the
Schwartz-Zippel lemma.
"""

from __future__ import annotations

import enum
import json
import math
import random
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

from .architecture import Architecture
from ..exceptions import InputError

__all__ = [
    "Matrix",
    "Dataset",
    "RegularizationKind",
    "Regularization",
    "random_dataset",
    "generic_regularization",
    "scaled_generic_regularization",
    "scalar_regularization",
    "parse_regularization",
    "load_instance",
    "parse_entry",
    "GRID_DENOMINATOR",
]

#: Entries of random data are ``k / GRID_DENOMINATOR`` with integer ``k``.
GRID_DENOMINATOR = 10**6

Matrix = tuple[tuple[Fraction, ...], ...]


#: decimals beyond 10^+-300 (outside the double range PHCpack reads) are refused at once;
#: ``Fraction(Decimal("1e999999999"))`` would take hours
MAX_DECIMAL_EXPONENT = 300
MAX_DECIMAL_DIGITS = 400


def _in_range(decimal: Decimal) -> bool:
    return abs(decimal.adjusted()) <= MAX_DECIMAL_EXPONENT and len(decimal.as_tuple().digits) <= MAX_DECIMAL_DIGITS


def parse_entry(value: Any, field: str) -> Fraction:
    """Turn an integer, a rational string ``"-3/7"`` or a decimal into an exact Fraction.

    >>> parse_entry("-3/7", "X"), parse_entry(0.25, "X"), parse_entry("1e-2", "X")
    (Fraction(-3, 7), Fraction(1, 4), Fraction(1, 100))
    """
    if isinstance(value, bool) or value is None:
        raise InputError(field, f"entry {value!r} is not a number", "use integers, '-3/7' or decimals")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        if value and math.log10(abs(value)) > MAX_DECIMAL_EXPONENT + 1:
            raise InputError(field, f"integer entry with {len(str(abs(value)))} digits is out of range",
                             f"rescale the data: exponents up to +-{MAX_DECIMAL_EXPONENT} are read")
        return Fraction(value)
    if isinstance(value, (float, Decimal)):
        if not math.isfinite(value):
            raise InputError(field, f"entry {value!r} is not finite", "give a finite number")
        return Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    if isinstance(value, str):
        text = value.strip()
        decimal = None
        try:
            if "/" in text:
                numerator, denominator = text.split("/")
                result = Fraction(int(numerator), int(denominator))
            else:
                decimal = Decimal(text)
                result = Fraction(decimal) if decimal.is_finite() and _in_range(decimal) else None
        except (ValueError, ZeroDivisionError, InvalidOperation):
            raise InputError(
                field, f"entry {value!r} is not a number", "use integers, '-3/7' or decimals"
            ) from None
        if result is None and decimal.is_finite():
            raise InputError(field, f"entry {value!r} is out of range (decimal exponent {decimal.adjusted()}, "
                             f"{len(decimal.as_tuple().digits)} digits)",
                             f"rescale the data: exponents up to +-{MAX_DECIMAL_EXPONENT} and at most "
                             f"{MAX_DECIMAL_DIGITS} digits are read")
        if result is None:
            raise InputError(field, f"entry {value!r} is not finite", "give a finite number")
        return result
    raise InputError(field, f"entry {value!r} is not a number", "use integers, '-3/7' or decimals")


def _parse_matrix(value: Any, field: str, shape: tuple[int | None, int | None]) -> Matrix:
    rows_expected, cols_expected = shape
    if not isinstance(value, (list, tuple)) or not value:
        raise InputError(field, "must be a non-empty list of rows", f"expected shape {_shape_text(shape)}")
    rows = []
    for i, row in enumerate(value):
        if not isinstance(row, (list, tuple)):
            raise InputError(field, f"row {i} is not a list", f"expected shape {_shape_text(shape)}")
        rows.append(tuple(parse_entry(entry, f"{field}[{i}]") for entry in row))
    lengths = {len(row) for row in rows}
    if len(lengths) != 1:
        raise InputError(field, f"rows have different lengths {sorted(lengths)}", "every row needs the same length")
    n_rows, n_cols = len(rows), lengths.pop()
    if (rows_expected is not None and n_rows != rows_expected) or (
        cols_expected is not None and n_cols != cols_expected
    ):
        raise InputError(
            field, f"has shape {n_rows}x{n_cols}, expected {_shape_text(shape)}", "fix the matrix or --widths"
        )
    if n_cols == 0:
        raise InputError(field, "has no columns", f"expected shape {_shape_text(shape)}")
    return tuple(rows)


def _shape_text(shape: tuple[int | None, int | None]) -> str:
    return "x".join("?" if n is None else str(n) for n in shape)


def matrix_to_json(matrix: Matrix) -> list[list[str]]:
    """Exact JSON form: every entry as ``"p/q"`` (or ``"p"``)."""
    return [[str(entry) for entry in row] for row in matrix]


@dataclass(frozen=True)
class Dataset:
    """Inputs ``X`` (``d_0 x m``) and targets ``Y`` (``d_H x m``); columns are samples."""

    X: Matrix
    Y: Matrix
    source: str = "given"

    @property
    def n_samples(self) -> int:
        return len(self.X[0])

    def check_against(self, architecture: Architecture) -> None:
        """Raise :class:`InputError` when the shapes do not fit the architecture."""
        if len(self.X) != architecture.input_width:
            raise InputError("X", f"has {len(self.X)} rows, but widths start with {architecture.input_width}",
                             "X must be d0 x m")
        if len(self.Y) != architecture.output_width:
            raise InputError("Y", f"has {len(self.Y)} rows, but widths end with {architecture.output_width}",
                             "Y must be dH x m")
        if len(self.Y[0]) != len(self.X[0]):
            raise InputError("Y", f"has {len(self.Y[0])} columns but X has {len(self.X[0])}",
                             "X and Y need one column per sample")

    def to_json(self) -> dict:
        return {"X": matrix_to_json(self.X), "Y": matrix_to_json(self.Y), "source": self.source}


class RegularizationKind(str, enum.Enum):
    """How ``Lambda`` was chosen."""

    GENERIC = "generic"
    SCALAR = "scalar"
    GIVEN = "given"
    NONE = "none"


@dataclass(frozen=True)
class Regularization:
    """Entrywise weights ``Lambda_l`` (one matrix per ``W_l``) of ``1/2 sum lambda_ij w_ij^2``."""

    kind: RegularizationKind
    Lambda: tuple[Matrix, ...]
    description: str = ""

    @property
    def is_zero(self) -> bool:
        return all(entry == 0 for matrix in self.Lambda for row in matrix for entry in row)

    def to_json(self) -> dict:
        return {
            "kind": self.kind.value,
            "description": self.description,
            "convention": "L = 1/2 ||W_H...W_1 X - Y||_F^2 + 1/2 sum_l sum_ij Lambda_l[i,j] W_l[i,j]^2; "
            "gradient block dL/dW_l = U_l^T (Wbar X X^T - Y X^T) V_l^T + Lambda_l o W_l",
            "Lambda": [matrix_to_json(matrix) for matrix in self.Lambda],
        }


def _grid_entry(rng: random.Random, low: int, high: int) -> Fraction:
    return Fraction(rng.randint(low, high), GRID_DENOMINATOR)


def random_dataset(architecture: Architecture, n_samples: int, seed: int) -> Dataset:
    """Draw ``X`` and ``Y`` with entries uniform on ``{k / 10^6 : |k| <= 10^6}`` (seeded).

    >>> data = random_dataset(Architecture((2, 1, 2)), 3, seed=7)
    >>> len(data.X), len(data.X[0]), data.X == random_dataset(Architecture((2, 1, 2)), 3, seed=7).X
    (2, 3, True)
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples <= 0:
        raise InputError("samples", f"is {n_samples!r}; it must be a positive integer")
    rng = random.Random(f"algeo-data-{seed}")
    draw = lambda rows: tuple(
        tuple(_grid_entry(rng, -GRID_DENOMINATOR, GRID_DENOMINATOR) for _ in range(n_samples))
        for _ in range(rows)
    )
    X = draw(architecture.input_width)
    Y = draw(architecture.output_width)
    return Dataset(X, Y, source=f"random: entries uniform on {{k/10^6 : |k| <= 10^6}}, seed {seed}")


def generic_regularization(architecture: Architecture, seed: int) -> Regularization:
    """Entrywise ``Lambda`` uniform on ``{k / 10^6 : 1 <= k <= 10^6}`` (positive, seeded)."""
    rng = random.Random(f"algeo-lambda-{seed}")
    Lambda = tuple(
        tuple(tuple(_grid_entry(rng, 1, GRID_DENOMINATOR) for _ in range(cols)) for _ in range(rows))
        for rows, cols in architecture.shapes
    )
    return Regularization(
        RegularizationKind.GENERIC, Lambda,
        f"generic: entries uniform on {{k/10^6 : 1 <= k <= 10^6}}, seed {seed}",
    )


def scalar_regularization(architecture: Architecture, value: Fraction) -> Regularization:
    Lambda = tuple(tuple(tuple(value for _ in range(cols)) for _ in range(rows)) for rows, cols in architecture.shapes)
    kind = RegularizationKind.NONE if value == 0 else RegularizationKind.SCALAR
    return Regularization(kind, Lambda, f"scalar lambda = {value}")


def scaled_generic_regularization(architecture: Architecture, seed: int, scale: Fraction) -> Regularization:
    """``scale`` times the generic ``Lambda`` of ``seed``: the same directions, any size (``generic*SCALE``).

    >>> a = Architecture((1, 1, 1))
    >>> scaled_generic_regularization(a, 3, Fraction(1, 10)).Lambda[0][0][0] * 10 == generic_regularization(a, 3).Lambda[0][0][0]
    True
    """
    base = generic_regularization(architecture, seed)
    Lambda = tuple(tuple(tuple(scale * entry for entry in row) for row in matrix) for matrix in base.Lambda)
    return Regularization(RegularizationKind.GENERIC, Lambda,
                          f"generic times {scale}: entries uniform on {{k/10^6 : 1 <= k <= 10^6}} times {scale}, "
                          f"seed {seed}")


def parse_regularization(text: str, architecture: Architecture, seed: int) -> Regularization:
    """Interpret ``--regularization``: ``generic``, ``generic*SCALE``, ``none`` or a scalar such as ``1/10``."""
    word = str(text).strip().lower()
    if word == "generic":
        return generic_regularization(architecture, seed)
    if word.startswith("generic*"):
        try:
            scale = parse_entry(word.removeprefix("generic*").strip(), "regularization")
        except InputError:
            scale = None
        if scale is None or scale <= 0:
            raise InputError("regularization", f"{text!r} needs a positive scale after 'generic*'",
                             "write generic*1/100 or generic*0.01")
        return scaled_generic_regularization(architecture, seed, scale)
    if word in ("none", "0"):
        return scalar_regularization(architecture, Fraction(0))
    try:
        value = parse_entry(word, "regularization")
    except InputError:
        raise InputError(
            "regularization", f"unknown value {text!r}", "use generic, generic*SCALE, none, or a scalar such as 1/10"
        ) from None
    if value <= 0:
        raise InputError("regularization", f"scalar {text!r} must be positive", "use none for no regularization")
    return scalar_regularization(architecture, value)


def _read_json(path: Path) -> dict:
    def reject_constant(name: str):
        raise InputError(str(path), f"contains {name}, which is not a finite number", "give finite numbers")

    try:
        text = path.read_text()
    except FileNotFoundError:
        raise InputError("data", f"file {str(path)!r} does not exist", "check the path given to --data") from None
    except OSError as error:
        raise InputError("data", f"cannot read {str(path)!r}: {error.strerror}") from None
    try:
        content = json.loads(text, parse_float=Decimal, parse_constant=reject_constant)
    except json.JSONDecodeError as error:
        raise InputError(
            "data", f"{str(path)!r} is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})",
            "the file may be truncated",
        ) from None
    if not isinstance(content, dict):
        raise InputError("data", f"{str(path)!r} must hold a JSON object with keys X, Y and optionally Lambda")
    return content


def load_instance(path: str | Path, architecture: Architecture) -> tuple[Dataset, Regularization | None]:
    """Read ``{"X": ..., "Y": ..., "Lambda": [...]}``; ``Lambda`` is optional (then ``None``)."""
    path = Path(path)
    content = _read_json(path)
    for key in ("X", "Y"):
        if key not in content:
            raise InputError(key, f"missing from {str(path)!r}", 'the file needs "X" (d0 x m) and "Y" (dH x m)')
    X = _parse_matrix(content["X"], "X", (architecture.input_width, None))
    Y = _parse_matrix(content["Y"], "Y", (architecture.output_width, len(X[0])))
    dataset = Dataset(X, Y, source=f"file {path.name}")
    regularization = None
    if "Lambda" in content and content["Lambda"] is not None:
        raw = content["Lambda"]
        if not isinstance(raw, list) or len(raw) != architecture.depth:
            found = len(raw) if isinstance(raw, list) else type(raw).__name__
            raise InputError(
                "Lambda", f"needs {architecture.depth} matrices (one per weight matrix), got {found}",
                "give one matrix per W_l with W_l's shape",
            )
        Lambda = tuple(
            _parse_matrix(matrix, f"Lambda[{l}]", shape) for l, (matrix, shape) in enumerate(zip(raw, architecture.shapes))
        )
        regularization = Regularization(RegularizationKind.GIVEN, Lambda, f"given in {path.name}")
        if regularization.is_zero:
            regularization = Regularization(RegularizationKind.NONE, Lambda, f"zero Lambda given in {path.name}")
    return dataset, regularization


def exact_rank(matrix: Sequence[Sequence[Fraction]]) -> int:
    """Rank over QQ by fraction-exact Gaussian elimination."""
    rows = [list(row) for row in matrix]
    rank = 0
    n_cols = len(rows[0]) if rows else 0
    for col in range(n_cols):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col] / rows[rank][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank])]
        rank += 1
    return rank


def degeneracy_warnings(dataset: Dataset, regularization: Regularization) -> tuple[str, ...]:
    """Exact checks for data that are visibly not generic; each returns a sentence."""
    warnings = []
    X, Y = dataset.X, dataset.Y
    m = dataset.n_samples
    for name, matrix in (("X", X), ("Y", Y)):
        for i, row in enumerate(matrix):
            if all(entry == 0 for entry in row):
                warnings.append(f"{name} row {i} is zero: the data are not generic")
        rank = exact_rank(matrix)
        if rank < min(len(matrix), m):
            warnings.append(
                f"{name} has rank {rank} < min({len(matrix)}, {m}): rank-deficient "
                f"{name}{name}^T beyond what m forces; the data are not generic"
            )
    if regularization.kind is not RegularizationKind.NONE:
        zeros = sum(entry == 0 for matrix in regularization.Lambda for row in matrix for entry in row)
        if zeros:
            warnings.append(f"Lambda has {zeros} zero entries: critical points may not be isolated")
        if regularization.kind is RegularizationKind.SCALAR:
            warnings.append(
                "a scalar Lambda leaves an orthogonal symmetry: critical points are not isolated "
                "(REFERENCE.md section 1); use generic or entrywise Lambda"
            )
    return tuple(warnings)
