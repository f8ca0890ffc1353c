"""Start sets: made once, checked against the blackbox, keyed, reused; bad --start-set is an input error."""

import json

import pytest

from algeo import SolveOptions
from algeo.exceptions import InputError, SolverFailedError

from algeo.model.architecture import Architecture
from algeo.cli import main
from algeo.model.family import ParameterFamily, tracking_family
from algeo.pipeline.solve import instance_check
from algeo.startsets.build import ensure_start_set
from algeo.startsets.store import load_start_set, start_set_path


def test_a_missing_start_set_file_is_an_input_error(tmp_path, capsys):
    code = main(["solve", "--widths", "1,1,1", "--samples", "1", "--start-set", str(tmp_path / "nothing.json")])
    assert code == 2
    assert "start_set" in capsys.readouterr().err


@pytest.mark.phc
def test_start_set_is_made_checked_stored_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("ALGEO_START_SETS", str(tmp_path))
    monkeypatch.setattr("algeo.startsets.store.SHIPPED", tmp_path / "no-shipped-sets")
    family = tracking_family(Architecture((1, 1, 1)), 1)  # m >= d_0: the Gram formulation
    assert family.formulation == "gram-v1"
    made = ensure_start_set(family, method="blackbox", check_instance=instance_check(family))
    assert made.size == 5  # Table 3.1, first row: N_C = 5
    assert made.check["blackbox_N_C"] == 5 and made.check["published_N_C"] == 5
    assert made.check["confirmed_by"] == ["blackbox instance", "published count"]
    path = start_set_path(family)
    assert path.parent == tmp_path and family.key in path.name
    stamp = path.stat().st_mtime_ns
    again = ensure_start_set(family)  # loaded, not made again
    assert path.stat().st_mtime_ns == stamp and again.points == made.points
    # a solve uses it, and names it in its provenance
    target = tmp_path / "result.json"
    assert main(["solve", "--widths", "1,1,1", "--samples", "1", "--seed", "9", "--json", str(target), "-q"]) == 0
    method = json.loads(target.read_text())["provenance"]["method"]
    assert method["name"] == "parameter_homotopy" and method["start_set"]["key"] == family.key
    # a Gram set serves every m >= d_0; the wrong family's file is refused
    assert load_start_set(tracking_family(Architecture((1, 1, 1)), 2), path) == made
    other = tracking_family(Architecture((1, 1, 2)), 1)
    assert load_start_set(other, path) is None
    assert main(["solve", "--widths", "1,1,2", "--samples", "1", "--start-set", str(path)]) == 2


@pytest.mark.phc
@pytest.mark.singular
@pytest.mark.slow
def test_monodromy_finds_every_critical_point_of_a_small_network():
    from algeo.startsets.build import make_start_set

    family = ParameterFamily(Architecture((1, 1, 1)), 1)
    made = make_start_set(family, method="monodromy")  # no blackbox used
    assert made.size == 5 == made.check["published_N_C"] == made.check["modular_count"]["N_C"]
    assert made.check["largest_residual"] < 1e-8 and made.check["closest_pair_distance"] > 1e-6
    assert made.check["trace_test"]["verdict"] == "complete"
    assert made.check["confirmed_by"] == ["modular count", "trace test", "published count"]


@pytest.mark.phc
@pytest.mark.singular
def test_a_monodromy_set_is_confirmed_by_the_modular_count_alone_when_the_trace_test_is_skipped():
    from algeo.startsets.build import make_start_set

    family = ParameterFamily(Architecture((1, 3, 1)), 1)  # one pass stopped at 11 of 13 with seed 0
    made = make_start_set(family, method="monodromy", trace=False)
    assert made.size == 13 == made.check["modular_count"]["N_C"]
    assert "trace_test" not in made.check
    assert made.check["confirmed_by"] == ["modular count", "published count"]


@pytest.mark.phc
def test_a_monodromy_set_that_disagrees_with_the_modular_count_is_not_stored(monkeypatch):
    from algeo.startsets import build as startset
    from algeo.verify.exact import ExactCounts

    monkeypatch.setattr(startset, "_modular_count", lambda family, seed, timeout=600: ExactCounts(6, 4, 0.0, 32003))
    family = ParameterFamily(Architecture((1, 1, 1)), 1)
    with pytest.raises(SolverFailedError, match="modular count .* is 6"):
        startset.make_start_set(family, method="monodromy", trace=False)


