"""Sweeps: seeds, summary, resuming after a kill, agreement with ``algeo solve --data``, Dask."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from algeo.cli import main
from algeo.exceptions import BackendUnavailableError, InputError
from algeo.results.solve_result import write_json_atomically
from algeo.pipeline.sweep import SweepSettings, instance_seed, run_sweep, summarize

ROOT = Path(__file__).resolve().parents[2]


def test_instance_seeds_are_deterministic_and_distinct():
    settings = SweepSettings(widths=(1, 1, 1), samples=1, instances=50, seed=3)
    assert settings.seeds() == SweepSettings(widths=(1, 1, 1), samples=1, instances=50, seed=3).seeds()
    assert len(set(settings.seeds())) == 50
    assert settings.seeds()[0] == instance_seed(3, 0) != instance_seed(4, 0)


def _fake_result(settings, index, complex_count, real, index_histogram, ok=True):
    return {"ok": ok, "counts": {"complex": complex_count, "nonzero": 4, "real": real, "paths": 5, "regular": 5,
                                 "singular": 0, "at_infinity": 0, "failed": 0, "local_minima": index_histogram.get("0", 0),
                                 "index": index_histogram},
            "provenance": {"widths": list(settings.widths), "samples": settings.samples,
                           "seed": settings.seeds()[index], "method": {"name": "blackbox"}}}


def test_summary_aggregates(tmp_path):
    settings = SweepSettings(widths=(1, 1, 1), samples=1, instances=4, seed=0)
    write_json_atomically(_fake_result(settings, 0, 5, 1, {"0": 1}), tmp_path / "instances" / "0000.json")
    write_json_atomically(_fake_result(settings, 1, 5, 3, {"0": 2, "1": 1}, ok=False),
                          tmp_path / "instances" / "0001.json")
    write_json_atomically(_fake_result(settings, 3, 5, 3, {"0": 2, "1": 1}), tmp_path / "instances" / "0003.json")
    summary = summarize(tmp_path, settings, errors={2: "RuntimeError: boom"})
    aggregates = summary["aggregates"]
    assert aggregates["N_C"] == 5 and aggregates["solved"] == 3
    assert aggregates["N_R"] == {"min": 1, "max": 3, "mean": 7 / 3}
    assert aggregates["index_histogram"] == {"0": 5, "1": 2}
    assert aggregates["failures"]["flagged"] == [1] and aggregates["failures"]["errors"] == [2]
    assert [e["status"] for e in summary["instances"]] == ["ok", "flagged", "error", "ok"]
    assert [e["seed"] for e in summary["instances"]] == settings.seeds()


def test_other_settings_in_the_same_directory_are_refused(tmp_path):
    settings = SweepSettings(widths=(1, 1, 1), samples=1, instances=2, seed=0)
    write_json_atomically(settings.to_json(), tmp_path / "sweep.json")
    with pytest.raises(InputError, match="out"):
        run_sweep(SweepSettings(widths=(1, 1, 1), samples=1, instances=2, seed=1), tmp_path)


def test_bad_settings_are_input_errors():
    with pytest.raises(InputError, match="instances"):
        SweepSettings(widths=(1, 1, 1), samples=1, instances=0, seed=0)
    assert main(["sweep", "--widths", "1,1,1", "--samples", "1", "--instances", "2", "--out", "/tmp/x",
                 "--workers", "0"]) == 2


def test_missing_dask_names_the_install_step(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    settings = SweepSettings(widths=(1, 1, 1), samples=1, instances=1, seed=0, method="blackbox")
    with pytest.raises(BackendUnavailableError, match=r"pip install 'dask\[distributed\]'"):
        run_sweep(settings, tmp_path, scheduler="tcp://127.0.0.1:1")


def _sweep_command(out: Path, instances: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "algeo.cli", "sweep", "--widths", "1,1,1", "--samples", "1", "--instances",
            str(instances), "--seed", "11", "--out", str(out), "--quiet", *extra]


def _environment(tmp_path: Path) -> dict:
    env = dict(os.environ, ALGEO_START_SETS=str(tmp_path / "starts"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


@pytest.mark.phc
def test_a_killed_sweep_resumes_without_loss_or_repetition(tmp_path):
    out = tmp_path / "run"
    env = _environment(tmp_path)
    process = subprocess.Popen(_sweep_command(out, 8, "--workers", "1"), cwd=ROOT, env=env,
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    instances = out / "instances"
    while time.monotonic() < deadline and len(list(instances.glob("[0-9]*.json"))) < 3:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)  # the sweep and its workers, midway
    process.wait()
    finished = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
                for p in instances.glob("[0-9]*.json")}
    assert 3 <= len(finished) < 8, "the kill should come midway"
    for content in finished.values():
        json.loads(content[2])  # every file that exists is complete
    completed = subprocess.run(_sweep_command(out, 8, "--workers", "1"), cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr + completed.stdout
    after = {p.name: p for p in instances.glob("[0-9]*.json")}
    assert sorted(after) == [f"{k:04d}.json" for k in range(8)]  # nothing lost
    for name, (inode, mtime, content) in finished.items():  # nothing done twice
        stat = after[name].stat()
        assert (stat.st_ino, stat.st_mtime_ns, after[name].read_bytes()) == (inode, mtime, content)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["aggregates"]["solved"] == 8 and summary["aggregates"]["N_C"] == 5
    assert [e["index"] for e in summary["instances"]] == list(range(8))
    assert not leftover_temporary_files(instances)


def leftover_temporary_files(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.startswith(".")]


@pytest.mark.phc
def test_sweep_counts_equal_solve_with_data(tmp_path, monkeypatch):
    monkeypatch.setenv("ALGEO_START_SETS", str(tmp_path / "starts"))
    settings = SweepSettings(widths=(2, 1, 2), samples=1, instances=3, seed=4)
    summary = run_sweep(settings, tmp_path / "run", workers=1, start_set_path=None)
    assert summary["aggregates"]["solved"] == 3
    # the same sweep by the parameter homotopy
    from algeo.commands.sweep import _prepare_start_set

    homotopy_settings = SweepSettings(widths=(2, 1, 2), samples=1, instances=3, seed=4, method="auto")
    path = _prepare_start_set(homotopy_settings, quiet=True)
    homotopy = run_sweep(homotopy_settings, tmp_path / "homotopy", workers=1, start_set_path=path)
    assert homotopy["aggregates"]["methods"] == {"parameter_homotopy": 3}
    for index in range(3):
        swept = json.loads((tmp_path / "homotopy" / "instances" / f"{index:04d}.json").read_text())
        data = swept["provenance"]["data"]
        instance = {"X": data["X"], "Y": data["Y"], "Lambda": swept["provenance"]["regularization"]["Lambda"]}
        (tmp_path / "instance.json").write_text(json.dumps(instance))
        target = tmp_path / f"solve{index}.json"
        code = main(["solve", "--widths", "2,1,2", "--data", str(tmp_path / "instance.json"), "--json",
                     str(target), "--quiet"])
        assert code == 0
        solved = json.loads(target.read_text())
        blackbox = json.loads((tmp_path / "run" / "instances" / f"{index:04d}.json").read_text())
        for key in ("complex", "nonzero", "real", "index", "local_minima"):
            assert swept["counts"][key] == solved["counts"][key] == blackbox["counts"][key], key
        assert swept["counts"]["paths"] == 9  # paths = start-set size = N_C (every path accounted)


@pytest.mark.phc
def test_sweep_on_a_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    settings = SweepSettings(widths=(1, 1, 1), samples=1, instances=2, seed=2, method="blackbox")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        summary = run_sweep(settings, tmp_path, scheduler=client)
    assert summary["aggregates"]["solved"] == 2 and summary["aggregates"]["N_C"] == 5
    assert sorted(p.name for p in (tmp_path / "instances").iterdir()) == ["0000.json", "0001.json"]


@pytest.mark.phc
@pytest.mark.singular
@pytest.mark.slow
def test_sweep_can_make_its_start_set_by_monodromy_confirmed_by_the_trace_test(tmp_path, monkeypatch):
    monkeypatch.setenv("ALGEO_START_SETS", str(tmp_path / "starts"))
    monkeypatch.setattr("algeo.startsets.store.SHIPPED", tmp_path / "no-shipped-sets")
    code = main(["sweep", "--widths", "1,1,1", "--samples", "1", "--instances", "1", "--seed", "2",
                 "--out", str(tmp_path / "run"), "--start-set-method", "monodromy", "--workers", "1", "-q"])
    assert code == 0
    (stored,) = (tmp_path / "starts").glob("*.json")
    content = json.loads(stored.read_text())
    assert content["size"] == 5 and content["provenance"]["method"] == "monodromy"
    assert content["check"]["trace_test"]["verdict"] == "complete"
    assert content["check"]["confirmed_by"] == ["modular count", "trace test", "published count"]
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["instances"][0]["counts"]["complex"] == 5
