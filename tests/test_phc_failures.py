"""PHCpack crashing, hanging or losing paths: retried with new seeds, recorded, never silent."""

import os
import shutil
import stat

import pytest

import algeo
from algeo.phc import AttemptOutcome

pytestmark = pytest.mark.phc

REAL_PHC = shutil.which("phc")


def fake_phc(tmp_path, monkeypatch, body):
    """Put a ``phc`` script first on PATH; ``$REAL`` is the real program, ``$COUNT`` the call number."""
    directory = tmp_path / "bin"
    directory.mkdir()
    script = directory / "phc"
    script.write_text(
        "#!/usr/bin/env bash\n"
        f"REAL={REAL_PHC}\n"
        f"counter={tmp_path}/calls\n"
        "COUNT=$(( $(cat $counter 2>/dev/null || echo 0) + 1 )); echo $COUNT > $counter\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ['PATH']}")


def test_a_crash_is_retried_with_another_seed(tmp_path, monkeypatch):
    fake_phc(tmp_path, monkeypatch,
             'if [ $COUNT -eq 1 ]; then echo "raised CONSTRAINT_ERROR : fake crash" >&2; exit 1; fi\n'
             'exec $REAL "$@"\n')
    result = algeo.solve("2,1,2", samples=1, seed=3, backend="phc")
    attempts = result.provenance["backend"]["attempts"]
    assert [a["outcome"] for a in attempts] == ["crashed", "ok"]
    assert attempts[0]["seed"] != attempts[1]["seed"]
    assert "fake crash" in attempts[0]["detail"]
    assert result.ok and result.counts.complex == 9


def test_lost_paths_count_as_a_failed_attempt(tmp_path, monkeypatch):
    # first call: run the real solver, then cut the output in half (paths lost without an error)
    fake_phc(tmp_path, monkeypatch,
             '$REAL "$@"; status=$?\n'
             'if [ $COUNT -eq 1 ]; then out="${@: -1}"; head -c $(( $(wc -c < "$out") / 2 )) "$out" > "$out.x";'
             ' mv "$out.x" "$out"; fi\nexit $status\n')
    result = algeo.solve("2,1,2", samples=1, seed=3, backend="phc")
    outcomes = [a["outcome"] for a in result.provenance["backend"]["attempts"]]
    assert outcomes[0] in (AttemptOutcome.INCOMPLETE.value, AttemptOutcome.UNPARSEABLE.value)
    assert outcomes[-1] == "ok" and result.ok


def test_a_hang_is_killed_and_reported(tmp_path, monkeypatch):
    fake_phc(tmp_path, monkeypatch, "sleep 60\n")
    result = algeo.solve("1,1,1", samples=1, seed=3, backend="phc", timeout=1.5, max_attempts=2)
    attempts = result.provenance["backend"]["attempts"]
    assert [a["outcome"] for a in attempts] == ["timed_out", "timed_out"]
    assert not result.ok and "every PHCpack attempt failed" in result.problems[0]
    assert result.counts.paths == 0 and result.counts.complex == 0


def test_phcpy_takes_over_and_says_its_accounting_is_inferred(tmp_path, monkeypatch):
    pytest.importorskip("algeo.phc._phcpy_worker")
    if not os.path.isdir("/usr/lib/python3/dist-packages/phcpy"):
        pytest.skip("python3-phcpy is not installed")
    fake_phc(tmp_path, monkeypatch, 'echo "raised STORAGE_ERROR : fake" >&2; exit 1\n')
    result = algeo.solve("2,1,2", samples=1, seed=3, backend="auto", max_attempts=1)
    attempts = result.provenance["backend"]["attempts"]
    assert [(a["backend"], a["outcome"]) for a in attempts] == [("phc", "crashed"), ("phcpy", "ok")]
    assert result.provenance["backend"]["paths_observed"] is False
    assert any("inferred" in w for w in result.warnings)
    assert result.counts.complex == 9 and result.counts.at_infinity == 24
