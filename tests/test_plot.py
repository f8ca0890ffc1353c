"""Figures: each kind from small results, PNG and PDF written, wrong inputs refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

import algeo
from algeo.checks.report import CheckReport, InstanceCheck, Verdict
from algeo.cli import main
from algeo.exceptions import InputError
from algeo.plots import FIGURES

GOLDEN = Path(__file__).resolve().parent / "golden"


def _critical_values_report() -> CheckReport:
    comparisons = [{"rank": 0, "value": "3/4", "subset": [], "formula": "3/4", "comparison": "exact (rationals)"},
                   {"rank": 1, "value": "0.25", "subset": [1], "formula": "0.25", "relative_difference": "1e-45"},
                   {"rank": 1, "value": "0.5", "subset": [2], "formula": "0.5", "relative_difference": "0"}]
    instance = InstanceCheck("2,1,2 m=2 seed 1", Verdict.PASS, "3 values", {"comparisons": comparisons,
                                                                          "tolerance_agree": "1e-40"}, 1, (2, 1, 2), 2)
    return CheckReport("critical-values", "statement", False, (instance,), "data", {"digits": 50})


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory, make_sweep_directory):
    base = tmp_path_factory.mktemp("sweeps")
    return [algeo.load_result(make_sweep_directory(base / name, regularization=regularization))
            for name, regularization in (("s1", "generic"), ("s01", "generic*1/10"))]


@pytest.mark.parametrize("kind", ["index-histogram", "loss-index", "real-counts", "scale"])
def test_sweep_figures_are_written_as_png_and_pdf(kind, sweeps, tmp_path):
    figure = algeo.plot(kind, *sweeps, out=tmp_path)
    assert figure.axes and figure.axes[0].get_xlabel()
    for suffix in (".png", ".pdf"):
        assert (tmp_path / f"{kind}{suffix}").stat().st_size > 1000


def test_critical_values_figure_and_its_inputs(tmp_path):
    figure = algeo.plot("critical-values", _critical_values_report(), out=tmp_path / "values.pdf", formats=["pdf"])
    assert len(figure.axes) == 2 and (tmp_path / "values.pdf").exists() and not (tmp_path / "values.png").exists()
    with pytest.raises(InputError, match="critical-values check reports"):
        algeo.plot("critical-values", algeo.load_result(GOLDEN / "check_bh_1_2_1.json"))
    with pytest.raises(InputError, match="reads sweeps"):
        algeo.plot("index-histogram", _critical_values_report())
    with pytest.raises(InputError, match="kind"):
        algeo.plot("pie", _critical_values_report())


def test_scale_figure_needs_generic_lambda(sweeps, tmp_path, make_sweep_directory):
    scalar = algeo.load_result(make_sweep_directory(tmp_path / "scalar", regularization="1/10"))
    with pytest.raises(InputError, match="scale"):
        algeo.plot("scale", sweeps[0], scalar)


def test_plot_command_writes_both_files_and_exits_two_on_bad_input(sweeps, tmp_path, capsys):
    assert main(["plot", "real-counts", str(sweeps[0].directory), "--out", str(tmp_path / "counts")]) == 0
    assert (tmp_path / "counts.png").exists() and (tmp_path / "counts.pdf").exists()
    assert "wrote" in capsys.readouterr().out
    assert main(["plot", "real-counts", str(GOLDEN / "check_bh_1_2_1.json"), "--out", str(tmp_path / "x")]) == 2
    assert set(FIGURES) == {"index-histogram", "loss-index", "real-counts", "scale", "critical-values"}


def test_flagged_instances_are_left_out_and_said_so(tmp_path, make_sweep_directory):
    import json

    from algeo.pipeline.sweep import summarize
    from algeo.results.solve_result import write_json_atomically

    directory = make_sweep_directory(tmp_path / "sweep")
    flagged = json.loads((directory / "instances" / "0001.json").read_text())
    flagged["ok"], flagged["problems"] = False, ["N_C below the start set"]
    write_json_atomically(flagged, directory / "instances" / "0001.json")
    sweep = algeo.load_result(directory)
    write_json_atomically(summarize(directory, sweep.settings), directory / "summary.json")
    figure = algeo.plot("real-counts", directory)
    (legend,) = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert "2 instances (1 flagged left out)" in legend
    histogram = algeo.plot("index-histogram", directory)
    assert sum(bar.get_height() for bar in histogram.axes[0].patches) == 2 * 3  # 3 real points per instance


def test_usetex_without_latex_names_the_install_step(sweeps, monkeypatch):
    import shutil

    from algeo.exceptions import BackendUnavailableError

    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "latex" else real_which(name))
    with pytest.raises(BackendUnavailableError, match="apt-get install texlive-latex-extra"):
        algeo.plot("real-counts", *sweeps, usetex=True)
