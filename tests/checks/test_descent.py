"""Descent directions of the unregularized loss at its critical points (algeo.checks.descent)."""

from __future__ import annotations

import mpmath
import pytest

from algeo.checks.descent import DescentMethod, descent_evidence, layers_of, line_coefficients, mp_matrix, network_loss
from algeo.checks.instances import make_instances
from algeo.checks.strata import eckart_young_points
from algeo.model.system import build_system

DIGITS = 50


def _setup(widths):
    instance = make_instances(widths, samples=2, instances=1, seed=1, data=None, regularization="none")[0]
    system = build_system(instance.architecture, instance.dataset, instance.regularization).polynomial_system
    return instance, system


def _global_minimum_point(instance):
    """A real theta over the Eckart-Young minimizer of widths 2,1,2 (W_2 W_1 = sigma u v^T, balanced)."""
    with mpmath.workdps(DIGITS):
        (W,) = [M for subset, M in eckart_young_points(instance.dataset, 1, DIGITS).items() if subset == (0,)]
        U, S, V = mpmath.svd_r(W)
        root = mpmath.sqrt(S[0])
        return [root * V[0, j] for j in range(2)] + [root * U[i, 0] for i in range(2)]


def test_line_coefficients_agree_with_direct_evaluation():
    instance, _ = _setup("2,1,1,2")
    with mpmath.workdps(DIGITS):
        X, Y = mp_matrix(instance.dataset.X), mp_matrix(instance.dataset.Y)
        theta = [mpmath.mpf(k) / 7 for k in (1, -2, 3, 2, -1, 4)]
        v = [mpmath.mpf(k) / 5 for k in (2, 1, -1, 3, 1, -2)]
        layers, direction = layers_of(instance.architecture, theta), layers_of(instance.architecture, v)
        coefficients = line_coefficients(layers, direction, X, Y)
        assert len(coefficients) == 7  # degree 2H
        for t in (mpmath.mpf("0.3"), mpmath.mpf(-2)):
            moved = layers_of(instance.architecture, [a + t * b for a, b in zip(theta, v)])
            direct = network_loss(moved, X, Y)
            assert abs(direct - sum(c * t ** k for k, c in enumerate(coefficients))) < mpmath.mpf(10) ** -40


def test_origin_of_two_layers_has_negative_curvature():
    instance, system = _setup("2,1,2")
    evidence = descent_evidence(instance.architecture, instance.dataset, system, [0] * 4, digits=DIGITS)
    assert evidence.found and evidence.method is DescentMethod.NEGATIVE_CURVATURE and evidence.order == 2
    assert evidence.least_hessian_eigenvalue < 0 and evidence.leading_coefficient < 0
    assert mpmath.mpf(evidence.decrease) < 0


def test_origin_of_three_layers_needs_the_rank_one_chain():
    """The Hessian at theta = 0 is zero for H = 3: only a third-order direction shows the saddle."""
    instance, system = _setup("2,1,1,2")
    evidence = descent_evidence(instance.architecture, instance.dataset, system, [0] * 6, digits=DIGITS)
    assert evidence.found and evidence.method is DescentMethod.RANK_ONE_CHAIN and evidence.order == 3
    assert abs(evidence.least_hessian_eigenvalue) < 1e-30 and mpmath.mpf(evidence.decrease) < 0


def test_no_descent_direction_at_the_global_minimum():
    instance, system = _setup("2,1,2")
    theta = _global_minimum_point(instance)
    with mpmath.workdps(DIGITS):
        gradient = system.evaluate(theta, coerce=lambda q: mpmath.mpf(q.numerator) / q.denominator,
                                   zero=mpmath.mpf(0), one=mpmath.mpf(1))
        assert max(abs(g) for g in gradient) < mpmath.mpf(10) ** -40  # it is a critical point
    evidence = descent_evidence(instance.architecture, instance.dataset, system, theta, digits=DIGITS)
    assert not evidence.found and evidence.method is DescentMethod.NONE
    assert evidence.least_hessian_eigenvalue > -1e-30  # positive semidefinite (flat along the fiber)


@pytest.mark.parametrize("widths", ["2,1,2", "2,1,1,2"])
def test_a_point_that_is_not_critical_is_not_mistaken_for_a_minimum(widths):
    instance, system = _setup(widths)
    theta = [mpmath.mpf(k) / 3 for k in range(1, instance.architecture.n_parameters + 1)]
    evidence = descent_evidence(instance.architecture, instance.dataset, system, theta, digits=DIGITS)
    assert evidence.found and mpmath.mpf(evidence.decrease) < 0


def test_a_kernel_coefficient_below_its_bound_counts_as_zero_and_the_next_odd_one_decides():
    from algeo.checks.descent import _decide_line

    with mpmath.workdps(DIGITS):
        c = [mpmath.mpf(1), mpmath.mpf(0), mpmath.mpf("1e-20"), mpmath.mpf("0.06"), mpmath.mpf("0.5")]
        zero = mpmath.mpf(10) ** -25
        decided, reason = _decide_line(c, mpmath.mpf(1), zero)
        assert decided is None and "neither zero nor clearly nonzero" in reason  # c_2 = 1e-20 in the gray zone
        decided, _ = _decide_line(c, mpmath.mpf(1), zero, {2: mpmath.mpf("4e-20")})
        assert decided == (3, -1)  # c_3 > 0 and odd: descent along -v
        decided, _ = _decide_line(c, mpmath.mpf(1), zero, {2: mpmath.mpf("1e-21")})
        assert decided is None  # the bound is below |c_2|: no decision


def test_the_double_precision_guess_gives_the_same_evidence_and_falls_back_when_unclear():
    """With the compiled Hessian: the origin of two layers (clearly negative curvature) is decided by the double
    eigenvector at 50 digits; the origin of three layers (zero Hessian) still needs the rank-one chain."""
    from algeo.tracking.continuation import CompiledSystem

    instance, system = _setup("2,1,2")
    plain = descent_evidence(instance.architecture, instance.dataset, system, [0] * 4, digits=DIGITS)
    guessed = descent_evidence(instance.architecture, instance.dataset, system, [0] * 4, digits=DIGITS,
                               compiled=CompiledSystem(system))
    assert guessed.found and guessed.method is plain.method is DescentMethod.NEGATIVE_CURVATURE
    assert guessed.order == 2 and abs(guessed.least_hessian_eigenvalue - plain.least_hessian_eigenvalue) < 1e-12
    assert abs(guessed.leading_coefficient - plain.leading_coefficient) < 1e-12
    assert mpmath.mpf(guessed.decrease) < 0
    instance, system = _setup("2,1,1,2")
    evidence = descent_evidence(instance.architecture, instance.dataset, system, [0] * 6, digits=DIGITS,
                                compiled=CompiledSystem(system))
    assert evidence.found and evidence.method is DescentMethod.RANK_ONE_CHAIN and evidence.order == 3
