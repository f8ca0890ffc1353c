"""examples/root_count_table.py regenerates the published one-hidden-layer rows (N <= 10) as LaTeX."""

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from algeo.verify.known_counts import PUBLISHED_M1

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "root_count_table.py"


def load():
    spec = importlib.util.spec_from_file_location("root_count_table", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def table_rows(text: str) -> dict[tuple[int, int, int], dict]:
    """Parse the LaTeX rows back: H & d & d_x & d_y & m & N & CBB & BKK & N_C & N_C* & max N_R & inst."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.rstrip("\\ ").split("&")]
        if len(cells) == 12 and re.fullmatch(r"\d+", cells[0]):
            exact = [r"\ddagger" in c for c in cells[8:10]]   # counts marked as equal to the exact ones
            h, d, dx, dy, m, n, cbb, bkk, nc, ncs = (int(re.sub(r"\$\^\{\\d?dagger\}\$", "", c)) for c in cells[:10])
            rows[(dx, d, dy)] = {"N": n, "CBB": cbb, "BKK": bkk, "N_C": nc, "N_C*": ncs, "m": m, "H": h,
                                 "exact_marks": exact}
    return rows


def test_architectures_are_exactly_the_published_rows_with_at_most_ten_unknowns():
    expected = sorted(w for w, row in PUBLISHED_M1.items() if len(w) == 3 and row["N"] <= 10)
    assert sorted(load().architectures(10)) == expected and len(expected) == 20


def check_against_published(text, documents, n_rows):
    rows = table_rows(text)
    assert len(rows) == n_rows
    for widths, row in rows.items():
        published = PUBLISHED_M1[widths]
        for key in ("N", "CBB", "BKK", "N_C", "N_C*"):
            assert row[key] == published[key], (widths, key, row[key], published[key])
        assert row["m"] == 1 and row["H"] == 1
    assert all(d["ok"] for d in documents)


@pytest.mark.phc
def test_example_table_small_rows_equal_published_columns(tmp_path):
    """The rows with N <= 6 (13 architectures, at most 245 paths each) in the regular suite."""
    text, documents = load().run(max_unknowns=6)
    check_against_published(text, documents, 13)
    compile_latex(text, tmp_path)


@pytest.mark.phc
@pytest.mark.slow
def test_example_table_equals_published_columns(tmp_path):
    """All 20 rows with N <= 10 (up to 5329 paths per row: several minutes on 2 cores)."""
    text, documents = load().run()
    check_against_published(text, documents, 20)
    compile_latex(text, tmp_path)


def compile_latex(text, tmp_path):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed: the table was checked but not compiled")
    (tmp_path / "t.tex").write_text(text)
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
