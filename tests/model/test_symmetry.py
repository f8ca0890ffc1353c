import numpy
import pytest

import algeo
from algeo.model.architecture import Architecture
from algeo.model.symmetry import missing_images, sign_flip_matrices


def test_sign_flips_leave_the_gradient_system_invariant():
    arch = Architecture((2, 2, 1, 2))
    system = algeo.build_system(arch, samples=2, seed=3)
    rng = numpy.random.default_rng(0)
    point = rng.normal(size=arch.n_parameters) + 1j * rng.normal(size=arch.n_parameters)
    group = sign_flip_matrices(arch)
    assert len(group) == 2 ** 3  # three hidden units
    values = numpy.array(system.polynomial_system.evaluate(list(point)))
    for signs in group:
        image = numpy.array(system.polynomial_system.evaluate(list(signs * point)))
        # the gradient transforms like the point: F(D x) = D F(x)
        assert numpy.allclose(image, signs * values, rtol=1e-12, atol=1e-12)


def test_missing_images_are_found_and_closed_sets_pass():
    arch = Architecture((1, 1, 1))
    point = numpy.array([0.5 + 0.25j, -2.0 + 1.0j])
    images = missing_images(arch, [point], 1e-8)
    assert len(images) == 3  # -x, conj(x), -conj(x)
    assert missing_images(arch, [point, *images], 1e-8) == []
    assert missing_images(arch, [], 1e-8) == []


@pytest.mark.phc
def test_a_solve_is_closed_under_the_group():
    result = algeo.solve("2,1,2", samples=2, seed=4)
    assert missing_images(Architecture((2, 1, 2)), [p.coordinates for p in result.points], 1e-8) == []


def test_a_solution_phcpack_missed_is_recovered_and_reported():
    """Golden PHCpack output (widths 2,1,2, m = 1, seed 5) with one finite path end removed."""
    import time
    from pathlib import Path

    from algeo import phc
    from algeo.pipeline.options import SolveOptions
    from algeo.pipeline.solve import _assemble

    system = algeo.build_system("2,1,2", samples=1, seed=5)
    golden = Path(__file__).resolve().parents[1] / "golden" / "phc_2_1_2_output.txt"
    parsed = phc.parse_blackbox_output(golden.read_text(), system.variable_names)
    dropped = next(i for i, p in enumerate(parsed.paths) if p.outcome == "success" and p.label == "complex regular")
    paths = parsed.paths[:dropped] + parsed.paths[dropped + 1:]
    run = phc.BackendRun("phc", paths, len(paths), parsed.root_counts, 12345,
                         (phc.Attempt("phc", 12345, phc.AttemptOutcome.OK, 0.0),), parsed.version, True)
    result = _assemble(system, run, {"stable_mixed_volume": 33, "mixed_volume": 32}, method={"name": "blackbox"},
                       seed=5, options=SolveOptions(backend="phc"), started=time.monotonic())
    assert result.counts.complex == 9 and result.counts.extra["recovered_by_symmetry"] == 1
    (recovered,) = [p for p in result.points if p.recovered_by_symmetry]
    assert recovered.paths == () and recovered.converged and recovered.residual < 1e-30
    assert any("PHCpack missed 1 solutions" in w for w in result.warnings)
    assert result.to_json()["points"][recovered.index]["recovered_by_symmetry"] is True
