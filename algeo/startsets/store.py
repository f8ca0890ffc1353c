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

import base64
import functools
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy

from ..model.family import FORMULATION, GRAM_FORMULATION, ParameterFamily
from ..results.solve_result import write_json_atomically

__all__ = ["StartSet", "start_set_directory", "start_set_path", "find_start_set", "load_start_set", "save_start_set",
           "SHIPPED"]

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

    @property
    def confirmed(self) -> bool:
        """False for a set kept without an independent confirmation of its count (``check["unconfirmed"]``
        says why): only the unregularized mode starts from it, and no count is checked against its size."""
        return "unconfirmed" not in self.check

    def to_json(self) -> dict:
        """Compact JSON: parameters and points as base64 of little-endian complex128.

        Sets of more than :data:`ORBITS_ABOVE` points are written by hidden-unit sign-flip orbit
        (:func:`_orbits`): one representative per orbit and, per point, its representative and
        flip, so a point is read back as the exact flip of its representative (within 1e-10 of the
        point written, or the set is written point by point). The 77,665 points of widths 2,3,2,2
        take 1/30 of the space.
        """
        content = {"algeo_start_set": 2, "formulation": self.formulation, "key": self.key,
                   "widths": list(self.widths), "samples": self.samples, "mode": self.mode, "size": self.size,
                   "parameters_b64": _pack([self.parameters]),
                   "coordinates": len(self.points[0]) if self.points else 0,
                   "check": self.check, "provenance": self.provenance}
        orbits = _orbits(self.widths, self.points) if self.size > ORBITS_ABOVE else None
        if orbits is None:
            content["points_b64"] = _pack(self.points)
        else:
            content["orbits"] = orbits
        return content

    @classmethod
    def from_json(cls, content: dict) -> "StartSet":
        """Either layout: version 2 (base64) or version 1 (``[re, im]`` pairs)."""
        if "orbits" in content:
            parameters = _unpack(content["parameters_b64"], None)[0]
            points = _from_orbits(content["orbits"], content["coordinates"])
        elif "points_b64" in content:
            parameters = _unpack(content["parameters_b64"], None)[0]
            points = _unpack(content["points_b64"], content["coordinates"]) if content["size"] else ()
        else:
            unpair = lambda pair: complex(pair[0], pair[1])
            parameters = tuple(unpair(p) for p in content["parameters"])
            points = tuple(tuple(unpair(z) for z in point) for point in content["points"])
        if len(points) != content.get("size", len(points)):
            raise ValueError(f"{len(points)} points, but the file says {content['size']}")
        return cls(content["key"], tuple(content["widths"]), content["samples"], content["mode"], tuple(parameters),
                   tuple(points), content["check"], content["provenance"], content.get("formulation", FORMULATION))


#: sets larger than this are stored by sign-flip orbit (StartSet.to_json)
ORBITS_ABOVE = 2000


def _orbits(widths, points) -> dict | None:
    """The points as orbit representatives, the flips, and (representative, flip) per point; None when
    that does not pay (no flips, or orbits of about one point) or does not give the points back."""
    from ..model.architecture import Architecture
    from ..model.symmetry import orbit_representatives, sign_flip_matrices

    array = numpy.asarray(points, dtype=complex)
    group = sign_flip_matrices(Architecture(tuple(widths)))
    if len(group) < 2:
        return None
    flips = numpy.hstack([group, numpy.ones((len(group), array.shape[1] - group.shape[1]))]).astype(numpy.int8)
    representatives, images = orbit_representatives(array, flips)
    if 2 * len(representatives) > len(array):
        return None
    index = numpy.array(images, dtype="<u4")
    back = flips[index[:, 1]] * array[representatives][index[:, 0]]
    if numpy.any(numpy.abs(back - array).max(axis=1) > 1e-10 * numpy.maximum(1.0, numpy.abs(array).max(axis=1))):
        return None
    return {"flips_b64": base64.b64encode(flips.astype("<i1").tobytes()).decode("ascii"),
            "representatives_b64": _pack(array[representatives]),
            "index_b64": base64.b64encode(index.tobytes()).decode("ascii")}


