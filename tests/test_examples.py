"""Every example's run() works, so examples cannot rot."""

import importlib.util
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.phc
def test_solve_small():
    result = load("solve_small").run()
    assert result.ok and result.counts.complex == len(result.points) > 0
    assert sum(p.is_global for p in result.real_points) >= 1
