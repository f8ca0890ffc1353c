"""SolveOptions: validation, and the refusals that happen before any symbolic work."""

from __future__ import annotations

import time

import pytest

import algeo
from algeo.exceptions import BudgetExceededError, InputError
from algeo.pipeline.options import HomotopyFallback, SolveOptions


@pytest.mark.parametrize("field, value", [("digits", 10), ("digits", True), ("backend", "bertini"),
                                          ("timeout", 0), ("max_attempts", 0), ("max_paths", -1),
                                          ("max_unknowns", 0), ("budget", 0), ("exact_budget", -1),
                                          ("completion_runs", -1), ("exact_threads", -1), ("exact_threads", 1.5)])
def test_bad_options_name_their_field(field, value):
    with pytest.raises(InputError) as caught:
        SolveOptions(**{field: value})
    assert caught.value.field == field


def test_options_are_frozen_and_serialized_whole():
    options = SolveOptions(digits=50, certify=True)
    with pytest.raises(AttributeError):
        options.digits = 60  # type: ignore[misc]
    data = options.to_json()
    assert data["digits"] == 50 and data["certify"] is True and data["start_set"] == "auto"
    assert set(data) >= {"backend", "timeout", "max_attempts", "max_paths", "max_unknowns", "tolerances"}


def test_msolve_threads_default_to_the_usable_cores():
    import os

    assert 1 <= SolveOptions().msolve_threads <= min(4, os.cpu_count() or 1)
    assert SolveOptions(exact_threads=3).msolve_threads == 3
    assert SolveOptions().to_json()["exact_threads"] == SolveOptions().msolve_threads


def test_solve_refuses_a_non_options_object():
    with pytest.raises(InputError, match="options"):
        algeo.solve("1,1,1", samples=1, options={"digits": 50})  # type: ignore[arg-type]


def test_hopeless_architecture_is_refused_before_the_system_is_built(monkeypatch):
    from algeo.pipeline import solve as solve_module

    def never(*args, **kwargs):
        raise AssertionError("the symbolic system was built")

    monkeypatch.setattr(solve_module, "build_system", never)
    monkeypatch.setattr(solve_module, "prepare_instance", never)
    started = time.monotonic()
    with pytest.raises(BudgetExceededError, match=r"20000 unknowns .* 3\^20000 \(about 10\^9542\)"):
        algeo.solve("100,100,100", samples=3)
    assert time.monotonic() - started < 2.0


def test_fallback_reasons_are_an_enum_with_stable_values():
    assert {f.value for f in HomotopyFallback} >= {"no_start_set", "tracking_failed", "count_short", "check_failed"}