@pytest.mark.parametrize("count", [5, 6])
def test_a_slow_count_runs_beside_the_monodromy(monkeypatch, count):
    """The count arrives after the monodromy started without a target: it still decides, and a higher one
    sends the monodromy out again (widths 1,1,1 have 5 solutions)."""
    import time

    from algeo.startsets import build as startset
    from algeo.tracking import graph_monodromy as graph
    from algeo.verify.exact import ExactCounts

    def slow_count(family, seed, timeout=600):
        time.sleep(0.5)
        return ExactCounts(count, None, 0.5, 32003)

    calls = []
    original = graph.graph_monodromy
    monkeypatch.setattr(graph, "graph_monodromy", lambda *a, **k: calls.append(k.get("target")) or original(*a, **k))
    monkeypatch.setattr(startset, "_modular_count", slow_count)
    monkeypatch.setattr(startset, "COUNT_WAIT", 0.0)
    family = tracking_family(Architecture((1, 1, 1)), 2)
    if count == 5:
        made = startset.make_start_set(family, method="monodromy", trace=False)
        assert made.size == 5 and made.check["confirmed_by"] == ["modular count"] and calls == [None]
    else:
        with pytest.raises(SolverFailedError, match="modular count .* is 6"):
            startset.make_start_set(family, method="monodromy", trace=False)
        assert calls == [None, 6]


def test_without_a_count_a_second_independent_monodromy_confirms_the_set():
    """timeout 0: no count; graph monodromy from other data agrees (widths 2,1,2 Gram: 17 points, as in the
    shipped set msolve confirmed)."""
    from algeo.startsets.build import make_start_set

    family = tracking_family(Architecture((2, 1, 2)), 2)
    made = make_start_set(family, method="monodromy", trace=False, timeout=0)
    record = made.check["independent_monodromy"]
    assert "modular_count" not in made.check
    assert record["agrees"] and record["points"] == made.size == record["landed_on_start_points"] == 17
    assert record["new_points"] == 0 and record["lost_on_the_way"] == 0
    assert made.check["confirmed_by"][0] == "independent graph monodromy"


def test_a_set_missing_points_is_refused_by_the_independent_monodromy(monkeypatch):
    """The first run loses a point (injected): the second run's points land on a new one, and nothing is stored."""
    from algeo.startsets import build as startset
    from algeo.tracking import graph_monodromy as graph
    from algeo.tracking.monodromy import MonodromyResult

    original = graph.graph_monodromy
    calls = []

    def first_short(*args, **kwargs):
        result = original(*args, **kwargs)
        calls.append(kwargs.get("seed"))
        if len(calls) == 1:
            result = MonodromyResult(result.parameters, result.points[1:], result.loops,
                                     result.counts_after_each_loop, result.failed_paths)
        return result

    monkeypatch.setattr(graph, "graph_monodromy", first_short)
    family = tracking_family(Architecture((2, 1, 2)), 2)
    with pytest.raises(SolverFailedError, match="second graph monodromy .* 1 on new ones"):
        startset.make_start_set(family, method="monodromy", trace=False, timeout=0)
    assert calls == [0, 1]


def test_an_unknown_start_set_method_is_refused():
    from algeo.startsets.build import make_start_set

    with pytest.raises(InputError, match="method"):
        make_start_set(ParameterFamily(Architecture((1, 1, 1)), 1), method="guess")


@pytest.mark.phc
def test_a_solve_below_the_stored_generic_count_is_flagged(tmp_path, monkeypatch):
    """A stored start set claims N_C = 6 for widths 1,1,1 (truly 5): the blackbox's 5 is reported as a loss."""
    from algeo.pipeline.solve import solve
    from algeo.startsets.store import StartSet

    monkeypatch.setenv("ALGEO_START_SETS", str(tmp_path))
    family = tracking_family(Architecture((1, 1, 1)), 1)
    points = tuple((complex(k), complex(-k)) for k in range(6))
    claimed = StartSet(family.key, (1, 1, 1), 1, "entrywise", tuple(family.random_parameters(0)), points,
                       {"confirmed_by": ["a test"]}, {"seed": 0}, family.formulation)
    start_set_path(family).write_text(json.dumps(claimed.to_json()))
    result = solve((1, 1, 1), samples=1, seed=3, options=SolveOptions(start_set="none", exact_budget=0))
    assert result.counts.complex == 5 and not result.ok
    assert any("below the generic count 6" in problem for problem in result.problems)
    # msolve's count of the instance decides when it is there; the disagreement is still reported
    exact = solve((1, 1, 1), samples=1, seed=3, options=SolveOptions(start_set="none"))
    assert exact.counts.extra["exact_complex"] == 5 and exact.ok
    assert any("start set" in warning and "6" in warning for warning in exact.warnings)


