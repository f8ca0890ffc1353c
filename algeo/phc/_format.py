"""PHCpack's text formats: writing a system, reading the blackbox output file.

Only this package knows these formats. Coefficients are written as decimals with
17 significant digits, because PHCpack rejects rational coefficients such as
``75*w1_11/97`` (PHCPACK.md); exactness is kept by refining on the exact system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

from ..model.polynomial import PolynomialSystem
from ..results.solve_result import PathStatus
from ._labels import UNLABELLED_RCO_THRESHOLD, label_from_rco  # noqa: F401  (re-exported)

__all__ = ["format_polynomials", "format_system", "parse_blackbox_output", "RawPath", "ParsedOutput"]


def _coefficient(value: Fraction | complex) -> str:
    if isinstance(value, complex):  # PHCpack's complex syntax: (re+im*i)
        return f"+({value.real:+.17E}{value.imag:+.17E}*i)"
    return f"{float(value):+.17E}"


#: A system given as terms: per polynomial, ``(exponents, coefficient)`` pairs (complex allowed).
TermSystem = Sequence[Sequence[tuple[tuple[int, ...], "Fraction | complex"]]]


def format_polynomials(system: PolynomialSystem | TermSystem, names: Sequence[str]) -> list[str]:
    """One string per polynomial, each ending in ``;`` (the form phcpy and ``phc`` read).

    ``system`` is an exact :class:`PolynomialSystem` or, for the complex start systems
    of a parameter homotopy, a list of term lists with complex coefficients.
    """
    for name in names:
        if re.search(r"[eEiI]", name):
            raise ValueError(f"variable name {name!r} contains e, E, i or I, which PHCpack cannot use")
    strings = []
    polynomials = system.polynomials if isinstance(system, PolynomialSystem) else system
    for polynomial in polynomials:
        terms = []
        for exponents, coefficient in getattr(polynomial, "terms", polynomial):
            factors = [_coefficient(coefficient)]
            for name, power in zip(names, exponents):
                if power == 1:
                    factors.append(name)
                elif power > 1:
                    factors.append(f"{name}^{power}")
            terms.append("*".join(factors))
        strings.append(" ".join(terms) + ";" if terms else "0;")
    return strings


def format_system(system: PolynomialSystem | TermSystem, names: Sequence[str]) -> str:
    """The input file of ``phc -b``: the number of equations, then the polynomials."""
    lines = [str(len(system.polynomials if isinstance(system, PolynomialSystem) else system))]
    lines.extend(format_polynomials(system, names))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class RawPath:
    """One path end point exactly as PHCpack reported it."""

    phase: int
    coordinates: tuple[complex, ...]
    t: complex
    multiplicity: int
    err: float
    rco: float
    res: float
    outcome: str  # "success" or "failure" (PHCpack's word)
    label: str  # e.g. "real regular", "complex singular", "no solution"

    @property
    def status(self) -> PathStatus:
        """The path's fate as an enum: PHCpack's words are read here and nowhere else."""
        label = self.label.lower()
        if self.outcome == "success" and "regular" in label:
            return PathStatus.REGULAR
        if self.outcome == "success" and "singular" in label:
            return PathStatus.SINGULAR
        norm = max((abs(z) for z in self.coordinates), default=0.0)
        if self.outcome == "failure" and self.t.real < 1.0 and norm >= 10.0:
            return PathStatus.AT_INFINITY
        if "infinity" in label or "infinity" in self.outcome:
            return PathStatus.AT_INFINITY
        return PathStatus.FAILED

    @classmethod
    def known_solution(cls, coordinates, note: str = "regular") -> "RawPath":
        """A regular end point that did not come from a PHCpack path (a symmetry image, a monodromy point)."""
        return cls(1, tuple(complex(z) for z in coordinates), 1 + 0j, 1, 0.0, 1.0, 0.0, "success", f"regular ({note})")


@dataclass(frozen=True)
class ParsedOutput:
    paths: tuple[RawPath, ...]
    declared_paths: int  # sum of the "K n" headers of the final solution lists
    root_counts: dict = field(default_factory=dict)
    seed: int | None = None
    version: str | None = None


_FLOAT = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[EeDd][-+]?\d+)?"
_BLOCK = re.compile(
    r"solution \d+ :[ \t]*(?:start residual :\s*(?P<start>\S+)\s+#\w+ :\s*\d+\s+(?P<outcome>\w+(?: \w+)*))?[ \t]*\n"
    r"t :\s*(?P<t_re>" + _FLOAT + r")\s+(?P<t_im>" + _FLOAT + r")\s*\n"
    r"m :\s*(?P<m>\d+)\s*\n"
    r"the solution for t :\s*\n(?P<coords>.*?)"
    r"== err :\s*(?P<err>\S+)\s*= rco :\s*(?P<rco>\S+)\s*= res :\s*(?P<res>\S+)\s*=\s*(?P<label>[a-z ]*?)\s*=*[ \t]*$",
    re.S | re.M,
)
_SECTION = re.compile(r"THE SOLUTIONS :\s*\n\s*(\d+)\s+(\d+)\s*\n")
_COORD = re.compile(r"^\s*(\S+)\s*:\s*(" + _FLOAT + r")\s+(" + _FLOAT + r")\s*$", re.M)


def _float(text: str) -> float:
    return float(text.replace("D", "E").replace("d", "e"))


def parse_blackbox_output(text: str, names: Sequence[str]) -> ParsedOutput:
    """Parse every ``THE SOLUTIONS`` list of a ``phc -b`` output file.

    Coordinates are reordered into ``names`` order (PHCpack orders symbols as it
    first meets them). Raises ``ValueError`` on a malformed block.
    """
    index = {name: position for position, name in enumerate(names)}
    sections = list(_SECTION.finditer(text))
    paths = []
    declared = 0
    phase = 0
    for position, section in enumerate(sections):
        end = sections[position + 1].start() if position + 1 < len(sections) else len(text)
        body = text[section.end() : end].lstrip("=\n ")
        if not body.startswith("solution"):
            continue  # a listing printed while tracking, not a final solution list
        phase += 1
        declared += int(section.group(1))
        for block in _BLOCK.finditer(text, section.end(), end):
            coordinates = [0j] * len(names)
            seen = set()
            for name, real, imag in _COORD.findall(block.group("coords")):
                if name not in index:
                    raise ValueError(f"unknown variable {name!r} in PHCpack output")
                coordinates[index[name]] = complex(_float(real), _float(imag))
                seen.add(name)
            if len(seen) != len(names):
                raise ValueError(f"a solution lists {len(seen)} of {len(names)} variables")
            paths.append(
                RawPath(
                    phase=phase,
                    coordinates=tuple(coordinates),
                    t=complex(_float(block.group("t_re")), _float(block.group("t_im"))),
                    multiplicity=int(block.group("m")),
                    err=_float(block.group("err")),
                    rco=_float(block.group("rco")),
                    res=_float(block.group("res")),
                    outcome=block.group("outcome") or "success",
                    label=block.group("label").strip() or label_from_rco(_float(block.group("rco"))),
                )
            )
    root_counts = {}
    for key, pattern in (
        ("total_degree", r"total degree\s*:\s*(\d+)"),
        ("mixed_volume", r"(?<!stable )mixed volume\s*:\s*(\d+)"),
        ("stable_mixed_volume", r"stable mixed volume\s*:\s*(\d+)"),
    ):
        match = re.search(pattern, text)
        if match:
            root_counts[key] = int(match.group(1))
    seed = re.search(r"Seed used in random number generators\s*:\s*(\d+)", text)
    version = re.search(r"(PHCv\S+ released \S+)", text)
    return ParsedOutput(
        paths=tuple(paths),
        declared_paths=declared,
        root_counts=root_counts,
        seed=int(seed.group(1)) if seed else None,
        version=version.group(1) if version else None,
    )
