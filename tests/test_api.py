"""The Python API: every result kind written to JSON loads back equal; tables from objects and sweep directories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import algeo
from algeo.exceptions import BackendUnavailableError, InputError
from algeo.results.solve_result import write_json_atomically
from algeo.results.sweep_result import SweepSettings

GOLDEN = Path(__file__).resolve().parent / "golden"


def _written_and_loaded(result, path: Path):
    write_json_atomically(result.to_json(), path)
    return algeo.load_result(path)


def test_every_kind_without_phcpack_round_trips(tmp_path, make_sweep_directory):
    solve = algeo.load_result(GOLDEN / "result_1_2_1_seed1.json")
    check = algeo.load_result(GOLDEN / "check_bh_1_2_1.json")
    regions = algeo.relu.regions(algeo.relu.ReluArchitecture(2, 2, 1, bias=True), samples=4, seed=1)
    phase = algeo.relu.phase_diagram(d0=1, samples=(4,), widths=(2,), trials=5, out=tmp_path / "phase")
    sweep = algeo.load_result(make_sweep_directory(tmp_path / "sweep"))
    for name, result in [("solve", solve), ("check", check), ("regions", regions), ("phase", phase),
                         ("sweep", sweep)]:
        loaded = _written_and_loaded(result, tmp_path / f"{name}.json")
        assert type(loaded) is type(result) and loaded == result, name
        assert algeo.result_from_json(json.loads(json.dumps(result.to_json()))) == result
    assert isinstance(check, algeo.CheckReport) and check.verdict is algeo.Verdict.PASS
    assert sweep.directory == tmp_path / "sweep"
    assert algeo.load_result(tmp_path / "sweep" / "summary.json").directory == tmp_path / "sweep"


@pytest.mark.phc
def test_solved_kinds_round_trip_through_files(tmp_path):
    results = [algeo.solve("1,2,1", samples=1, seed=1, options=algeo.SolveOptions(certify=True, start_set="none")),
               algeo.solve("2,1,2", samples=2, seed=1, regularization="none"),
               algeo.relu.solve_relu(algeo.relu.ReluArchitecture(1, 2, 1), samples=3, seed=1)]
    for k, result in enumerate(results):
        assert _written_and_loaded(result, tmp_path / f"{k}.json") == result


def test_load_result_names_what_is_wrong(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        algeo.load_result(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(InputError, match="not valid JSON"):
        algeo.load_result(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text('{"rows": []}')
    with pytest.raises(InputError, match="algeo_result"):
        algeo.load_result(tmp_path / "other.json")
    with pytest.raises(InputError, match="summary.json"):
        algeo.load_result(tmp_path)


def test_dataframes_and_html(tmp_path, make_sweep_directory):
    pytest.importorskip("pandas")
    solve = algeo.load_result(GOLDEN / "result_1_2_1_seed1.json")
    points = solve.to_dataframe()
    assert len(points) == 9 and points["real"].sum() == 3 and "w1_1_1" in points.columns
    assert len(solve.to_dataframe("paths")) == 25
    with pytest.raises(InputError, match="what"):
        solve.to_dataframe("everything")
    sweep = algeo.load_result(make_sweep_directory(tmp_path / "sweep"))
    frame = sweep.to_dataframe()
    assert list(frame["N_C"]) == [9, 9, 9] and list(frame["index_1"]) == [1, 1, 1]
    check = algeo.load_result(GOLDEN / "check_bh_1_2_1.json")
    assert list(check.to_dataframe()["verdict"]) == ["PASS", "PASS"]
    for result in (solve, sweep, check):
        assert result._repr_html_().startswith('<div class="algeo-result"><strong>')


def test_dataframe_without_pandas_names_the_install_step(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("no pandas")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(BackendUnavailableError, match=r"algeo\[frames\]"):
        algeo.load_result(GOLDEN / "result_1_2_1_seed1.json").to_dataframe()


def test_table_from_a_sweep_directory_and_objects(tmp_path, make_sweep_directory):
    directory = make_sweep_directory(tmp_path / "sweep")
    text = algeo.table("root-counts", directory)
    assert r"9$^{\ddagger}$ & 0$^{\ddagger}$ & 3 & 3 \\" in text  # published m = 1 counts, 3 instances
    assert "Instances of algeo sweep with seed 0" in text
    assert algeo.table("root-counts", algeo.load_result(directory)) == text.replace(
        "Instances of algeo sweep with seed 0 (instance seeds derived from it)", "Seeds " + _seeds(directory))
    marked = algeo.table("root-counts", directory, exact_counts={((1, 2, 1), 1): (11, 0)})
    assert r"& 9 & 0$^{\ddagger}$" in marked and "Instances differ from the exact count" in marked
    assert r"\begin{document}" in algeo.table("points", GOLDEN / "result_1_2_1_seed1.json", standalone=True)
    with pytest.raises(InputError, match="kind"):
        algeo.table("everything", directory)


def _seeds(directory: Path) -> str:
    from algeo.tables import _ranges

    return _ranges(SweepSettings(widths=(1, 2, 1), samples=1, instances=3, seed=0).seeds())
