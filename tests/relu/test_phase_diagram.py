"""The phase diagram as a result object: runs through run_grids, round-trips through JSON, resumes, plots."""

from __future__ import annotations

import json

import pytest

from algeo import relu
from algeo.exceptions import InputError


def test_phase_diagram_round_trips_resumes_and_plots(tmp_path):
    options = dict(d0=1, samples=(4, 8), widths=(2, 4), trials=10, seed=0, ranks=("exact", "float32"), out=tmp_path)
    diagram = relu.phase_diagram(**options)
    assert sorted((c.n, c.d1, c.rank) for c in diagram.cells) == sorted(
        (n, d1, r) for n in (4, 8) for d1 in (2, 4) for r in ("exact", "float32"))
    assert relu.PhaseDiagram.from_json(json.loads(json.dumps(diagram.to_json()))) == diagram
    resumed = relu.phase_diagram(**options)
    assert sorted(c.full_rank for c in resumed.cells) == sorted(c.full_rank for c in diagram.cells)
    assert [c.seconds for c in resumed.cells] == [round(c.seconds, 3) for c in diagram.cells]  # read back from the CSV
    assert diagram.cell(8, 4).trials == 10 and diagram.cell(8, 4, "float32").rank == "float32"
    with pytest.raises(InputError, match="cell"):
        diagram.cell(5, 4)
    written = diagram.plot(tmp_path / "phase")
    assert written and all(p.stat().st_size > 0 for p in written)
    assert "karhadkar" in diagram.summary()
