"""Verdicts and reports of theorem checks: frozen dataclasses, statuses as an enum."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Any

from ..results.display import data_frame, summary_html
from ..results.solve_result import expect_kind

__all__ = ["Verdict", "InstanceCheck", "CheckReport", "overall_verdict"]


class Verdict(str, enum.Enum):
    """Outcome of a theorem on one instance."""

    PASS = "PASS"  # the statement holds on this instance, by the evidence given
    FAIL = "FAIL"  # a counterexample (or a wrong claim): the numbers compared disagree beyond their precision
    UNDECIDED = "UNDECIDED"  # precision, lost paths, an uncertified point or a missing field: no decision


@dataclass(frozen=True)
class InstanceCheck:
    """The verdict on one instance with the evidence: what was compared, how exactly."""

    label: str
    verdict: Verdict
    summary: str  # one line for people: the numbers compared
    evidence: dict = field(default_factory=dict)  # everything compared, with precision/exactness
    seed: int | None = None
    widths: tuple[int, ...] = ()
    samples: int | None = None

    def to_json(self) -> dict:
        return {"label": self.label, "verdict": self.verdict.value, "summary": self.summary, "seed": self.seed,
                "widths": list(self.widths), "samples": self.samples, "evidence": self.evidence}

    @classmethod
    def from_json(cls, data: dict) -> "InstanceCheck":
        return cls(label=data["label"], verdict=Verdict(data["verdict"]), summary=data["summary"],
                   evidence=data["evidence"], seed=data["seed"], widths=tuple(data["widths"]),
                   samples=data["samples"])


def overall_verdict(verdicts: list[Verdict], *, existence: bool = False) -> Verdict:
    """FAIL if any instance fails; for a universal statement PASS only if all pass, for an
    existence statement PASS as soon as one instance is a verified witness."""
    if Verdict.FAIL in verdicts:
        return Verdict.FAIL
    if existence:
        return Verdict.PASS if Verdict.PASS in verdicts else Verdict.UNDECIDED
    return Verdict.PASS if verdicts and all(v is Verdict.PASS for v in verdicts) else Verdict.UNDECIDED


@dataclass(frozen=True)
class CheckReport:
    """All instances of one theorem check, with how the instances were made."""

    theorem: str
    statement: str
    existence: bool  # True: "there is an instance such that ..." (a search); False: "for every instance ..."
    instances: tuple[InstanceCheck, ...]
    data_description: str
    provenance: dict

    @property
    def verdict(self) -> Verdict:
        return overall_verdict([i.verdict for i in self.instances], existence=self.existence)

    @property
    def failed(self) -> bool:
        return self.verdict is Verdict.FAIL

    def to_json(self) -> dict:
        return {"algeo_result": "check", "schema_version": 1, "theorem": self.theorem, "statement": self.statement,
                "kind": "existence" if self.existence else "universal", "verdict": self.verdict.value,
                "instances": [i.to_json() for i in self.instances], "data_description": self.data_description,
                "provenance": self.provenance}

    @classmethod
    def from_json(cls, data: dict) -> "CheckReport":
        """The report :meth:`to_json` wrote (``algeo check --json``): ``from_json(r.to_json()) == r``."""
        expect_kind(data, "check")
        return cls(theorem=data["theorem"], statement=data["statement"], existence=data["kind"] == "existence",
                   instances=tuple(InstanceCheck.from_json(i) for i in data["instances"]),
                   data_description=data["data_description"], provenance=data["provenance"])

    def summary(self) -> str:
        lines = [f"check {self.theorem}: {self.statement}"]
        lines += [f"  {i.verdict.value:9s} {i.label}: {i.summary}" for i in self.instances]
        lines.append(f"verdict: {self.verdict.value}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return summary_html(self.summary())

    def to_dataframe(self):
        """A ``pandas.DataFrame`` with one row per instance: label, seed, widths, samples, verdict, summary."""
        return data_frame([{"theorem": self.theorem, "label": i.label, "seed": i.seed,
                            "widths": ",".join(map(str, i.widths)), "samples": i.samples, "verdict": i.verdict.value,
                            "summary": i.summary} for i in self.instances])


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def jsonable(value: Any) -> Any:
    """Numbers as JSON-safe values: mpf to strings (exact text), tuples to lists."""
    import mpmath

    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (mpmath.mpf,)):
        return mpmath.nstr(value, 20)
    if isinstance(value, float) and not (value == value and abs(value) != float("inf")):
        return str(value)
    return value
