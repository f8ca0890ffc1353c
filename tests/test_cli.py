"""The command line: bad input exits 2 with one line naming the field, and writes nothing."""

import json
import subprocess

import pytest

BAD_FILES = {
    "wrong-shape": ('{"X": [[1, 2, 3]], "Y": [[1], [2]]}', "X"),
    "non-numeric": ('{"X": [["a"], [1]], "Y": [[1], [2]]}', "X[0]"),
    "non-finite": ('{"X": [["inf"], [1]], "Y": [[1], [2]]}', "X[0]"),
    "nan": ('{"X": [[NaN], [1]], "Y": [[1], [2]]}', "not a finite number"),
    "truncated": ('{"X": [[1], [2]], "Y": [[1', "data"),
    "lambda-shape": ('{"X": [[1], [2]], "Y": [[1], [2]], "Lambda": [[[1]], [[1], [1]]]}', "Lambda[0]"),
}


def run(command, *args, cwd):
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def assert_clean_refusal(completed, fragment, out):
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr
    assert fragment in completed.stderr
    assert not out.exists()


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_data_files(tmp_path, algeo_command, name):
    content, fragment = BAD_FILES[name]
    (tmp_path / "in.json").write_text(content)
    out = tmp_path / "out.json"
    completed = run(algeo_command, "solve", "--widths", "2,1,2", "--data", "in.json", "--json", str(out),
                    cwd=tmp_path)
    assert_clean_refusal(completed, fragment, out)


@pytest.mark.parametrize("arguments, fragment", [
    (["--widths", "2,0,2", "--samples", "1"], "widths"),
    (["--widths", "2,-1,2", "--samples", "1"], "widths"),
    (["--widths", "2", "--samples", "1"], "at least two widths"),
    (["--widths", "2,1,2", "--data", "missing.json"], "does not exist"),
    (["--widths", "2,1,2", "--samples", "1", "--regularization", "ridge"], "regularization"),
    (["--widths", "2,1,2", "--samples", "1", "--regularization", "none"], "X X^T is singular"),
    (["--widths", "2,1,2", "--samples", "0"], "samples"),
    (["--widths", "2,1,2"], "samples"),
    (["--widths", "2,1,2", "--samples", "x"], "--samples"),
])
def test_bad_options(tmp_path, algeo_command, arguments, fragment):
    out = tmp_path / "out.json"
    completed = run(algeo_command, "solve", *arguments, "--json", str(out), cwd=tmp_path)
    assert_clean_refusal(completed, fragment, out)


@pytest.mark.phc
def test_a_run_writes_the_result(tmp_path, algeo_command):
    out = tmp_path / "sub" / "out.json"
    completed = run(algeo_command, "solve", "--widths", "2,1,2", "--samples", "1", "--seed", "3",
                    "--json", str(out), cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert "N_C = 9" in completed.stdout and "9 paths (5 tracked, 4 as sign-flip images)" in completed.stdout
    assert "exact (msolve over QQ" in completed.stdout and "agree" in completed.stdout
    data = json.loads(out.read_text())
    assert data["ok"] is True and data["counts"]["complex"] == data["counts"]["exact_complex"] == 9
    assert data["provenance"]["method"]["name"] == "parameter_homotopy" and data["counts"]["paths"] == 9


@pytest.mark.phc
def test_a_system_over_the_path_budget_is_refused(tmp_path, algeo_command):
    out = tmp_path / "out.json"
    completed = run(algeo_command, "solve", "--widths", "2,2,2", "--samples", "1", "--max-paths", "100",
                    "--start-set", "none", "--json", str(out), cwd=tmp_path)
    assert_clean_refusal(completed, "stable mixed volume is 1089 paths, over the budget of 100", out)
