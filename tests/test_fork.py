"""Work split over forked processes: results in order, a failed child's share computed again here."""

import os
import signal

import pytest

from algeo._fork import WORKERS_VARIABLE, run_split, worker_count


def test_shares_come_back_in_order_and_from_other_processes():
    here = os.getpid()
    results = run_split([lambda k=k: (k, os.getpid()) for k in range(3)])
    assert [k for k, _ in results] == [0, 1, 2]
    assert results[0][1] == here and {pid for _, pid in results[1:]}.isdisjoint({here})


def test_a_child_killed_by_a_signal_has_its_share_computed_again_here(caplog):
    here = os.getpid()

    def dies_in_a_child():
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return "computed here"

    assert run_split([lambda: "first", dies_in_a_child]) == ["first", "computed here"]
    assert "a worker process failed" in caplog.text


def test_an_exception_in_a_share_reaches_the_caller():
    def raises():
        raise ValueError("bad share")

    with pytest.raises(ValueError, match="bad share"):
        run_split([lambda: 1, raises])


def test_the_worker_count_follows_the_environment(monkeypatch):
    monkeypatch.setenv(WORKERS_VARIABLE, "3")
    assert worker_count() == 3
    monkeypatch.setenv(WORKERS_VARIABLE, "none")
    assert worker_count() == 1
    monkeypatch.delenv(WORKERS_VARIABLE)
    assert worker_count() >= 1
