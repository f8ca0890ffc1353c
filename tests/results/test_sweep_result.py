"""Sweep summaries: aggregates from the entries, JSON round trip, loading a sweep directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from algeo.exceptions import InputError
from algeo.pipeline.sweep import summarize
from algeo.results.solve_result import write_json_atomically
from algeo.results.sweep_result import InstanceStatus, SweepResult, SweepSettings

GOLDEN_RESULT = Path(__file__).resolve().parents[1] / "golden" / "result_1_2_1_seed1.json"  # widths 1,2,1, m = 1


def _instance_file(settings, index, ok=True):
    """The golden result as instance ``index`` of ``settings`` (its seed), flagged unless ``ok``."""
    content = json.loads(GOLDEN_RESULT.read_text())
    content["provenance"]["seed"] = settings.seeds()[index]
    if not ok:
        content["ok"], content["problems"] = False, ["a check failed"]
    return content


@pytest.fixture
def sweep_directory(tmp_path):
    settings = SweepSettings(widths=(1, 2, 1), samples=1, instances=4, seed=0)
    write_json_atomically(settings.to_json(), tmp_path / "sweep.json")
    for index, ok in ((0, True), (1, False), (3, True)):
        write_json_atomically(_instance_file(settings, index, ok), tmp_path / "instances" / f"{index:04d}.json")
    write_json_atomically(summarize(tmp_path, settings, errors={2: "RuntimeError: boom"}), tmp_path / "summary.json")
    return tmp_path


def test_summary_round_trips_and_keeps_its_aggregates(sweep_directory):
    data = json.loads((sweep_directory / "summary.json").read_text())
    result = SweepResult.from_json(data)
    assert result.to_json() == data
    assert SweepResult.from_json(json.loads(json.dumps(result.to_json()))) == result
    assert [e.status for e in result.instances] == [InstanceStatus.OK, InstanceStatus.FLAGGED, InstanceStatus.ERROR,
                                                   InstanceStatus.OK]
    assert result.instances[2].error == "RuntimeError: boom" and result.instances[2].counts is None
    assert result.aggregates["index_histogram"] == {"0": 6, "1": 3} and not result.ok
    assert "2/4" not in result.summary() and "3/4 solved" in result.summary()


def test_load_reads_the_directory_and_its_instances(sweep_directory):
    result = SweepResult.load(sweep_directory)
    assert result.directory == sweep_directory
    loaded = list(result.instance_results())
    assert len(loaded) == 3 and [r.provenance["seed"] for r in loaded] == [result.settings.seeds()[k] for k in (0, 1, 3)]
    assert loaded[1].problems == ("a check failed",)
    with pytest.raises(InputError, match="directory"):
        list(SweepResult.from_json(result.to_json()).instance_results())
    with pytest.raises(InputError, match="summary.json"):
        SweepResult.load(sweep_directory / "instances")
