"""Batched small linear systems: the compiled LU against numpy, and the rows it must flag."""

import numpy
import pytest

from algeo import linsolve
from algeo._jit import JIT_VARIABLE, jit_enabled


@pytest.mark.parametrize("mode", ["compiled", "numpy"])
def test_solves_and_flags_singular_and_non_finite_rows(mode, monkeypatch):
    monkeypatch.setenv(JIT_VARIABLE, "1" if mode == "compiled" else "0")
    if mode == "compiled" and not jit_enabled():
        pytest.skip("numba is not importable")
    rng = numpy.random.default_rng(0)
    B, n = 40, 16
    J = rng.standard_normal((B, n, n)) + 1j * rng.standard_normal((B, n, n))
    rhs = rng.standard_normal((B, n)) + 1j * rng.standard_normal((B, n))
    J[3] = 0  # singular: a zero pivot
    J[5, :, 4] = 0  # singular: a zero column
    J[7, 0, 0] = numpy.inf
    rhs[9, 2] = numpy.nan
    out, ok = linsolve.solve(J, rhs)
    bad = [3, 5, 7, 9]
    assert not ok[bad].any() and numpy.isnan(out[bad]).all()
    good = numpy.setdiff1d(numpy.arange(B), bad)
    assert ok[good].all()
    residual = numpy.einsum("bij,bj->bi", J[good], out[good]) - rhs[good]
    assert numpy.abs(residual).max() <= 1e-12 * numpy.abs(rhs[good]).max()


def test_compiled_matches_numpy():
    if not jit_enabled():
        pytest.skip("numba is not importable")
    rng = numpy.random.default_rng(1)
    J = rng.standard_normal((25, 9, 9)) + 1j * rng.standard_normal((25, 9, 9))
    rhs = rng.standard_normal((25, 9)) + 1j * rng.standard_normal((25, 9))
    compiled, ok = linsolve.solve(J, rhs)
    reference, ok0 = linsolve._numpy_solve(J, rhs)
    assert ok.all() and ok0.all()
    assert numpy.abs(compiled - reference).max() <= 1e-10 * numpy.abs(reference).max()


def test_results_record_numba_and_whether_the_kernels_ran(monkeypatch):
    from algeo._jit import numba_version
    from algeo.results.provenance import software_versions

    monkeypatch.setenv(JIT_VARIABLE, "0")
    versions = software_versions(None)
    assert versions["compiled_kernels"] is False and versions["numba"] == numba_version()
    monkeypatch.setenv(JIT_VARIABLE, "1")
    assert software_versions(None)["compiled_kernels"] is (numba_version() is not None)
