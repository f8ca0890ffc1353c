"""What a certificate proves about one point: exact boxes, realness, reasons, JSON in and out.

The types that :mod:`algeo.verify.certify` fills in live here, below every stage, so that a
:class:`~algeo.results.solve_result.CriticalPoint` read back from JSON carries the same
certificate it was written with (the box's exact rational centre and radius included).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Realness", "NotProvenReason", "Box", "PointCertificate"]


class Realness(str, enum.Enum):
    """What is proven about the realness of the zero in a certified box."""

    REAL = "real"
    NOT_REAL = "not_real"
    NOT_PROVEN = "not_proven"


class NotProvenReason(str, enum.Enum):
    """Why a property could not be proven (never a proof of the opposite)."""

    JACOBIAN_SINGULAR = "jacobian_numerically_singular"  # no approximate inverse Y at the point
    NEWTON_STEP_TOO_LARGE = "newton_step_too_large"  # the point is too far from a zero for a small box
    KRAWCZYK_FAILED = "krawczyk_failed"  # K(X) not inside X for any box tried
    BOX_MEETS_REAL_AXIS = "box_meets_real_axis"  # realness undecided for a non-real centre
    OVERLAPPING_BOXES = "overlapping_boxes"  # another box overlaps and they are not proven one zero
    HESSIAN_NOT_PROVEN_NONSINGULAR = "hessian_not_proven_nonsingular"  # index undecided


@dataclass(frozen=True)
class Box:
    """``{z : |Re z_i - Re c_i| <= radius, |Im z_i - Im c_i| <= radius}``, all exact rationals."""

    center: tuple[tuple[Fraction, Fraction], ...]
    radius: Fraction

    @property
    def is_conjugation_symmetric(self) -> bool:
        return all(imaginary == 0 for _, imaginary in self.center)

    @property
    def meets_real_axis(self) -> bool:
        return all(abs(imaginary) <= self.radius for _, imaginary in self.center)

    def overlaps(self, other: "Box") -> bool:
        reach = self.radius + other.radius
        return all(abs(a - c) <= reach and abs(b - d) <= reach
                   for (a, b), (c, d) in zip(self.center, other.center))

    def to_json(self) -> dict:
        return {"radius": float(self.radius), "radius_log2": _log2(self.radius), "radius_exact": str(self.radius),
                "center": [[str(re), str(im)] for re, im in self.center]}

    @classmethod
    def from_json(cls, data: dict) -> "Box":
        """The box :meth:`to_json` wrote (centre and radius exact)."""
        return cls(tuple((Fraction(re), Fraction(im)) for re, im in data["center"]), Fraction(data["radius_exact"]))


@dataclass(frozen=True)
class PointCertificate:
    """What is proven about one input point. ``False``/``None`` fields mean *not proven*."""

    index: int
    unique: bool  # exactly one zero of the exact system in ``box``
    box: Box | None  # the certified box (None when not certified)
    realness: Realness
    distinct: bool  # the box is disjoint from every other certified zero's boxes
    same_root_as: int | None  # index of the first point proven to approximate the same zero
    hessian_index: int | None  # proven number of negative Hessian eigenvalues (real zeros)
    reasons: tuple[NotProvenReason, ...]

    @property
    def is_local_minimum(self) -> bool:
        return self.realness is Realness.REAL and self.hessian_index == 0

    def to_json(self) -> dict:
        return {
            "proven_unique": self.unique,
            "box_radius": float(self.box.radius) if self.box else None,
            "box_radius_log2": _log2(self.box.radius) if self.box else None,
            "proven_real": self.realness is Realness.REAL,
            "proven_not_real": self.realness is Realness.NOT_REAL,
            "proven_distinct": self.distinct,
            "same_root_as": self.same_root_as,
            "proven_hessian_index": self.hessian_index,
            "proven_local_minimum": self.is_local_minimum,
            "reasons": [reason.value for reason in self.reasons],
            "index": self.index,
            "box": self.box.to_json() if self.box else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> "PointCertificate":
        """The certificate :meth:`to_json` wrote; ``box`` (exact) is needed, the summary fields are derived."""
        if data["proven_real"]:
            realness = Realness.REAL
        elif data["proven_not_real"]:
            realness = Realness.NOT_REAL
        else:
            realness = Realness.NOT_PROVEN
        return cls(index=data["index"], unique=data["proven_unique"],
                   box=Box.from_json(data["box"]) if data.get("box") else None, realness=realness,
                   distinct=data["proven_distinct"], same_root_as=data["same_root_as"],
                   hessian_index=data["proven_hessian_index"],
                   reasons=tuple(NotProvenReason(reason) for reason in data["reasons"]))


def _log2(value: Fraction) -> int | None:
    exponent = value.numerator.bit_length() - value.denominator.bit_length()
    return exponent if value == Fraction(2) ** exponent else None
