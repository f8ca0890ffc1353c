"""Classification helpers: the Hessian's inertia in double precision and its fallback."""

import mpmath
import numpy

from algeo.classify.points import _double_inertia, has_zero_coordinate, hessian_inertia, max_imaginary


def test_double_precision_inertia_agrees_with_the_multiprecision_one_away_from_zero():
    rng = numpy.random.default_rng(3)
    q, _ = numpy.linalg.qr(rng.standard_normal((6, 6)))
    hessian = q @ numpy.diag([-3.0, -0.5, 0.25, 1.0, 2.0, 7.0]) @ q.T
    decided = _double_inertia(hessian.astype(complex))
    assert decided is not None
    values, negative, singular = decided
    with mpmath.workdps(40):
        exact = hessian_inertia(mpmath.matrix(hessian.tolist()), 1e-15)
    assert negative == exact[1] == 2 and singular is exact[2] is False
    assert numpy.allclose(values, [float(v) for v in exact[0]])


def test_an_eigenvalue_near_zero_is_left_to_the_multiprecision_computation():
    hessian = numpy.diag([1e-12, 1.0, 2.0]).astype(complex)  # within 1e-8 of zero: double precision cannot decide
    assert _double_inertia(hessian) is None
    assert _double_inertia(numpy.full((2, 2), numpy.nan, dtype=complex)) is None


def test_imaginary_parts_and_zero_coordinates_relative_to_the_point_size():
    with mpmath.workdps(40):
        point = [mpmath.mpc(3, mpmath.mpf("1e-30")), mpmath.mpc(mpmath.mpf("1e-20"), 0), mpmath.mpc(-2, 0)]
        assert max_imaginary(point) <= 1e-30
        zero, smallest = has_zero_coordinate(point, 1e-12)
        assert zero and abs(smallest - 1e-20 / 3) <= 1e-30
        assert max_imaginary([mpmath.mpc(0.5, 0.25)]) == 0.25  # scale max(1, |x|) = 1
