"""The phase-diagram experiment: grid, CSV, resume, heat map (algeo.relu.phase)."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from algeo.exceptions import InputError
from algeo.relu.phase import CSV_FIELDS, parse_range, run_cell, run_phase

ALGEO = [sys.executable, "-m", "algeo.cli"]


def test_parse_range_and_errors():
    assert parse_range("2:10:4", "samples") == (2, 6, 10)
    with pytest.raises(InputError, match="samples"):
        parse_range("1:x", "samples")
    with pytest.raises(InputError, match="width"):
        parse_range("0", "width")


def test_cells_are_reproducible_and_extremes_are_right():
    first, second = run_cell(1, True, 6, 8, 30, 3), run_cell(1, True, 6, 8, 30, 3)
    assert (first.full_rank, first.boundary) == (second.full_rank, second.boundary)
    # d1 (d0 + 1) < n: the Khatri-Rao matrix has fewer columns than rows, never full rank
    assert run_cell(2, True, 12, 3, 40, 0).full_rank == 0
    # one sample, one neuron with a bias: full rank iff the neuron is active on it (probability 1/2)
    cell = run_cell(1, True, 1, 1, 400, 0)
    assert 150 < cell.full_rank < 250


def test_phase_resumes_from_its_csv(tmp_path):
    target = tmp_path / "phase.csv"
    cells, computed = run_phase(d0=1, samples=(2, 4), widths=(1, 3), trials=10, seed=0, bias=True, csv_path=target)
    assert computed == 4 and len(cells) == 4
    with target.open() as stream:
        rows = list(csv.DictReader(stream))
    assert tuple(rows[0]) == CSV_FIELDS and len(rows) == 4
    again, computed = run_phase(d0=1, samples=(2, 4, 6), widths=(1, 3), trials=10, seed=0, bias=True,
                                csv_path=target)
    assert computed == 2 and len(again) == 6
    assert {(c.n, c.d1, c.full_rank) for c in cells} <= {(c.n, c.d1, c.full_rank) for c in again}


def test_cli_phase_writes_csv_png_pdf(tmp_path):
    done = subprocess.run([*ALGEO, "relu", "phase", "--d0", "2", "--samples", "2:4:2", "--width", "1:2:1",
                           "--trials", "5", "--out", str(tmp_path), "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for suffix in ("csv", "png", "pdf"):
        assert (tmp_path / f"phase_d0_2.{suffix}").stat().st_size > 0
    rerun = subprocess.run([*ALGEO, "relu", "phase", "--d0", "2", "--samples", "2:4:2", "--width", "1:2:1",
                            "--trials", "5", "--out", str(tmp_path), "-q"], capture_output=True, text=True)
    assert "0 computed now, 4 resumed" in rerun.stdout
