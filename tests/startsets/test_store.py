"""The start-set library: compact files, one Gram set for every m >= d0, the shipped sets."""

from __future__ import annotations

import json

from algeo.model.architecture import Architecture
from algeo.model.family import tracking_family
from algeo.startsets.store import SHIPPED, StartSet, find_start_set, load_start_set, save_start_set, start_set_path


def _set(family, points):
    return StartSet(family.key, family.architecture.widths, family.samples, family.mode,
                    tuple(complex(k, -k) for k in range(len(family.parameter_names))), points,
                    {"confirmed_by": ["test"]}, {"seed": 0}, family.formulation)


def test_compact_files_round_trip_exactly(tmp_path):
    family = tracking_family(Architecture((1, 1, 1)), 1)
    points = ((1 / 3 + 2j, -0.1 + 1e-300j), (float.fromhex("0x1.fffffffffffffp+1023"), -0.0 + 0j))
    original = _set(family, points)
    path = start_set_path(family, tmp_path)
    save_start_set(original, path)
    content = json.loads(path.read_text())
    assert "points_b64" in content and "points" not in content
    loaded = load_start_set(family, path)
    assert loaded == original


def test_version_1_files_still_load(tmp_path):
    family = tracking_family(Architecture((1, 1, 1)), 1)
    original = _set(family, ((1 + 2j, 3 - 4j),))
    content = original.to_json()
    del content["points_b64"], content["parameters_b64"]
    content.update(algeo_start_set=1, points=[[[1, 2], [3, -4]]], parameters=[[z.real, z.imag] for z in original.parameters])
    path = start_set_path(family, tmp_path)
    path.write_text(json.dumps(content))
    assert load_start_set(family, path) == original


def test_one_gram_set_serves_every_m_at_least_d0(tmp_path):
    two, three = tracking_family(Architecture((2, 2, 2)), 2), tracking_family(Architecture((2, 2, 2)), 3)
    assert two.formulation == three.formulation == "gram-v1"
    assert two.key == three.key and start_set_path(two, tmp_path) == start_set_path(three, tmp_path)
    lifted = tracking_family(Architecture((2, 2, 2)), 1)
    assert lifted.key != two.key and "_m1_" in start_set_path(lifted, tmp_path).name
    save_start_set(_set(two, ((0j,) * 8,)), start_set_path(two, tmp_path))
    assert load_start_set(three, start_set_path(three, tmp_path)) is not None


def test_the_users_library_comes_before_the_shipped_sets(tmp_path, monkeypatch):
    monkeypatch.setenv("ALGEO_START_SETS", str(tmp_path))
    family = tracking_family(Architecture((1, 1, 1)), 1)
    shipped, where = find_start_set(family)
    assert shipped is not None and where.parent == SHIPPED          # the package ships this row
    mine = _set(family, shipped.points[:1])
    save_start_set(mine, start_set_path(family, tmp_path))
    found, where = find_start_set(family)
    assert found == mine and where.parent == tmp_path


def test_large_sets_are_stored_by_sign_flip_orbit_and_read_back_point_for_point(tmp_path, monkeypatch):
    """Over ORBITS_ABOVE points: representatives, flips and an index, read back in the written order; a set
    whose images are not exact flips (within 1e-10) is written point by point."""
    import numpy

    from algeo.startsets import store

    monkeypatch.setattr(store, "ORBITS_ABOVE", 10)
    family = tracking_family(Architecture((2, 2, 2)), 2)
    shipped, _ = find_start_set(family)
    content = shipped.to_json()
    assert "orbits" in content and "points_b64" not in content
    assert len(json.dumps(content)) < len(json.dumps({**content, "orbits": None, "points_b64": store._pack(shipped.points)}))
    again = StartSet.from_json(json.loads(json.dumps(content)))
    assert again.size == shipped.size
    assert numpy.abs(numpy.array(again.points) - numpy.array(shipped.points)).max() <= 1e-10
    from algeo.model.symmetry import orbit_representatives

    moved = numpy.array(shipped.points)
    representatives, _ = orbit_representatives(moved, family.sign_flips())
    image = next(k for k in range(len(moved)) if k not in set(representatives))
    moved[image] = moved[image] * (1 + 1e-9)  # an image (within 1e-8), but not within 1e-10 of the exact flip
    plain = store.StartSet(shipped.key, shipped.widths, shipped.samples, shipped.mode, shipped.parameters,
                           tuple(tuple(p) for p in moved), shipped.check, shipped.provenance, shipped.formulation)
    written = plain.to_json()
    assert "orbits" not in written and StartSet.from_json(written).points == plain.points
