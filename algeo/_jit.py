"""Compiled kernels (numba) for the batched tracker's inner loops, with numpy as the fallback.

The batched tracker spends its time evaluating the Gram family's Jacobian and solving one small
linear system per path (:mod:`algeo.tracking.batch`); numpy pays its per-call overhead dozens of
times per evaluation there. :mod:`algeo.model.gram_jit` and :mod:`algeo.tracking.linsolve` compile
those loops with numba when it is importable and enabled. ``ALGEO_JIT=0`` switches them off (the
numpy code runs instead, with the same results to rounding: tests compare the two), for an A/B
measurement or a machine where numba is broken.

Compiled code is cached on disk next to the module (numba's ``cache=True``), so only the first
run on a machine pays the compilation (about 11 s, measured with the cache deleted).
"""

from __future__ import annotations

import logging
import os

__all__ = ["JIT_VARIABLE", "jit_enabled", "njit", "numba_version"]

logger = logging.getLogger(__name__)

JIT_VARIABLE = "ALGEO_JIT"

try:  # pragma: no cover - depends on the installation
    import numba as _numba
except Exception as _error:  # noqa: BLE001 - an unusable numba is the same as none
    _numba = None
    logger.debug("numba is not available (%s): the numpy kernels run", _error)


def jit_enabled() -> bool:
    """Whether the compiled kernels run: numba importable and ``ALGEO_JIT`` not ``0`` / ``false`` / ``no``."""
    if _numba is None:
        return False
    return os.environ.get(JIT_VARIABLE, "1").strip().lower() not in ("0", "false", "no", "off")


def numba_version() -> str | None:
    """numba's version, or None when it is not importable."""
    return None if _numba is None else _numba.__version__


def njit(function):
    """``numba.njit(cache=True)`` of ``function``, or ``function`` itself when numba is missing.

    Uncompiled, a kernel is plain Python loops (correct, slow): callers check
    :func:`jit_enabled` and take their numpy path instead.
    """
    if _numba is None:  # pragma: no cover - depends on the installation
        return function
    return _numba.njit(cache=True, nogil=True)(function)
