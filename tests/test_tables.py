"""The LaTeX writer: golden files, honest missing fields, directories of results, pdflatex compile."""

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from algeo import tables
from algeo.exceptions import InputError

GOLDEN = Path(__file__).resolve().parent / "golden"
RESULT = GOLDEN / "result_1_2_1_seed1.json"  # algeo solve --widths 1,2,1 --samples 1 --seed 1 --json ...
CHECK = GOLDEN / "check_bh_1_2_1.json"  # algeo check bh-bounds --widths 1,2,1 --samples 1 --instances 2 --seed 1


def documents():
    return tables.load_documents([RESULT, CHECK])


def golden(name: str, text: str, update: bool = False) -> None:
    path = GOLDEN / name
    if update:  # pragma: no cover - used by hand to regenerate, then reviewed
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed; regenerate by hand and review the diff"


def test_root_count_table_matches_golden_file():
    text = tables.root_count_table(documents())
    golden("table_root_counts.tex", text)
    assert r"1 & 2 & 1 & 1 & 1 & 4 & 81 & 25 & 9$^{\ddagger}$ & 0$^{\ddagger}$ & 3 & 1 \\" in text  # published counts
    assert r"\toprule" in text and "Seeds 1." in text


def test_critical_points_table_matches_golden_file():
    text = tables.critical_points_table(json.loads(RESULT.read_text()))
    golden("table_points.tex", text)
    assert "$0.07090476118$" in text and "Loss to 10 significant digits" in text
    assert text.count("---") >= 6  # pure/spurious and certified are absent from this result: not invented


def test_check_summary_table_matches_golden_file():
    text = tables.check_summary_table(documents())
    golden("table_checks.tex", text)
    assert text.count(r"\textbf{PASS}") == 2 and "Seeds 1--2" in text


def test_present_fields_are_shown_and_absent_ones_are_dashes():
    result = json.loads(RESULT.read_text())
    real = [p for p in result["points"] if p["real"]]
    real[0]["pure"] = True
    real[1]["pure"] = False
    real[0]["certified"] = {"status": "proven"}
    real[1]["certified"] = False
    text = tables.critical_points_table(result)
    assert "pure" in text and "spurious" in text and "proven" in text and "not proven" in text
    assert "---" in text  # the third point still has neither field
    real[2]["certificate"] = {"proven_unique": True, "proven_real": True, "proven_local_minimum": False}  # certify.py
    real[1]["certified"] = None
    real[1]["certificate"] = {"proven_unique": True, "proven_real": False, "proven_local_minimum": False}
    text = tables.critical_points_table(result)
    assert text.count("not proven") == 1 and text.count("proven") == 3


def test_disagreeing_instances_give_a_range_and_flags_a_dagger():
    first = json.loads(RESULT.read_text())
    second = copy.deepcopy(first)
    second["counts"]["complex"] = 7
    second["ok"] = False
    second["provenance"]["seed"] = 5
    text = tables.root_count_table([first, second])
    assert "7--9" in text and r"$^{\dagger}$" in text and "Seeds 1, 5." in text


def test_directory_of_results_is_read_and_non_algeo_json_skipped(tmp_path):
    (tmp_path / "instances").mkdir()
    shutil.copy(RESULT, tmp_path / "instances" / "a.json")
    (tmp_path / "summary.json").write_text('{"rows": []}')
    found = tables.load_documents([tmp_path])
    assert len(found) == 1 and found[0]["algeo_result"] == "solve"
    with pytest.raises(InputError, match="not an algeo result"):
        tables.load_documents([tmp_path / "summary.json"])


def test_wrong_kind_is_refused():
    with pytest.raises(InputError, match="'solve' JSON"):
        tables.root_count_table(tables.load_documents([CHECK]))


def test_standalone_document_compiles_with_pdflatex(tmp_path):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (apt-get install texlive-latex-recommended); compile not tested")
    docs = documents()
    body = tables.standalone_document(tables.root_count_table(docs), tables.critical_points_table(docs[0]),
                                      tables.check_summary_table(docs))
    (tmp_path / "t.tex").write_text(body)
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "t.pdf").stat().st_size > 1000


def test_table_command_writes_a_file_and_rejects_bad_input(tmp_path, algeo_command):
    out = tmp_path / "t.tex"
    run = subprocess.run([*algeo_command, "table", "root-counts", str(RESULT), "-o", str(out), "--standalone"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert out.read_text().startswith(r"\documentclass")
    bad = subprocess.run([*algeo_command, "table", "points", str(tmp_path / "missing.json")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "does not exist" in bad.stderr


def test_unregularized_products_table_shows_purity_and_index_sets():
    result = json.loads(RESULT.read_text())
    result["algeo_result"] = "solve_unregularized"
    result["filling"] = False
    result["products"] = [  # the fields issue 4's Product.to_json writes
        {"index": 0, "index_set": [1], "rank": 1, "loss": 0.1, "loss_text": "0.1", "stratum_index": 0,
         "is_local_minimum_on_M_r": True, "is_global": True, "purity": "pure"},
        {"index": 1, "index_set": [], "rank": 0, "loss": 0.5, "loss_text": "0.5", "stratum_index": 0,
         "is_local_minimum_on_M_r": False, "is_global": False, "purity": "spurious"},
        {"index": 2, "index_set": [2], "rank": None, "loss": None, "loss_text": None, "stratum_index": None,
         "is_local_minimum_on_M_r": None, "is_global": None, "purity": "undecided"},
    ]
    text = tables.critical_points_table(result)
    assert r"$\{1\}$" in text and "global min." in text and "spurious" in text and "undecided" in text
    assert "non-filling" in text and text.count("---") >= 4


def test_table_command_reads_a_sweep_directory(tmp_path, make_sweep_directory, capsys):
    from algeo.cli import main

    directory = make_sweep_directory(tmp_path / "sweep")
    assert main(["table", "root-counts", str(directory)]) == 0
    text = capsys.readouterr().out
    assert "Instances of algeo sweep with seed 0" in text and r"9$^{\ddagger}$ & 0$^{\ddagger}$ & 3 & 3 \\" in text
    assert main(["table", "points", str(directory), "--exact"]) == 2  # --exact is for root-counts


def test_exact_counts_come_from_msolve_or_singular_over_zz_p(tmp_path, make_sweep_directory, capsys):
    from algeo.cli import main
    from algeo.verify.exact import singular_available
    from algeo.verify.msolve import msolve_available

    if not (msolve_available() or singular_available()):
        pytest.skip("needs msolve or Singular (./setup.sh installs both)")
    directory = make_sweep_directory(tmp_path / "sweep")
    assert main(["table", "root-counts", str(directory), "--exact"]) == 0
    text = capsys.readouterr().out
    assert r"9$^{\ddagger}$ & 0$^{\ddagger}$" in text and r"count over $\mathbf{Z}/p$" in text
    assert tables.row_exact_counts(tables.load_documents([directory])) == {((1, 2, 1), 1): (9, 0)}
