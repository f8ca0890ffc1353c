"""Results of :func:`algeo.solve`: frozen dataclasses, statuses as enums, JSON out.

The JSON schema is documented in ``docs/json-schema.md``.
"""

from __future__ import annotations

import enum
import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from fractions import Fraction
from pathlib import Path
from typing import Any

import mpmath

from ..exceptions import InputError
from .certificate import PointCertificate
from .display import data_frame, summary_html
from .statuses import PathStatus

__all__ = ["PathStatus", "PathEnd", "CriticalPoint", "Counts", "Bounds", "SolveResult", "write_json_atomically",
           "decimal_text", "to_fraction", "NonFiniteError", "expect_kind"]


def decimal_text(value, digits: int) -> str:
    """``value`` (an mpf) as decimal text with ``digits`` significant digits; ``"0"`` for zero.

    ``mpmath.nstr`` prints the value's own bits, whatever the working precision.
    """
    return mpmath.nstr(value, digits, strip_zeros=False) if value != 0 else "0"


class NonFiniteError(OverflowError, ValueError):
    """An infinite or NaN number has no rational value (an unbounded enclosure proves nothing)."""


def to_fraction(value) -> Fraction:
    """The exact rational a finite ``mpf``, int, float, Fraction or decimal string denotes, without rounding.

    The one conversion every stage uses (certification, msolve's boxes, the theorem checks).
    Raises :class:`NonFiniteError` (an ``OverflowError`` and a ``ValueError``) for +-inf and NaN.
    """
    if hasattr(value, "_mpf_"):
        if not mpmath.isfinite(value):
            raise NonFiniteError(f"{value} has no rational value")
        return Fraction(*mpmath.libmp.to_rational(value._mpf_))
    if isinstance(value, float) and not math.isfinite(value):
        raise NonFiniteError(f"{value} has no rational value")
    return Fraction(value)


def expect_kind(data: dict, *kinds: str) -> str:
    """``data["algeo_result"]`` when it is one of ``kinds``; an :class:`InputError` naming the field otherwise."""
    if not isinstance(data, dict):
        raise InputError("algeo_result", f"expected a JSON object, got {type(data).__name__}",
                         "give the dictionary an algeo command wrote")
    found = data.get("algeo_result")
    if found not in kinds:
        raise InputError("algeo_result", f"is {found!r}, expected {' or '.join(map(repr, kinds))}",
                         "load the file with algeo.load_result, which picks the right type")
    return found


@dataclass(frozen=True)
class PathEnd:
    """One tracked path as PHCpack reported it, and the critical point it gave (if any)."""

    index: int
    phase: int
    status: PathStatus
    phc_label: str
    t: float
    multiplicity: int
    err: float
    rco: float
    res: float
    point: int | None  # index into SolveResult.points, None when no finite solution

    def to_json(self) -> dict:
        return {"index": self.index, "phase": self.phase, "status": self.status.value, "phc_label": self.phc_label,
                "t": self.t, "multiplicity": self.multiplicity, "err": self.err, "rco": self.rco, "res": self.res,
                "point": self.point}

    @classmethod
    def from_json(cls, data: dict) -> "PathEnd":
        """The path :meth:`to_json` wrote."""
        return cls(index=data["index"], phase=data["phase"], status=PathStatus(data["status"]),
                   phc_label=data["phc_label"], t=data["t"], multiplicity=data["multiplicity"], err=data["err"],
                   rco=data["rco"], res=data["res"], point=data["point"])


