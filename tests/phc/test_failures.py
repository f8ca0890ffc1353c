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
    result = algeo.solve("2,1,2", samples=1, seed=3, options=algeo.SolveOptions(backend="phc", start_set="none"))
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
    result = algeo.solve("2,1,2", samples=1, seed=3, options=algeo.SolveOptions(backend="phc", start_set="none"))
    outcomes = [a["outcome"] for a in result.provenance["backend"]["attempts"]]
    assert outcomes[0] in (AttemptOutcome.INCOMPLETE.value, AttemptOutcome.UNPARSEABLE.value)
    assert outcomes[-1] == "ok" and result.ok


def test_a_hang_is_killed_and_reported(tmp_path, monkeypatch):
    fake_phc(tmp_path, monkeypatch, "sleep 60\n")
    result = algeo.solve("1,1,1", samples=1, seed=3, options=algeo.SolveOptions(backend="phc", timeout=1.5, max_attempts=2, start_set="none"))
    attempts = result.provenance["backend"]["attempts"]
    assert [a["outcome"] for a in attempts] == ["timed_out", "timed_out"]
    assert not result.ok and "every PHCpack attempt failed" in result.problems[0]
    assert result.counts.paths == 0 and result.counts.complex == 0


def test_phcpy_takes_over_and_says_its_accounting_is_inferred(tmp_path, monkeypatch):
    pytest.importorskip("algeo.phc._phcpy_worker")
    if not os.path.isdir("/usr/lib/python3/dist-packages/phcpy"):
        pytest.skip("python3-phcpy is not installed")
    fake_phc(tmp_path, monkeypatch, 'echo "raised STORAGE_ERROR : fake" >&2; exit 1\n')
    result = algeo.solve("2,1,2", samples=1, seed=3, options=algeo.SolveOptions(backend="auto", max_attempts=1, start_set="none"))
    attempts = result.provenance["backend"]["attempts"]
    assert [(a["backend"], a["outcome"]) for a in attempts] == [("phc", "crashed"), ("phcpy", "ok")]
    assert result.provenance["backend"]["paths_observed"] is False
    assert any("inferred" in w for w in result.warnings)
    assert result.counts.complex == 9 and result.counts.at_infinity == 24


def test_track_retries_only_the_failed_paths_with_the_next_gamma(monkeypatch):
    """A path that does not end at a solution is tracked again alone, with the next gamma; the others are kept."""
    import numpy

    from algeo import phc
    from algeo.model.architecture import Architecture
    from algeo.model.family import ParameterFamily

    calls = []

    def fake_track(target, start, points, names, *, gamma, precision, timeout, attempt_number=0):
        calls.append((len(points), gamma))
        paths = []
        for k, point in enumerate(points):
            ok = attempt_number > 0 or k % 2 == 0  # the first gamma loses every second path
            paths.append(phc.RawPath(1, tuple(point), 1 + 0j, 1, 0.0, 1.0, 0.0, "success" if ok else "failure",
                                     "regular" if ok else "path did not end at a solution at t = 1"))
        return phc.Attempt("phcpy-track", attempt_number, AttemptOutcome.OK, 0.1), tuple(paths), "fake"

    monkeypatch.setattr(phc, "phcpy_track", fake_track)
    family = ParameterFamily(Architecture((1, 1, 1)), 1)
    system = family.coefficients(family.random_parameters(0))
    points = [tuple(complex(k, j) for j in range(len(family.variable_names))) for k in range(4)]
    run = phc.track(system, system, points, family.variable_names, gammas=[1, 1j, -1])
    assert calls == [(4, 1), (2, 1j)]  # only the 2 failed paths were tracked again, and the third gamma not used
    assert run.succeeded and [a.outcome for a in run.attempts] == [AttemptOutcome.INCOMPLETE, AttemptOutcome.OK]
    assert "2 of 4 paths" in run.attempts[0].detail and "retried" in run.attempts[1].detail
    assert [numpy.real(p.coordinates[0]) for p in run.paths] == [0, 1, 2, 3]  # ends in the order of the starts
    assert all(p.outcome == "success" for p in run.paths)


def test_track_keeps_failed_ends_when_every_gamma_fails(monkeypatch):
    from algeo import phc
    from algeo.model.architecture import Architecture
    from algeo.model.family import ParameterFamily

    def fake_track(target, start, points, names, *, gamma, precision, timeout, attempt_number=0):
        paths = tuple(phc.RawPath(1, tuple(p), 0.5 + 0j, 1, 0.0, 1.0, 1.0, "failure", "path did not end at a solution")
                      for p in points)
        return phc.Attempt("phcpy-track", attempt_number, AttemptOutcome.OK, 0.1), paths, "fake"

    monkeypatch.setattr(phc, "phcpy_track", fake_track)
    family = ParameterFamily(Architecture((1, 1, 1)), 1)
    system = family.coefficients(family.random_parameters(0))
    points = [tuple(complex(k) for _ in family.variable_names) for k in range(3)]
    run = phc.track(system, system, points, family.variable_names, gammas=[1, -1])
    assert not run.succeeded and len(run.paths) == 3  # every path accounted for, as a failure
    assert [a.outcome for a in run.attempts] == [AttemptOutcome.INCOMPLETE, AttemptOutcome.INCOMPLETE]