@pytest.mark.phc
def test_the_homotopy_tracks_one_path_per_sign_flip_orbit_and_agrees_with_the_blackbox(tmp_path, monkeypatch):
    """2,2,2, m = 1: 33 start points in fewer orbits; the images' ends give the blackbox's counts and indices."""
    from algeo.pipeline.solve import solve

    monkeypatch.setenv("ALGEO_START_SETS", str(tmp_path))
    ensure_start_set(tracking_family(Architecture((2, 2, 2)), 1))  # the blackbox runs below anyway
    swept = solve((2, 2, 2), samples=1, seed=8)
    method = swept.provenance["method"]
    assert method["name"] == "parameter_homotopy" and swept.ok
    assert method["tracked_paths"] < 33 and method["tracked_paths"] + method["paths_by_sign_flip"] == 33
    assert sum("sign-flip image" in path.phc_label for path in swept.paths) == method["paths_by_sign_flip"]
    assert f"{method['paths_by_sign_flip']} as sign-flip images" in swept.summary()
    blackbox = solve((2, 2, 2), samples=1, seed=8, options=SolveOptions(start_set="none"))
    assert blackbox.ok
    assert swept.counts.complex == blackbox.counts.complex == 33
    for key in ("nonzero", "real", "local_minima", "index"):
        assert getattr(swept.counts, key) == getattr(blackbox.counts, key), key


def test_colliding_ends_are_found_up_to_a_sign_flip():
    import numpy

    from algeo import phc
    from algeo.tracking.homotopy import _colliding

    def path(*coordinates):
        return phc.RawPath(1, tuple(complex(z) for z in coordinates), 1 + 0j, 1, 0.0, 1.0, 0.0, "success", "regular")

    flips = numpy.array([[1.0, 1.0], [-1.0, -1.0]])
    paths = [path(1, 2), path(3, 4), path(-1, -2), path(5, 6)]
    assert _colliding(paths, flips) == [0, 2]  # the third end is the flip of the first: one of them jumped
    assert _colliding(paths, None) == []  # without the symmetry they are distinct points
    assert _colliding(paths + [path(5, 6)], None) == [3, 4]


def test_track_orbits_tracks_everything_again_when_two_ends_share_an_orbit(monkeypatch):
    """The first gamma sends two start orbits into one end orbit (a jump): all paths again with the next gamma."""
    import numpy

    from algeo import phc
    from algeo.tracking import homotopy
    from algeo.phc import AttemptOutcome

    flips = numpy.array([[1.0, 1.0], [-1.0, -1.0]])
    points = [(1 + 0j, 2 + 0j), (3 + 0j, 4 + 0j)]
    calls = []

    def fake_track(target, start, starts, names, *, gammas, timeout):
        calls.append((len(starts), list(gammas)))
        jumped = len(calls) == 1
        ends = [(-1 + 0j, -2 + 0j) if jumped else p for p in starts]  # first call: both end in one orbit
        paths = tuple(phc.RawPath(1, e, 1 + 0j, 1, 0.0, 1.0, 0.0, "success", "regular") for e in ends)
        return phc.BackendRun("phcpy-track", paths, len(starts), {}, None,
                              (phc.Attempt("phcpy-track", 0, AttemptOutcome.OK, 0.1),), "fake", True)

    monkeypatch.setattr(phc, "track", fake_track)

    class Family:
        variable_names = ("a", "b")

    run, gamma = homotopy._track_orbits(None, None, points, Family, flips, [1, 1j, -1], 10.0)
    assert calls == [(2, [1]), (2, [1j])] and gamma == 1j
    assert [a.outcome for a in run.attempts] == [AttemptOutcome.INCOMPLETE, AttemptOutcome.OK]
    assert "share sign-flip orbits" in run.attempts[0].detail
    assert [p.coordinates for p in run.paths] == points
