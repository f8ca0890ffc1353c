import numpy
import pytest

import algeo
from algeo.model.architecture import Architecture
from algeo.model.symmetry import PointSet, missing_images, sign_flip_matrices


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

def test_point_set_keeps_exactly_the_points_a_full_scan_keeps():
    """Near duplicates on both sides of the relative tolerance, several magnitudes, more points than a block."""
    rng = numpy.random.default_rng(1)
    base = rng.standard_normal((700, 6)) + 1j * rng.standard_normal((700, 6))
    base[::7] *= 1e4
    candidates = []
    for _ in range(1500):
        x = base[rng.integers(len(base))]
        scale = max(1.0, float(numpy.abs(x).max()))
        kind = rng.random()
        if kind < 0.3:  # well inside the tolerance
            x = x + 1e-8 * scale * (rng.standard_normal(6) + 1j * rng.standard_normal(6))
        elif kind < 0.45:  # just inside: every coordinate moves 0.9e-6 relative, in a random complex direction
            x = x + 0.9e-6 * scale * numpy.exp(2j * numpy.pi * rng.random(6))
        elif kind < 0.6:  # just outside
            x = x + 1.1e-6 * scale * numpy.exp(2j * numpy.pi * rng.random(6))
        candidates.append(x)
    points = PointSet()
    added = [points.add(c) for c in candidates]
    kept: list = []
    expected = []
    for c in candidates:
        new = not kept or numpy.abs(numpy.array(kept) - c).max(axis=1).min() > 1e-6 * max(1.0, numpy.abs(c).max())
        if new:
            kept.append(c)
        expected.append(new)
    assert added == expected
    assert len(points) == len(kept) > PointSet.BLOCK * 2
    assert not points.add(numpy.full(6, numpy.nan))


def _orbits_by_scan(points, flips, tolerance=1e-8):
    """orbit_representatives' rule, point by point over every pair (the reference)."""
    points = numpy.asarray(points, dtype=complex)
    finite = numpy.all(numpy.isfinite(points), axis=1)
    representatives, assigned = [], [None] * len(points)
    for i in range(len(points)):
        if assigned[i] is not None:
            continue
        representatives.append(i)
        assigned[i] = (len(representatives) - 1, 0)
        if not finite[i]:
            continue
        for f, signs in enumerate(flips):
            for j in range(len(points)):
                if assigned[j] is None and finite[j] and numpy.abs(signs * points[i] - points[j]).max() <= \
                        tolerance * max(1.0, numpy.abs(points[j]).max()):
                    assigned[j] = (len(representatives) - 1, f)
    return representatives, assigned


def test_orbit_representatives_agree_with_a_scan_of_every_pair_with_duplicates_zeros_and_nan():
    from algeo.model.architecture import Architecture
    from algeo.model.symmetry import orbit_representatives, sign_flip_matrices

    flips = numpy.asarray(sign_flip_matrices(Architecture((2, 2, 2))))
    rng = numpy.random.default_rng(3)
    base = rng.normal(size=(40, flips.shape[1])) + 1j * rng.normal(size=(40, flips.shape[1]))
    orbits = numpy.concatenate([flips[rng.integers(len(flips))] * base for _ in range(3)])
    zeros = base[:5].copy()
    zeros[:, :2] = 0  # fixed by some flips
    copies = numpy.concatenate([base[:4]] * 5)  # more near neighbours than the tree is first asked for
    points = numpy.concatenate([orbits, zeros, copies, base[4:8] * (1 + 1e-12), numpy.full((1, base.shape[1]), numpy.nan)])
    points = points[rng.permutation(len(points))]
    assert orbit_representatives(points, flips) == _orbits_by_scan(points, flips)


def test_orbit_representatives_agree_with_a_scan_on_clusters_of_near_duplicates_and_their_images():
    """Refined path ends: many points within 1e-12 of one another, some of them sign-flipped."""
    from algeo.model.architecture import Architecture
    from algeo.model.symmetry import orbit_representatives, sign_flip_matrices

    flips = numpy.asarray(sign_flip_matrices(Architecture((2, 2, 2))))
    rng = numpy.random.default_rng(5)
    centres = rng.normal(size=(3, flips.shape[1])) * numpy.array([[1e-3], [1.0], [300.0]])
    clusters = []
    for centre in centres:
        for _ in range(40):
            noise = 1e-12 * rng.normal(size=centre.shape) * max(1.0, numpy.abs(centre).max())
            clusters.append(flips[rng.integers(len(flips))] * (centre + noise))
    points = numpy.concatenate([numpy.array(clusters), rng.normal(size=(10, flips.shape[1]))])
    points = points[rng.permutation(len(points))]
    representatives, assigned = orbit_representatives(points, flips)
    assert (representatives, assigned) == _orbits_by_scan(points, flips)
    assert len(representatives) == 3 + 10


def test_missing_images_agree_with_a_scan_of_every_pair_over_norms_spread_over_decades():
    from algeo.model.architecture import Architecture

    architecture = Architecture((2, 2, 2))
    group = sign_flip_matrices(architecture)
    rng = numpy.random.default_rng(7)
    base = (rng.normal(size=(30, 8)) + 1j * rng.normal(size=(30, 8))) * 10.0 ** rng.integers(-3, 4, size=(30, 1))
    # some orbits closed, some with images missing, some conjugates present, near-duplicates
    points = [base[k] for k in range(30)]
    points += [group[k % len(group)] * base[k] for k in range(0, 30, 2)]
    points += [numpy.conj(base[k]) for k in range(0, 30, 3)]
    points += [base[k] * (1 + 1e-12) for k in range(5)] + [base[0]] * 4
    stack = numpy.array(points)
    expected = PointSet(1e-8)
    for signs in group:
        for conjugate in (False, True):
            for k in range(len(stack)):
                image = numpy.conj(signs * stack[k]) if conjugate else signs * stack[k]
                bound = 1e-8 * max(1.0, numpy.abs(stack[k]).max())
                if not any(numpy.abs(image - other).max() <= bound for other in stack):
                    expected.add(image)
    found = missing_images(architecture, points, 1e-8)
    assert len(found) == len(expected.points) > 0
    assert all(numpy.array_equal(a, b) for a, b in zip(found, expected.points))