def _from_orbits(orbits: dict, width: int) -> tuple[tuple[complex, ...], ...]:
    """The points of :func:`_orbits`, in the order they were written."""
    flips = numpy.frombuffer(base64.b64decode(orbits["flips_b64"]), dtype="<i1").reshape(-1, width)
    representatives = numpy.frombuffer(base64.b64decode(orbits["representatives_b64"]), dtype="<c16").reshape(
        -1, width)
    index = numpy.frombuffer(base64.b64decode(orbits["index_b64"]), dtype="<u4").reshape(-1, 2)
    points = flips[index[:, 1]] * representatives[index[:, 0]]
    return tuple(tuple(complex(z) for z in row) for row in points)


def _pack(rows) -> str:
    return base64.b64encode(numpy.asarray(rows, dtype="<c16").tobytes()).decode("ascii")


def _unpack(text: str, width: int | None) -> tuple[tuple[complex, ...], ...]:
    flat = numpy.frombuffer(base64.b64decode(text), dtype="<c16")
    rows = flat.reshape(1, -1) if width is None else flat.reshape(-1, width)
    return tuple(tuple(complex(z) for z in row) for row in rows)


def start_set_directory() -> Path:
    """``$ALGEO_START_SETS`` if set, else ``~/.cache/algeo/starts`` (``$XDG_CACHE_HOME`` respected)."""
    if os.environ.get("ALGEO_START_SETS"):
        return Path(os.environ["ALGEO_START_SETS"])
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "algeo" / "starts"


#: start sets that ship with the package (read-only; the user's library is searched first)
SHIPPED = Path(__file__).resolve().parent / "shipped"


def start_set_path(family: ParameterFamily, directory: str | Path | None = None) -> Path:
    """The file of ``family``'s set in ``directory`` (default: the user's library).

    A Gram family (``m >= d_0``) does not depend on ``m``: one set serves every such ``m``.
    """
    directory = Path(directory) if directory is not None else start_set_directory()
    widths = "-".join(map(str, family.architecture.widths))
    samples = "gram" if family.formulation == GRAM_FORMULATION else f"m{family.samples}"
    return directory / f"{widths}_{samples}_{family.mode}_{family.key}.json"


def find_start_set(family: ParameterFamily) -> tuple[StartSet | None, Path]:
    """The family's set from the user's library, else the shipped one; with the path it came from."""
    for directory in (start_set_directory(), SHIPPED):
        path = start_set_path(family, directory)
        found = load_start_set(family, path)
        if found is not None:
            return found, path
    return None, start_set_path(family)


def load_start_set(family: ParameterFamily, path: str | Path | None = None) -> StartSet | None:
    """The stored start set of ``family`` (from ``path`` or the library), or None.

    A file whose key, widths, samples or mode differ from the family's is refused
    (logged, None returned): it belongs to another system. So is one whose number of points
    differs from the count its check confirmed (``check["start_solutions"]``).
    """
    path = Path(path) if path is not None else start_set_path(family)
    if not path.exists():
        return None
    try:
        start_set = _read(str(path), path.stat().st_mtime_ns)
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("start set %s is unreadable (%s); ignored", path, error)
        return None
    gram = family.formulation == GRAM_FORMULATION  # its key does not depend on m
    expected = (family.key, family.architecture.widths, None if gram else family.samples, family.mode)
    found = (start_set.key, start_set.widths, None if gram else start_set.samples, start_set.mode)
    if found != expected:
        logger.warning("start set %s is for %s, not %s; ignored", path, found, expected)
        return None
    if len(start_set.parameters) != len(family.parameter_names) or any(
            len(point) != len(family.variable_names) for point in start_set.points):
        logger.warning("start set %s has the wrong number of coordinates; ignored", path)
        return None
    recorded = start_set.check.get("start_solutions")
    if recorded is not None and recorded != start_set.size:
        # a truncated or edited file: its points are not the set its check confirmed
        logger.warning("start set %s holds %d points but its check confirmed %d; ignored", path, start_set.size,
                       recorded)
        return None
    return start_set


@functools.lru_cache(maxsize=4)
def _read(path: str, modified: int) -> StartSet:
    """The file's set, read once per version of the file (a solve looks its set up more than once; the
    largest shipped sets are tens of megabytes). ``modified`` is part of the cache key only."""
    return StartSet.from_json(json.loads(Path(path).read_text()))


def save_start_set(start_set: StartSet, path: str | Path) -> None:
    """Write ``start_set`` to ``path`` atomically (never half a file)."""
    write_json_atomically(start_set.to_json(), path)