@dataclass(frozen=True)
class CriticalPoint:
    """A distinct finite solution of the gradient system, refined at high precision."""

    index: int
    coordinates: tuple[complex, ...]  # double precision copy
    #: the refined coordinates as ``mpmath.mpc`` at ``digits`` digits: what certification and
    #: the theorem checks read (never the decimal text of the JSON)
    refined: tuple = field(compare=False, repr=False)
    digits: int
    is_real: bool
    has_zero_coordinate: bool
    residual: float  # max |F| after refinement, on the exact system
    newton_step: float  # max-norm of the last Newton step
    converged: bool
    condition: float  # condition number of the Jacobian (2-norm) at the refined point
    singular: bool
    paths: tuple[int, ...]  # indices of the paths that ended here
    max_imaginary: float
    loss: float | None = None  # real points only
    loss_text: str | None = None
    hessian_eigenvalues: tuple[float, ...] | None = None
    index_of_hessian: int | None = None  # number of negative eigenvalues
    hessian_singular: bool | None = None
    is_global: bool | None = None
    certificate: PointCertificate | None = None  # set by solve(..., certify=True)
    #: no PHCpack path ended here: the point is the image of a found one under a symmetry
    #: of the system (algeo.model.symmetry), refined on the exact system
    recovered_by_symmetry: bool = False
    #: False for the start points of the unregularized mode (its ``Lambda_0`` system): refined and counted,
    #: but no loss, Hessian or real refinement, and no decimal text in the JSON (they only start continuations)
    classified: bool = True

    @property
    def coordinates_text(self) -> tuple[tuple[str, str], ...]:
        """``(re, im)`` decimal text at ``digits`` digits: for JSON only."""
        return tuple((decimal_text(z.real, self.digits), decimal_text(z.imag, self.digits)) for z in self.refined)

    def exact_real_coordinates(self) -> list[Fraction]:
        """The real parts of the refined coordinates as exact rationals (the binary values, no rounding)."""
        return [to_fraction(z.real) for z in self.refined]  # .real: no rounding to the working precision

    @property
    def is_local_minimum(self) -> bool:
        return bool(self.is_real and self.index_of_hessian == 0 and not self.hessian_singular)

    def to_json(self) -> dict:
        entry: dict[str, Any] = {
            "index": self.index,
            "coordinates": [[z.real, z.imag] for z in self.coordinates],
            "coordinates_text": [list(pair) for pair in self.coordinates_text] if self.classified else None,
            "real": self.is_real,
            "zero_coordinate": self.has_zero_coordinate,
            "residual": self.residual,
            "newton_step": self.newton_step,
            "converged": self.converged,
            "condition": self.condition,
            "singular": self.singular,
            "paths": list(self.paths),
            "max_imaginary": self.max_imaginary,
            "recovered_by_symmetry": self.recovered_by_symmetry,
        }
        if not self.classified:
            entry["classified"] = False
        elif self.is_real:
            entry.update(
                loss=self.loss, loss_text=self.loss_text, hessian_index=self.index_of_hessian,
                hessian_eigenvalues=None if self.hessian_eigenvalues is None else list(self.hessian_eigenvalues),
                hessian_singular=self.hessian_singular,
                local_minimum=self.is_local_minimum, **{"global": self.is_global},
            )
        if self.certificate is not None:
            entry["certificate"] = self.certificate.to_json()
        return entry

    @classmethod
    def from_json(cls, data: dict, *, digits: int) -> "CriticalPoint":
        """The point :meth:`to_json` wrote, refined coordinates read from ``coordinates_text`` at ``digits``.

        ``refined`` holds the decimal text's values (a few guard digits above ``digits``), so
        ``coordinates_text`` is the text that was written; the binary values the solver had
        beyond those digits are not in the JSON.
        """
        with mpmath.workdps(digits + 5):
            refined = tuple(mpmath.mpc(mpmath.mpf(re), mpmath.mpf(im)) for re, im in data["coordinates_text"]) \
                if data.get("coordinates_text") is not None else \
                tuple(mpmath.mpc(re, im) for re, im in data["coordinates"])  # an unclassified start point
        real = data["real"]
        certificate = data.get("certificate")
        return cls(
            index=data["index"], coordinates=tuple(complex(re, im) for re, im in data["coordinates"]),
            refined=refined, digits=digits, is_real=real, has_zero_coordinate=data["zero_coordinate"],
            residual=data["residual"], newton_step=data["newton_step"], converged=data["converged"],
            condition=data["condition"], singular=data["singular"], paths=tuple(data["paths"]),
            max_imaginary=data["max_imaginary"],
            loss=data.get("loss"), loss_text=data.get("loss_text"),
            hessian_eigenvalues=(None if data.get("hessian_eigenvalues") is None
                                 else tuple(data["hessian_eigenvalues"])),
            index_of_hessian=data.get("hessian_index"), hessian_singular=data.get("hessian_singular"),
            is_global=data.get("global"),
            certificate=PointCertificate.from_json(certificate) if certificate is not None else None,
            recovered_by_symmetry=data.get("recovered_by_symmetry", False),
            classified=data.get("classified", True),
        )


