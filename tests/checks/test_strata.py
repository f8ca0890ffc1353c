"""Exact Sigma spectrum and the Eckart-Young construction (algeo.checks.strata)."""

from algeo.checks.instances import make_instances
from algeo.checks.strata import eckart_young_points, sigma_spectrum


def test_sigma_spectrum_is_exact_and_matches_the_svd():
    import mpmath

    instance = make_instances("2,1,2", samples=3, instances=1, seed=2, data=None)[0]
    spectrum = sigma_spectrum(instance.dataset, 2)
    assert spectrum.generic and len(spectrum.eigenvalues) == 2
    points = eckart_young_points(instance.dataset, 2, 50)  # I = {1, 2}: W = W* (least squares)
    with mpmath.workdps(50):
        (W,) = points.values()
        X = mpmath.matrix([[mpmath.mpf(v.numerator) / v.denominator for v in row] for row in instance.dataset.X])
        Y = mpmath.matrix([[mpmath.mpf(v.numerator) / v.denominator for v in row] for row in instance.dataset.Y])
        residual = W * X - Y
        loss = sum(residual[i, j] ** 2 for i in range(residual.rows) for j in range(residual.cols)) / 2
        formula = mpmath.mpf(str(((spectrum.trace_YYt - spectrum.eigenvalues[0] - spectrum.eigenvalues[1]) / 2)
                                 .evalf(60)))
        assert abs(loss - formula) < mpmath.mpf(10) ** -40
