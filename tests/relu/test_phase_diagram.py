"""The phase diagram as a result object: runs through run_phase, round-trips through JSON, plots."""

from __future__ import annotations

import json

import pytest

from algeo import relu
from algeo.exceptions import InputError


def test_phase_diagram_round_trips_resumes_and_plots(tmp_path):
    csv = tmp_path / "phase.csv"
    diagram = relu.phase_diagram(d0=1, samples=(4, 8), widths=(2, 4), trials=10, seed=0, csv_path=csv)
    assert [(c.n, c.d1) for c in diagram.cells] == [(4, 2), (8, 2), (4, 4), (8, 4)]
    assert relu.PhaseDiagram.from_json(json.loads(json.dumps(diagram.to_json()))) == diagram
    resumed = relu.phase_diagram(d0=1, samples=(4, 8), widths=(2, 4), trials=10, seed=0, csv_path=csv)
    assert [c.full_rank for c in resumed.cells] == [c.full_rank for c in diagram.cells]
    assert relu.PhaseDiagram.from_json(json.loads(json.dumps(resumed.to_json()))) == resumed
    assert diagram.cell(8, 4).trials == 10
    with pytest.raises(InputError, match="cell"):
        diagram.cell(5, 4)
    written = diagram.plot(tmp_path / "phase")
    assert [p.suffix for p in written] == [".png", ".pdf"] and all(p.stat().st_size > 0 for p in written)