@dataclass(frozen=True)
class Counts:
    complex: int
    nonzero: int
    real: int
    paths: int
    regular: int
    singular: int
    at_infinity: int
    failed: int
    local_minima: int
    index: dict[int, int]
    extra: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        data = {k: getattr(self, k) for k in ("complex", "nonzero", "real", "paths", "regular", "singular",
                                               "at_infinity", "failed", "local_minima")}
        data["index"] = {str(k): v for k, v in sorted(self.index.items())}
        data.update(self.extra)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Counts":
        """The counts :meth:`to_json` wrote; keys beyond the fixed ones go to ``extra``."""
        fixed = ("complex", "nonzero", "real", "paths", "regular", "singular", "at_infinity", "failed",
                 "local_minima")
        return cls(**{k: data[k] for k in fixed}, index={int(k): v for k, v in data["index"].items()},
                   extra={k: v for k, v in data.items() if k not in fixed and k != "index"})


@dataclass(frozen=True)
class Bounds:
    total_degree: int
    mixed_volume: int | None
    stable_mixed_volume: int | None

    def to_json(self) -> dict:
        return {"total_degree": self.total_degree, "mixed_volume": self.mixed_volume,
                "stable_mixed_volume": self.stable_mixed_volume}

    @classmethod
    def from_json(cls, data: dict) -> "Bounds":
        return cls(data["total_degree"], data["mixed_volume"], data["stable_mixed_volume"])


