"""How a result was made: software versions (seed, backend and precision are recorded by each stage)."""

from __future__ import annotations

import platform

import mpmath
import numpy

__all__ = ["software_versions"]


def software_versions(backend_version: str | None) -> dict:
    """Versions of algeo, Python and the numerical libraries, with PHCpack's when known."""
    import sympy

    from .._version import __version__

    versions = {"algeo": __version__, "python": platform.python_version(), "sympy": sympy.__version__,
                "mpmath": mpmath.__version__, "numpy": numpy.__version__, "phcpack": backend_version}
    try:
        import flint

        versions["python-flint"] = flint.__version__
    except ImportError:  # optional
        pass
    from .._jit import jit_enabled, numba_version

    # the batched tracker's kernels: compiled by numba, or numpy (ALGEO_JIT=0, or numba missing)
    versions["numba"] = numba_version()
    versions["compiled_kernels"] = jit_enabled()
    return versions
