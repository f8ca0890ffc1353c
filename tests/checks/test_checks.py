"""Theorem checks in general: verdict rules, input errors, instances, the command line.

Per theorem: test_critical_values.py, test_unregularized.py (no-spurious-minima, pure-spurious),
test_proof.py (regularized-spurious-minima), test_claims.py (a wrong claim of each kind FAILs).
"""

import json
import subprocess

import pytest

from algeo.checks import run_check
from algeo.checks.report import Verdict, overall_verdict
from algeo.exceptions import InputError


def test_overall_verdict_rules():
    assert overall_verdict([Verdict.PASS, Verdict.PASS]) is Verdict.PASS
    assert overall_verdict([Verdict.PASS, Verdict.UNDECIDED]) is Verdict.UNDECIDED
    assert overall_verdict([Verdict.PASS, Verdict.FAIL]) is Verdict.FAIL
    assert overall_verdict([Verdict.UNDECIDED, Verdict.PASS], existence=True) is Verdict.PASS
    assert overall_verdict([Verdict.UNDECIDED], existence=True) is Verdict.UNDECIDED
    assert overall_verdict([]) is Verdict.UNDECIDED


def test_unknown_theorem_claim_and_bad_hypotheses_are_input_errors():
    with pytest.raises(InputError, match="theorem"):
        run_check("riemann", "1,1,1", samples=1)
    with pytest.raises(InputError, match="claim"):
        run_check("bh-bounds", "1,1,1", samples=1, claim={"nonsense": 3})
    with pytest.raises(InputError, match="samples"):
        run_check("bh-bounds", "1,1,1", samples=2)
    with pytest.raises(InputError, match="widths"):
        run_check("bh-bounds", "1,1,1,1", samples=1)
    with pytest.raises(InputError, match="claim"):
        run_check("no-spurious-minima", "2,1,2", samples=2, claim={"local_minima": "3/2"})
    with pytest.raises(InputError, match="claim"):
        run_check("bh-bounds", "1,1,1", samples=1, claim={"complex_bound": -1})
    with pytest.raises(InputError, match="claim"):
        run_check("critical-values", "2,1,2", samples=3, claim={"offset": "one"})


def test_eckart_young_hypothesis_failure_is_undecided_not_pass():
    report = run_check("ed-degree", "2,1,2", samples=1, seed=1)  # XX^T is 2x2 of rank 1
    assert report.verdict is Verdict.UNDECIDED
    assert "XX^T is singular" in report.instances[0].summary


@pytest.mark.phc
def test_check_command_exits_one_on_fail_and_writes_json(tmp_path, algeo_command):
    out = tmp_path / "report.json"
    run = subprocess.run([*algeo_command, "check", "bh-bounds", "--widths", "1,1,1", "--samples", "1", "--seed", "2",
                          "--claim", "complex_bound=4", "--json", str(out)], capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    report = json.loads(out.read_text())
    assert report["algeo_result"] == "check" and report["verdict"] == "FAIL"
    assert report["instances"][0]["evidence"]["N_C"] == 5 and report["provenance"]["claim"] == {"complex_bound": 4}


def test_user_data_file_is_one_instance(tmp_path):
    path = tmp_path / "instance.json"
    path.write_text('{"X": [["1/3"], ["2/5"]], "Y": [["-2/7"], ["1"]]}')
    report = run_check("critical-values", "2,1,2", data=path)
    (instance,) = report.instances
    assert instance.label == "file instance.json" and instance.seed is None
    assert instance.verdict is Verdict.UNDECIDED and "XX^T is singular" in instance.summary  # one sample, d_0 = 2
    with pytest.raises(InputError, match="instances"):
        run_check("critical-values", "2,1,2", data=path, instances=2)




@pytest.mark.phc
def test_wrong_number_of_minima_fails_on_the_command_line(tmp_path, algeo_command):
    out = tmp_path / "report.json"
    run = subprocess.run([*algeo_command, "check", "no-spurious-minima", "--widths", "2,1,2", "--samples", "2",
                          "--seed", "1", "--claim", "local_minima=2", "--json", str(out)], capture_output=True, text=True)
    assert run.returncode == 1 and "FAIL" in run.stdout, run.stdout + run.stderr
    evidence = json.loads(out.read_text())["instances"][0]["evidence"]
    assert evidence["local_minima"] == 1 and evidence["claimed_local_minima"] == 2 and evidence["complete"]
