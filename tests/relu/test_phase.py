"""The phase-diagram experiment: grids, CSV, resume, workers, heat maps, CLI errors (algeo.relu.phase)."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from algeo.exceptions import InputError
from algeo.relu.phase import CSV_FIELDS, PhaseGrid, algeo_cell, parse_range, parse_ratios, run_grids
from algeo.relu.phase_plot import plot_grid

ALGEO = [sys.executable, "-m", "algeo.cli"]


def _grid(**changes) -> PhaseGrid:
    settings = dict(protocol="karhadkar", d0=1, ratio=None, samples=(2, 4), widths=(1, 3), trials=10, seed=0,
                    ranks=("exact", "float32"))
    settings.update(changes)
    return PhaseGrid(**settings)


def test_parse_range_ratios_and_errors():
    assert parse_range("2:10:4", "samples") == (2, 6, 10)
    assert parse_ratios("0.25,0.5,1,2") == ("0.25", "0.5", "1", "2")
    with pytest.raises(InputError, match="samples"):
        parse_range("1:x", "samples")
    with pytest.raises(InputError, match="width"):
        parse_range("0", "width")
    for bad in ("0", "-1", "x", "1/2"):
        with pytest.raises(InputError, match="ratio"):
            parse_ratios(bad)


@pytest.mark.parametrize("changes, field", [
    (dict(protocol="torch"), "protocol"),
    (dict(ratio="0.5"), "d0"),                              # both d0 and ratio
    (dict(ranks=("exact", "float16")), "rank"),
    (dict(trials=0), "trials"),
    (dict(protocol="algeo", ranks=("float32",)), "protocol"),
    (dict(bias=False), "no-bias"),
])
def test_grid_options_are_checked_by_name(changes, field):
    with pytest.raises(InputError) as error:
        _grid(**changes)
    assert error.value.field == field


def test_ratio_grids_set_d0_per_n_and_keep_the_ratio_in_file_names(tmp_path):
    grid = _grid(d0=None, ratio="0.25", samples=(10, 30), widths=(1, 2), trials=3)
    assert [grid.d0_for(n) for n in grid.samples] == [3, 8] and grid.name == "karhadkar_ratio_0.25"
    results, _ = run_grids([grid], tmp_path)
    assert {cell.d0 for cell in results[grid]} == {3, 8}
    assert plot_grid(grid, results[grid], tmp_path / grid.name) == [tmp_path / "karhadkar_ratio_0.25.png"]


def test_algeo_cells_are_reproducible_and_extremes_are_right():
    assert algeo_cell(1, True, 6, 8, 30, 3) == algeo_cell(1, True, 6, 8, 30, 3)
    # d1 (d0 + 1) < n: the Khatri-Rao matrix has fewer columns than rows, never full rank
    assert algeo_cell(2, True, 12, 3, 40, 0)[0] == 0
    # one sample, one neuron with a bias: full rank iff the neuron is active on it (probability 1/2)
    assert 150 < algeo_cell(1, True, 1, 1, 400, 0)[0] < 250


def test_grids_resume_from_their_csv_and_workers_do_not_change_results(tmp_path):
    grid = _grid()
    results, computed = run_grids([grid], tmp_path)
    assert computed == 4 and len(results[grid]) == 8
    with (tmp_path / "karhadkar_d0_1.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert tuple(rows[0]) == CSV_FIELDS and len(rows) == 8
    bigger = _grid(samples=(2, 4, 6), ranks=("exact", "float64", "float32"))
    again, computed = run_grids([bigger], tmp_path)
    assert computed == 6 and len(again[bigger]) == 18          # 2 new cells, float64 for the 4 old ones
    old = {(c.n, c.d1, c.rank, c.full_rank) for c in results[grid]}
    assert old <= {(c.n, c.d1, c.rank, c.full_rank) for c in again[bigger]}
    parallel, computed = run_grids([bigger], tmp_path / "parallel", workers=2)
    assert computed == 6
    assert {c.key + (c.full_rank,) for c in parallel[bigger]} == {c.key + (c.full_rank,) for c in again[bigger]}


def test_cli_phase_writes_csv_png_and_resumes(tmp_path):
    command = [*ALGEO, "relu", "phase", "--d0", "2", "--samples", "2:4:2", "--width", "1:2:1", "--trials", "5",
               "--out", str(tmp_path), "-q"]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for suffix in ("csv", "png"):
        assert (tmp_path / f"karhadkar_d0_2.{suffix}").stat().st_size > 0
    rerun = subprocess.run(command, capture_output=True, text=True)
    assert "0 cells computed now (8 rows in all)" in rerun.stdout


@pytest.mark.parametrize("options, message", [
    (["--d0", "2", "--rank", "exact,float16"], "rank: float16 is not a rank method"),
    (["--d0", "2", "--ratio", "0.5"], "d0: give exactly one of --d0 and --ratio"),
    (["--ratio", "half"], "ratio: 'half' is not a positive decimal"),
    (["--d0", "2", "--workers", "0"], "workers: is 0"),
    (["--d0", "2", "--protocol", "torch"], "protocol: 'torch' is unknown"),
])
def test_cli_phase_option_errors_name_the_field(tmp_path, capsys, options, message):
    from algeo.cli import main

    assert main(["relu", "phase", *options, "--out", str(tmp_path), "-q"]) == 2
    assert message in capsys.readouterr().err
