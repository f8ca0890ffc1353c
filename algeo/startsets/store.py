"""Start sets for the parameter homotopy: every critical point of one generic complex instance.

A start set belongs to one :class:`~algeo.model.family.ParameterFamily` (architecture, samples,
regularization mode, formulation); its file name and its content carry the family's
``key`` (a hash of the monomial supports and coefficient structure), and a set whose
key differs from the family's is never used. When a set is made it is checked: the
number of start solutions must equal an independent count (:mod:`algeo.startsets.build`);
a set that fails the check is not stored.

This module reads and writes the library (``$ALGEO_START_SETS`` or
``~/.cache/algeo/starts``); :mod:`algeo.startsets.build` makes sets (docs/sweep.md).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from ..model.family import FORMULATION, ParameterFamily
from ..results.solve_result import write_json_atomically

__all__ = ["StartSet", "start_set_directory", "start_set_path", "load_start_set", "save_start_set"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StartSet:
    """Start data ``p_0`` (complex) and every solution of the lifted system there."""

    key: str
    widths: tuple[int, ...]
    samples: int
    mode: str
    parameters: tuple[complex, ...]
    points: tuple[tuple[complex, ...], ...]  # lifted coordinates (weights, then residuals)
    check: dict  # how the count was confirmed when the set was made
    provenance: dict
    formulation: str = FORMULATION  # the family's (lifted-residual-v1 or gram-v1); part of the key as well

    @property
    def size(self) -> int:
        return len(self.points)

    def to_json(self) -> dict:
        pair = lambda z: [z.real, z.imag]
        return {"algeo_start_set": 1, "formulation": self.formulation, "key": self.key, "widths": list(self.widths),
                "samples": self.samples, "mode": self.mode, "size": self.size,
                "parameters": [pair(z) for z in self.parameters],
                "points": [[pair(z) for z in point] for point in self.points],
                "check": self.check, "provenance": self.provenance}

    @classmethod
    def from_json(cls, content: dict) -> "StartSet":
        unpair = lambda pair: complex(pair[0], pair[1])
        return cls(content["key"], tuple(content["widths"]), content["samples"], content["mode"],
                   tuple(unpair(p) for p in content["parameters"]),
                   tuple(tuple(unpair(z) for z in point) for point in content["points"]),
                   content["check"], content["provenance"], content.get("formulation", FORMULATION))


def start_set_directory() -> Path:
    """``$ALGEO_START_SETS`` if set, else ``~/.cache/algeo/starts`` (``$XDG_CACHE_HOME`` respected)."""
    if os.environ.get("ALGEO_START_SETS"):
        return Path(os.environ["ALGEO_START_SETS"])
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "algeo" / "starts"


def start_set_path(family: ParameterFamily, directory: str | Path | None = None) -> Path:
    directory = Path(directory) if directory is not None else start_set_directory()
    widths = "-".join(map(str, family.architecture.widths))
    return directory / f"{widths}_m{family.samples}_{family.mode}_{family.key}.json"


def load_start_set(family: ParameterFamily, path: str | Path | None = None) -> StartSet | None:
    """The stored start set of ``family`` (from ``path`` or the library), or None.

    A file whose key, widths, samples or mode differ from the family's is refused
    (logged, None returned): it belongs to another system.
    """
    path = Path(path) if path is not None else start_set_path(family)
    if not path.exists():
        return None
    try:
        content = json.loads(path.read_text())
        start_set = StartSet.from_json(content)
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("start set %s is unreadable (%s); ignored", path, error)
        return None
    expected = (family.key, family.architecture.widths, family.samples, family.mode)
    found = (start_set.key, start_set.widths, start_set.samples, start_set.mode)
    if found != expected:
        logger.warning("start set %s is for %s, not %s; ignored", path, found, expected)
        return None
    if len(start_set.parameters) != len(family.parameter_names) or any(
            len(point) != len(family.variable_names) for point in start_set.points):
        logger.warning("start set %s has the wrong number of coordinates; ignored", path)
        return None
    return start_set


def save_start_set(start_set: StartSet, path: str | Path) -> None:
    """Write ``start_set`` to ``path`` atomically (never half a file)."""
    write_json_atomically(start_set.to_json(), path)
