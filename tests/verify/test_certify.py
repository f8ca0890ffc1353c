"""Tests of algeo.verify.certify: Krawczyk certificates on the exact gradient system.

Fast tests use small systems (widths 1,1,1 and 2,1,2, m = 1) whose points are found by
seeded Newton multi-start; the PHCpack test solves widths 2,2,2, m = 2, seed 7 once per
module (about 40 s).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from fractions import Fraction

import mpmath
import numpy
import pytest

from algeo import SolveOptions, build_system
from algeo.verify.certify import (
    BACKENDS,
    Box,
    NotProvenReason,
    Realness,
    certify_points,
    krawczyk_test,
)
from algeo.exceptions import InputError
from algeo.model.polynomial import Polynomial, PolynomialSystem
from algeo.verify.refine import mp_context, refine_point

DIGITS = 40


def newton_multistart(system, *, seed: int, starts: int = 80, digits: int = DIGITS):
    """Distinct converged Newton limits from seeded random complex starts; real ones as ``mpf``."""
    rng = numpy.random.default_rng(seed)
    points = []
    with mp_context(digits):
        for _ in range(starts):
            start = rng.normal(size=system.n_variables) + 1j * rng.normal(size=system.n_variables)
            refined = refine_point(system.polynomial_system, list(start), digits=digits)
            if not refined.converged:
                continue
            if all(max(abs(a - b) for a, b in zip(refined.point, q)) > 1e-20 for q in points):
                points.append(refined.point)
        real = [max(abs(mpmath.im(z)) for z in p) < mpmath.mpf(10) ** (10 - digits) for p in points]
        points = [[mpmath.re(z) for z in p] if is_real else list(p) for p, is_real in zip(points, real)]
    return points, real


@pytest.fixture(scope="module")
def small():
    system = build_system("1,1,1", samples=1, seed=0)
    points, real = newton_multistart(system, seed=1)
    return system, points, real


@pytest.fixture(scope="module")
def two_one_two():
    system = build_system("2,1,2", samples=1, seed=3)
    points, real = newton_multistart(system, seed=2, starts=150)
    return system, points, real


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_point_of_a_small_system_is_certified(small, backend):
    system, points, real = small
    assert len(points) == 5  # N_C of widths 1,1,1, m = 1 (Bharadwaj & Hosten)
    certification = certify_points(system, points, digits=DIGITS, real=real, backend=backend)
    assert certification.backend == backend
    assert [c.unique for c in certification.certificates] == [True] * len(points)
    assert [c.realness is Realness.REAL for c in certification.certificates] == real
    assert all(c.realness is Realness.NOT_REAL for c, r in zip(certification.certificates, real) if not r)
    counts = certification.counts
    assert counts["certified_distinct"] == counts["certified"] == 5
    assert counts["certified_real"] == sum(real)
    boxes = [c.box for c in certification.certificates]
    assert not any(boxes[i].overlaps(boxes[j]) for i in range(5) for j in range(i + 1, 5))


def test_backends_agree(two_one_two):
    system, points, real = two_one_two
    results = [certify_points(system, points, digits=DIGITS, real=real, backend=b) for b in BACKENDS]
    assert results[0].counts["certified"] == len(points) > 5
    assert [c.to_json() for c in results[0].certificates] == [c.to_json() for c in results[1].certificates]


def test_proven_hessian_index_matches_the_eigenvalues(two_one_two):
    system, points, real = two_one_two
    certification = certify_points(system, points, digits=DIGITS, real=real)
    checked = 0
    for point, certificate in zip(points, certification.certificates):
        if certificate.realness is not Realness.REAL:
            assert certificate.hessian_index is None
            continue
        with mp_context(DIGITS):
            hessian = mpmath.matrix(system.polynomial_system.evaluate_jacobian(
                point, coerce=lambda q: mpmath.mpf(q.numerator) / q.denominator, zero=mpmath.mpf(0),
                one=mpmath.mpf(1)))
            eigenvalues = mpmath.eigsy(hessian, eigvals_only=True)
        assert certificate.hessian_index == sum(1 for v in eigenvalues if v < 0)
        checked += 1
    assert checked >= 2
    assert certification.counts["certified_minima"] == sum(c.is_local_minimum for c in certification.certificates)


def test_a_perturbed_point_is_not_proven(small):
    system, points, real = small
    point = points[0]
    moved = [x + mpmath.mpf("1e-3") for x in point]
    certificate = certify_points(system, [moved], digits=DIGITS, real=[True]).certificates[0]
    assert not certificate.unique and certificate.box is None
    assert certificate.realness is Realness.NOT_PROVEN and certificate.hessian_index is None
    assert certificate.reasons == (NotProvenReason.NEWTON_STEP_TOO_LARGE,)
    # the Krawczyk test itself: a box that misses the zero fails, the same box around the zero passes
    radius = Fraction(1, 2 ** 40)
    nudged = [x + mpmath.mpf("1e-8") for x in point]
    assert not krawczyk_test(system, nudged, radius, digits=DIGITS)
    assert krawczyk_test(system, point, radius, digits=DIGITS)


def test_a_point_far_from_any_zero_is_reported_not_dropped(small):
    system, points, real = small
    certification = certify_points(system, [points[0], [mpmath.mpf(7), mpmath.mpf(-5)]], digits=DIGITS)
    assert len(certification.certificates) == 2
    failed = certification.certificates[1]
    assert not failed.unique and failed.reasons and failed.reasons[0] in (
        NotProvenReason.NEWTON_STEP_TOO_LARGE, NotProvenReason.KRAWCZYK_FAILED)
    assert certification.counts["certified"] == 1
    assert failed.to_json()["proven_unique"] is False


def test_two_approximations_of_one_zero_are_one_zero(small):
    system, points, real = small
    point = points[0]
    close = [x + mpmath.mpf("1e-30") for x in point]
    certification = certify_points(system, [point, close, points[1]], digits=DIGITS)
    first, second, other = certification.certificates
    assert first.unique and second.unique and first.box.overlaps(second.box)
    assert second.same_root_as == 0 and first.same_root_as is None and other.same_root_as is None
    assert NotProvenReason.OVERLAPPING_BOXES not in second.reasons
    assert certification.counts["certified"] == 3
    assert certification.counts["certified_distinct"] == 2


def test_nearly_real_point_is_proven_real(small):
    system, points, real = small
    index = real.index(True)
    noisy = [mpmath.mpc(x, mpmath.mpf("1e-35")) for x in points[index]]
    certificate = certify_points(system, [noisy], digits=DIGITS).certificates[0]
    assert certificate.unique and certificate.realness is Realness.REAL
    assert certificate.box.is_conjugation_symmetric


@pytest.mark.parametrize("backend", BACKENDS)
def test_enclosures_contain_exact_rational_values(backend):
    """Guards the lambdify pitfall (REFERENCE.md section 6): 1/3 must stay an enclosure, not a double."""
    from algeo.verify.certify import _arithmetic

    third = PolynomialSystem.from_polynomials(
        [Polynomial((((1, 0), Fraction(1, 3)), ((0, 2), Fraction(-7, 10))), 2),
         Polynomial((((1, 1), Fraction(2, 3)), ((0, 0), Fraction(1, 10 ** 6 + 3))), 2)])
    point = (Fraction(1, 7), Fraction(-5, 3))
    exact = third.evaluate(point, coerce=Fraction, zero=Fraction(0), one=Fraction(1))
    arithmetic = _arithmetic(backend, 200)
    with arithmetic.precision():
        balls = third.evaluate([arithmetic.complex(x, Fraction(0)) for x in point],
                               coerce=arithmetic.complex_rational, zero=arithmetic.complex_zero,
                               one=arithmetic.complex_one)
        enclosures = [arithmetic.complex_bounds(b) for b in balls]
        # a rounded point coefficient (what lambdify does) gives a zero-width value that misses 1/3
        rounded = arithmetic.complex_bounds(arithmetic.complex(Fraction(float(Fraction(1, 3))), Fraction(0)))
    for value, ((low, high), (im_low, im_high)) in zip(exact, enclosures):
        assert low <= value <= high and low < high
        assert im_low <= 0 <= im_high
    assert not rounded[0][0] <= Fraction(1, 3) <= rounded[0][1]


def test_gradient_system_enclosure_contains_exact_value(small):
    system, points, real = small
    from algeo.verify.certify import _arithmetic

    polynomials = system.polynomial_system
    point = (Fraction(1, 3), Fraction(-2, 7))
    exact = polynomials.evaluate_jacobian(point, coerce=Fraction, zero=Fraction(0), one=Fraction(1))
    arithmetic = _arithmetic("arb", 120)
    with arithmetic.precision():
        balls = polynomials.evaluate_jacobian([arithmetic.real(x) for x in point], coerce=arithmetic.real,
                                              zero=arithmetic.real_zero, one=arithmetic.real_one)
        bounds = [[arithmetic.real_bounds(b) for b in row] for row in balls]
    for exact_row, bound_row in zip(exact, bounds):
        for value, (low, high) in zip(exact_row, bound_row):
            assert low <= value <= high


def test_box_geometry():
    a = Box(((Fraction(0), Fraction(0)), (Fraction(1), Fraction(0))), Fraction(1, 4))
    b = Box(((Fraction(1, 2), Fraction(0)), (Fraction(1), Fraction(0))), Fraction(1, 4))
    c = Box(((Fraction(1, 2), Fraction(1)), (Fraction(1), Fraction(0))), Fraction(1, 4))
    assert a.overlaps(b) and b.overlaps(a) and not a.overlaps(c)
    assert a.is_conjugation_symmetric and not c.is_conjugation_symmetric and not c.meets_real_axis
    assert a.to_json()["radius_log2"] == -2


def test_bad_options_are_input_errors(small):
    system, points, real = small
    with pytest.raises(InputError, match="backend"):
        certify_points(system, points, digits=DIGITS, backend="interval")
    with pytest.raises(InputError, match="real"):
        certify_points(system, points, digits=DIGITS, real=[True])
    with pytest.raises(InputError, match="digits"):
        certify_points(system, points, digits=3)


@pytest.fixture(scope="module")
def solved_222():
    from algeo.pipeline.solve import solve

    return solve("2,2,2", samples=2, seed=7, options=SolveOptions(digits=60, certify=True))


@pytest.mark.phc
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("phc") is None, reason="PHCpack's phc is not installed")
def test_widths_222_every_critical_point_certified(solved_222):
    result = solved_222
    counts = result.counts
    assert result.ok, result.problems
    assert counts.complex > 0
    assert counts.extra["certified"] == counts.complex
    assert counts.extra["certified_distinct"] == counts.complex
    assert counts.extra["certified_real"] == counts.real
    assert counts.extra["certified_not_real"] == counts.complex - counts.real
    assert counts.extra["certified_minima"] == counts.local_minima
    boxes = [p.certificate.box for p in result.points]
    assert all(p.certificate.unique and not p.certificate.reasons for p in result.points)
    assert not any(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))
    for point in result.points:
        assert (point.certificate.realness is Realness.REAL) == point.is_real
        if point.is_real:
            assert point.certificate.hessian_index == point.index_of_hessian
    entry = result.to_json()["points"][0]["certificate"]
    assert entry["proven_unique"] is True and entry["box_radius"] > 0
    assert result.provenance["certification"]["backend"] == "arb"


@pytest.mark.phc
@pytest.mark.skipif(shutil.which("phc") is None, reason="PHCpack's phc is not installed")
def test_cli_certify_writes_certificates(tmp_path):
    target = tmp_path / "out.json"
    completed = subprocess.run(
        [sys.executable, "-m", "algeo.cli", "solve", "--widths", "1,1,1", "--samples", "1", "--seed", "3",
         "--digits", "50", "--certify", "--json", str(target), "-q"],
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert "certified (Krawczyk): 5 points, 5 distinct" in completed.stdout
    data = json.loads(target.read_text())
    assert data["counts"]["certified"] == data["counts"]["complex"] == 5
    assert data["counts"]["certified_real"] == data["counts"]["real"]
    assert all(p["certificate"]["proven_unique"] and p["certificate"]["proven_distinct"] for p in data["points"])
    assert {p["certificate"]["proven_real"] for p in data["points"] if p["real"]} == {True}