@dataclass(frozen=True)
class SolveResult:
    """Everything one run found, with how it was made. ``ok`` is False when a check failed."""

    widths: tuple[int, ...]
    counts: Counts
    bounds: Bounds
    points: tuple[CriticalPoint, ...]
    paths: tuple[PathEnd, ...]
    provenance: dict
    warnings: tuple[str, ...]
    problems: tuple[str, ...]  # failed checks: the CLI exits non-zero
    diagnostics: dict

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def real_points(self) -> tuple[CriticalPoint, ...]:
        return tuple(p for p in self.points if p.is_real)

    @property
    def local_minima(self) -> tuple[CriticalPoint, ...]:
        return tuple(p for p in self.points if p.is_local_minimum)

    def to_json(self) -> dict:
        return {
            "algeo_result": "solve",
            "schema_version": 1,
            "ok": self.ok,
            "widths": list(self.widths),
            "counts": self.counts.to_json(),
            "bounds": self.bounds.to_json(),
            "points": [p.to_json() for p in self.points],
            "paths": [p.to_json() for p in self.paths],
            "provenance": self.provenance,
            "warnings": list(self.warnings),
            "problems": list(self.problems),
            "diagnostics": self.diagnostics,
        }

    @classmethod
    def from_json(cls, data: dict) -> "SolveResult":
        """The result :meth:`to_json` wrote (``algeo solve --json``): ``from_json(r.to_json()) == r``.

        Points get their ``refined`` coordinates back from ``coordinates_text`` at
        ``provenance.digits`` (see :meth:`CriticalPoint.from_json`).
        """
        expect_kind(data, "solve")
        return cls(**cls._fields_from_json(data))

    @staticmethod
    def _fields_from_json(data: dict) -> dict:
        digits = data["provenance"]["digits"]
        return dict(widths=tuple(data["widths"]), counts=Counts.from_json(data["counts"]),
                    bounds=Bounds.from_json(data["bounds"]),
                    points=tuple(CriticalPoint.from_json(p, digits=digits) for p in data["points"]),
                    paths=tuple(PathEnd.from_json(p) for p in data["paths"]), provenance=data["provenance"],
                    warnings=tuple(data["warnings"]), problems=tuple(data["problems"]),
                    diagnostics=data["diagnostics"])

    def summary(self) -> str:
        """A short text in the spirit of HomotopyContinuation.jl's ``Result``."""
        c, b, p = self.counts, self.bounds, self.provenance
        index_text = ", ".join(f"{k}: {v}" for k, v in sorted(c.index.items())) or "none"
        method = p.get("method") or {}
        images = method.get("paths_by_sign_flip") or 0
        tracked = (f"{c.paths} paths ({c.paths - images} tracked, {images} as sign-flip images)" if images
                   else f"{c.paths} paths tracked")
        if method.get("name") == "msolve_parametrization":
            tracked = f"{c.paths} solutions of msolve's exact parametrization (no path tracked)"
        lines = [
            f"SolveResult  widths {','.join(map(str, self.widths))}  samples {p['samples']}  "
            f"regularization {p['regularization']['kind']}",
            f"• {tracked}: {c.regular} regular, {c.singular} singular, "
            f"{c.at_infinity} at infinity, {c.failed} failed",
            f"• bounds: total degree {b.total_degree}, mixed volume {b.mixed_volume}, "
            f"stable mixed volume {b.stable_mixed_volume}",
            f"• N_C = {c.complex} distinct finite solutions, N_C* = {c.nonzero} without zero coordinate, "
            f"N_R = {c.real} real",
            f"• real points by Hessian index: {index_text}; local minima: {c.local_minima}",
            self._exact_line(),
            *([f"• certified (Krawczyk): {c.extra['certified']} points, {c.extra['certified_distinct']} distinct, "
               f"{c.extra['certified_real']} real, {c.extra['certified_minima']} local minima"]
              if "certified" in c.extra else []),
            f"• seed {p['seed']}, backend {p['backend']['name']} (PHCpack seed {p['backend']['phc_seed']}, "
            f"{len(p['backend']['attempts'])} attempt(s)), {p['digits']} digits, {p['wall_time_seconds']:.1f} s",
        ]
        lines += [f"! warning: {w}" for w in self.warnings]
        lines += [f"✗ problem: {q}" for q in self.problems]
        return "\n".join(lines)

    def _exact_line(self) -> str:
        extra = self.counts.extra
        if extra.get("exact_complex") is not None:
            agree = (extra["exact_complex"], extra["exact_real"]) == (self.counts.complex, self.counts.real)
            return (f"• exact (msolve over QQ, {extra['exact_seconds']:.1f} s): N_C = {extra['exact_complex']}, "
                    f"N_C* = {extra['exact_nonzero']}, N_R = {extra['exact_real']}; "
                    f"{'agree' if agree else 'DISAGREE'}, {extra.get('real_points_in_boxes', 0)} real points "
                    "matched to isolating boxes")
        check = extra.get("independent_check")
        if check is None:
            return "• exact count: not run"
        return f"• exact count: {extra.get('exact_status', 'not run')}; independent check: {check}"

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return summary_html(self.summary())

    def to_dataframe(self, what: str = "points"):
        """A ``pandas.DataFrame`` of the ``points`` (one row per distinct solution) or the ``paths``.

        Point rows: index, real, loss, Hessian index, local/global minimum, residual, condition,
        certified (when certified) and, for real points, the coordinates by variable name.
        Needs pandas (``pip install 'algeo[frames]'``).
        """
        if what == "paths":
            return data_frame([p.to_json() for p in self.paths], [f.name for f in dataclass_fields(PathEnd)])
        if what != "points":
            raise InputError("what", f"is {what!r}", "use points or paths")
        from ..model.architecture import Architecture

        names = Architecture(tuple(self.widths)).variable_names
        rows = []
        for p in self.points:
            row = {"index": p.index, "real": p.is_real, "loss": p.loss, "hessian_index": p.index_of_hessian,
                   "local_minimum": p.is_local_minimum, "global": p.is_global, "zero_coordinate": p.has_zero_coordinate,
                   "residual": p.residual, "condition": p.condition, "singular": p.singular,
                   "max_imaginary": p.max_imaginary, "paths": len(p.paths),
                   "certified": None if p.certificate is None else p.certificate.unique}
            row.update({name: z.real if p.is_real else z for name, z in zip(names, p.coordinates)})
            rows.append(row)
        return data_frame(rows)


#: a result with a longer list (points, paths, continuation records) is written without indentation
COMPACT_ABOVE = 2000


def _largest_list(data) -> int:
    """The length of the longest list among the top-level values of ``data``."""
    return max((len(v) for v in data.values() if isinstance(v, (list, tuple))), default=0) if isinstance(data, dict) \
        else 0


def write_json_atomically(data: dict, path: str | Path) -> None:
    """Write JSON to ``path`` through a temporary file and a rename: never half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as stream:
            # indented up to COMPACT_ABOVE entries in a list; larger results are written compact, which
            # json encodes in C (unregularized widths 2,3,3, m = 2: 6.5 s indented for 37.6 MB under cProfile, 0.4 s
            # compact for 17.6 MB)
            # (json.dumps, not json.dump: only the one-shot encoder is the C one)
            compact = _largest_list(data) > COMPACT_ABOVE
            stream.write(json.dumps(data, indent=None if compact else 1, separators=(",", ":") if compact else None,
                                    allow_nan=False, default=_json_default))
            stream.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _json_default(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialize {type(value).__name__}")
