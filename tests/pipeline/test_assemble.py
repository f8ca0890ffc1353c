"""Assembly of a result from path ends (algeo.pipeline.assemble)."""

from __future__ import annotations

import algeo


def test_a_solution_phcpack_missed_is_recovered_and_reported():
    """Golden PHCpack output (widths 2,1,2, m = 1, seed 5) with one finite path end removed."""
    import time
    from pathlib import Path

    from algeo import phc
    from algeo.pipeline.options import SolveOptions
    from algeo.pipeline.assemble import assemble

    system = algeo.build_system("2,1,2", samples=1, seed=5)
    golden = Path(__file__).resolve().parents[1] / "golden" / "phc_2_1_2_output.txt"
    parsed = phc.parse_blackbox_output(golden.read_text(), system.variable_names)
    dropped = next(i for i, p in enumerate(parsed.paths) if p.outcome == "success" and p.label == "complex regular")
    paths = parsed.paths[:dropped] + parsed.paths[dropped + 1:]
    run = phc.BackendRun("phc", paths, len(paths), parsed.root_counts, 12345,
                         (phc.Attempt("phc", 12345, phc.AttemptOutcome.OK, 0.0),), parsed.version, True)
    result = assemble(system, run, {"stable_mixed_volume": 33, "mixed_volume": 32}, method={"name": "blackbox"},
                       seed=5, options=SolveOptions(backend="phc"), started=time.monotonic())
    assert result.counts.complex == 9 and result.counts.extra["recovered_by_symmetry"] == 1
    (recovered,) = [p for p in result.points if p.recovered_by_symmetry]
    assert recovered.paths == () and recovered.converged and recovered.residual < 1e-30
    assert any("PHCpack missed 1 solutions" in w for w in result.warnings)
    assert result.to_json()["points"][recovered.index]["recovered_by_symmetry"] is True
