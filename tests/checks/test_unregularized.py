"""``no-spurious-minima`` and ``pure-spurious`` (algeo.checks.unregularized).

The decisions are tested on hand-made evidence and on a hand-made solve result (no PHCpack):
a product counts as a saddle only with a descent direction at each of its real critical points,
and a wrong number of local minima FAILs once every product is decided.
"""

from __future__ import annotations

from types import SimpleNamespace

import mpmath
import pytest

from algeo.checks import run_check, unregularized
from algeo.checks.descent import DescentMethod
from algeo.checks.instances import make_instances
from algeo.checks.report import Verdict
from algeo.checks.strata import eckart_young_points
from algeo.checks.unregularized import ProductEvidence, ProductStatus, decide_minima, product_evidence
from algeo.exceptions import InputError
from algeo.results.statuses import ContinuationStatus

DIGITS = 50


@pytest.fixture(scope="module")
def instance():
    return make_instances("2,1,2", samples=2, instances=1, seed=1, data=None, regularization="none")[0]


def test_unregularized_theorems_refuse_regularized_instances():
    with pytest.raises(InputError, match="regularization"):
        run_check("pure-spurious", "2,1,2", samples=2, seed=1, regularization="generic")
    with pytest.raises(InputError, match="regularization"):
        run_check("no-spurious-minima", "2,1,2", samples=2, seed=1, regularization="1/10")


def test_pure_spurious_decision_on_given_products(instance):
    products = [{"rank": 0, "purity": "spurious"}, {"rank": 1, "purity": "pure"}, {"rank": 1, "purity": "pure"}]
    decide = lambda claim: unregularized._pure_spurious(instance, None, {"products": products}, claim, DIGITS)
    assert decide({})[0] is Verdict.PASS  # q = 2, r = 1, non-filling: 1 + 2 products, C(2,1) = 2 pure
    for claim in ({"pure": 1}, {"pure": 3}, {"products": 2}, {"products": 4}):
        assert decide(claim)[0] is Verdict.FAIL, claim
    products[1]["purity"] = "spurious"  # a rank-r product that is not pure contradicts REFERENCE.md section 4
    verdict, _, evidence = decide({})
    assert verdict is Verdict.FAIL and evidence["rank_r_not_pure"] == [1]


def _evidence(index, status):
    return ProductEvidence(index=index, index_set=(), rank=1, status=status, loss=None, minimum=None,
                           relative_loss_gap=None, solver_local_minimum_on_M_r=None, descent=(), reason="test")


def test_minima_decision_on_given_evidence():
    G, S, U = ProductStatus.GLOBAL_MINIMUM, ProductStatus.SADDLE, ProductStatus.UNDECIDED
    decided = [_evidence(0, S), _evidence(1, G), _evidence(2, S)]
    assert decide_minima(decided, claimed_minima=1, complete=True)[0] is Verdict.PASS
    for wrong in (0, 2, 3):  # every wrong claim FAILs once every product is decided
        assert decide_minima(decided, claimed_minima=wrong, complete=True)[0] is Verdict.FAIL, wrong
    # incomplete or undecided: only a claim below the minima found can FAIL
    assert decide_minima(decided, claimed_minima=1, complete=False)[0] is Verdict.UNDECIDED
    assert decide_minima(decided, claimed_minima=2, complete=False)[0] is Verdict.UNDECIDED
    assert decide_minima(decided, claimed_minima=0, complete=False)[0] is Verdict.FAIL
    undecided = [_evidence(0, U), _evidence(1, G), _evidence(2, S)]
    assert decide_minima(undecided, claimed_minima=1, complete=True)[0] is Verdict.UNDECIDED
    assert decide_minima(undecided, claimed_minima=2, complete=True)[0] is Verdict.UNDECIDED
    counterexample = [_evidence(0, ProductStatus.NON_GLOBAL_MINIMUM), _evidence(1, G), _evidence(2, S)]
    verdict, text, record = decide_minima(counterexample, claimed_minima=1, complete=True)
    assert verdict is Verdict.FAIL and "non-global" in text and record["statuses"]["non_global_minimum"] == [0]


def _record(index, point, residual=1e-50):
    with mpmath.workdps(DIGITS):
        refined = tuple(mpmath.mpc(z) for z in point)
    return SimpleNamespace(index=index, status=ContinuationStatus.CONVERGED, refined=refined, residual=residual)


def _product(index, paths, *, loss=0.5, local=False, index_set=(), matrix_text=(("0", "0"), ("0", "0"))):
    return SimpleNamespace(index=index, paths=tuple(paths), loss=loss, rank=len(index_set), index_set=index_set,
                           is_local_minimum_on_M_r=local, matrix_text=matrix_text)


def _global_point(instance):
    with mpmath.workdps(DIGITS):
        W = eckart_young_points(instance.dataset, 1, DIGITS)[(0,)]
        U, S, V = mpmath.svd_r(W)
        root = mpmath.sqrt(S[0])
        return [root * V[0, j] for j in range(2)] + [root * U[i, 0] for i in range(2)]


def test_product_evidence_needs_a_descent_direction_at_a_real_point(instance):
    """A spurious product with only non-real end points is a saddle only by a descent direction at a real point
    built from ``U_I S^-1`` (``fibre_point``), and undecided when none is built; never a saddle by its label."""
    with mpmath.workdps(DIGITS):
        complex_origin = [mpmath.mpc(0, 1), 0, 0, mpmath.mpc(0, 2)]  # W_2 W_1 = 0, far from real
    # product 3 claims I = {2} but its Wbar is 0: no point is built for it
    result = SimpleNamespace(
        continuation=(_record(0, [0, 0, 0, 0]), _record(1, complex_origin), _record(2, _global_point(instance)),
                      _record(3, complex_origin)),
        products=(_product(0, [0]), _product(1, [1]), _product(2, [2], local=True, index_set=(1,)),
                  _product(3, [3], index_set=(2,))))
    first, second, third, fourth = product_evidence(instance, result, digits=DIGITS)
    assert first.status is ProductStatus.SADDLE
    (path, descent), = first.descent
    assert path == 0 and descent.found and descent.method is DescentMethod.NEGATIVE_CURVATURE
    assert second.status is ProductStatus.SADDLE and "fibre_point" in second.reason
    (path, descent), = second.descent
    assert path is None and descent.found
    assert third.status is ProductStatus.GLOBAL_MINIMUM and abs(mpmath.mpf(third.relative_loss_gap)) < 1e-40
    assert fourth.status is ProductStatus.UNDECIDED and "none was built" in fourth.reason and not fourth.descent
    verdict, _, record = decide_minima([first, second, third, fourth], claimed_minima=1, complete=True)
    assert verdict is Verdict.UNDECIDED and record["statuses"]["undecided"] == [3]
    assert record["per_product"][1]["descent"][0]["path"] is None


@pytest.mark.parametrize("widths,seed", [("2,3,2,2", 1), ("3,1,2,3", 2)])
def test_fibre_points_are_real_critical_points_over_their_products(widths, seed):
    from algeo.classify.determinantal import index_sets, whitening

    case = make_instances(widths, samples=3, instances=1, seed=seed, data=None, regularization="none")[0]
    system = unregularized._Gradient.of(case)
    architecture = case.architecture
    with mpmath.workdps(DIGITS):
        whitened = whitening(case.dataset)
        for index_set in index_sets(whitened.q, architecture.rank_bound):
            W_I = whitened.product_of(index_set)
            text = tuple(tuple(mpmath.nstr(W_I[i, j], DIGITS) for j in range(W_I.cols)) for i in range(W_I.rows))
            product = _product(0, [], index_set=tuple(i + 1 for i in index_set), matrix_text=text)
            point = unregularized.fibre_point(case, system, product, DIGITS)
            assert point is not None and all(isinstance(x, mpmath.mpf) for x in point), index_set
            assert max(abs(v) for v in system.residual(point)) < mpmath.mpf(10) ** (5 - DIGITS), index_set
            # a product whose Wbar is another U_I, or that says its rank differs from |I|, gets none
            other = whitened.product_of(index_set[1:] if index_set else (0,))
            wrong = tuple(tuple(mpmath.nstr(other[i, j], DIGITS) for j in range(other.cols)) for i in range(other.rows))
            assert unregularized.fibre_point(case, system, _product(0, [], index_set=product.index_set,
                                                                    matrix_text=wrong), DIGITS) is None
            assert unregularized.fibre_point(case, system, SimpleNamespace(**{**vars(product), "rank": None}),
                                             DIGITS) is None


def test_conflicting_evidence_is_undecided(instance):
    result = SimpleNamespace(continuation=(_record(0, [0, 0, 0, 0]), _record(1, _global_point(instance))),
                             products=(_product(0, [0], local=True), _product(1, [1], local=False, index_set=(1,))))
    origin, minimum = product_evidence(instance, result, digits=DIGITS)
    assert origin.status is ProductStatus.UNDECIDED and "conflicting" in origin.reason  # descent vs "local min"
    assert minimum.status is ProductStatus.UNDECIDED and "conflicting" in minimum.reason


def test_near_real_end_points_are_made_real_on_the_critical_set(instance):
    from algeo.model.system import build_system

    system = build_system(instance.architecture, instance.dataset, instance.regularization).polynomial_system
    with mpmath.workdps(DIGITS):
        point = _global_point(instance)
        # move along the complexified fiber (W_1 -> c W_1, W_2 -> W_2 / c): still critical, not real
        c = mpmath.mpc(1, mpmath.mpf("1e-8"))
        fiber = [z * c for z in point[:2]] + [z / c for z in point[2:]]
        real = unregularized.real_critical_point(system, fiber, digits=DIGITS)
        assert real is not None and all(isinstance(x, mpmath.mpf) for x in real)
        residual = system.evaluate(real, coerce=lambda q: mpmath.mpf(q.numerator) / q.denominator,
                                   zero=mpmath.mpf(0), one=mpmath.mpf(1))
        assert max(abs(v) for v in residual) < mpmath.mpf(10) ** -40
        far = [z * mpmath.mpc(1, 1) for z in point[:2]] + [z / mpmath.mpc(1, 1) for z in point[2:]]
        assert unregularized.real_critical_point(system, far, digits=DIGITS) is None
        # the same with the matrix-product gradient and the compiled Jacobian the checks use
        fast = unregularized._Gradient.of(instance)
        again = unregularized.real_critical_point(fast, fiber, digits=DIGITS)
        assert again is not None and max(abs(a - b) for a, b in zip(again, real)) < mpmath.mpf(10) ** -30
        assert unregularized.real_critical_point(fast, far, digits=DIGITS) is None


@pytest.mark.parametrize("widths", ["2,1,2", "2,3,2,2", "3,1,2,3"])
def test_the_matrix_product_gradient_is_the_polynomial_system(widths):
    """The checks evaluate the gradient from matrix products: the same values as the expanded polynomials."""
    from fractions import Fraction

    from algeo.verify.refine import mp_rational

    case = make_instances(widths, samples=3, instances=1, seed=2, data=None, regularization="none")[0]
    gradient = unregularized._Gradient.of(case)
    with mpmath.workdps(DIGITS):
        point = [mpmath.mpf(Fraction(k % 7 - 3, k % 5 + 1).numerator) / (k % 5 + 1)
                 for k in range(case.architecture.n_parameters)]
        expected = gradient.polynomial_system.evaluate(point, coerce=mp_rational, zero=mpmath.mpf(0),
                                                       one=mpmath.mpf(1))
        values = gradient.residual(point)
        assert len(values) == len(expected)
        assert max(abs(a - b) for a, b in zip(values, expected)) < mpmath.mpf(10) ** -40 * max(
            1, max(abs(v) for v in expected))


@pytest.mark.phc
def test_unregularized_theorems_run_on_the_unregularized_solver():
    report = run_check("pure-spurious", "2,1,2", samples=2, seed=1)  # regularization none is the default here
    assert report.verdict is Verdict.PASS, report.summary()
    evidence = report.instances[0].evidence
    assert evidence["products"] == 3 and evidence["pure"] == 2 and evidence["critical_on_stratum_per_point"]["no"] == 0
    report = run_check("no-spurious-minima", "2,1,2", samples=2, seed=1)
    assert report.verdict is Verdict.PASS, report.summary()
    evidence = report.instances[0].evidence
    statuses = evidence["statuses"]   # product indices depend on the order the solver found them
    assert len(statuses["global_minimum"]) == 1 and len(statuses["saddle"]) == 2
    assert sorted(statuses["global_minimum"] + statuses["saddle"]) == [0, 1, 2]
    images = 0
    for product in evidence["per_product"]:
        if product["status"] == "saddle":
            assert product["descent"] and all(d["found"] and float(d["decrease"]) < 0 for d in product["descent"])
            images += sum("sign-flip image" in d["reason"] for d in product["descent"])
    assert images  # hidden width 1: each real critical point's flip is examined once, for both


@pytest.mark.phc
def test_three_layer_origin_is_a_saddle_by_a_third_order_direction():
    report = run_check("no-spurious-minima", "2,1,1,2", samples=2, seed=1)
    assert report.verdict is Verdict.PASS, report.summary()
    (origin,) = [p for p in report.instances[0].evidence["per_product"] if p["I"] == []]
    assert origin["status"] == "saddle"
    assert {d["method"] for d in origin["descent"]} == {"rank_one_chain"} and {d["order"] for d in origin["descent"]} == {3}



# a refined end of 2,2,2,3, m = 2, seed 3 (random law) over a rank-1 product, with imaginary parts 1.3e-9: its real part
# refined in real arithmetic in mpmath converged its steps to a residual of 5.6e-47 at 50 digits (under that tolerance,
# 1e-40) and stays there at 100 digits: a least-squares point, not a critical point. In python-flint balls the
# refinement at 50 digits does not stop there and reaches a real critical point 6e-38 away (next test)
_NOT_REAL_CRITICAL = [
    ('-1.220750713877972932421874691724338605491393675537350776', '0.000000001316039526694536982098837246170172834516793428146177279'),
    ('2.184261921006590748171518809129165336087028712974144116', '-0.000000002354760060362136998154579883751181080894311462972808018'),
    ('0.000000001148987733925271273142232845407144664473159006293022065', '-0.000000001093127720017393279142368356138071024337685616358464315'),
    ('-0.000000002055856257095147489317113669647562577488604383049402039', '0.000000001955909002894234911120857716826129449817199089300997935'),
    ('1.712978239091824058479413261108167800999150549278197102', '-0.000000001946255528126558078113770836487758678685913274297845021'),
    ('-0.000000003164909863631144159571369837526560464986373727692674223', '0.000000002906366094156002709275697660787049205223907191164905769'),
    ('0.00000000004284678063049404356395910665632077252199075379324182798', '0.00000000004661639199727546940885542287089809999095349716641432787'),
    ('-1.582568263637958286358942452869697519718905631379228162e-19', '-1.343172268847478870322048475551152462217419942731104201e-20'),
    ('-0.1388303648946509420196006424525342454502339498895898149', '-0.000000000307403724902468493674382804454643161163161768075378888'),
    ('-0.000000000002668723559631362346238195141718182662002506727129973027', '-0.000000000001538353233324076326568744325202925755111094777579201649'),
    ('0.2445150410485712507998596978107678402427550195502494714', '0.0000000005414149452860676998942932725374734950805413280462108585'),
    ('-0.00000000005763150027516702846782658229863662643779316621745874929', '-0.00000000006524345166524804578381155162915722519536744823052932173'),
    ('1.09564617947256885960275450566798759735093314392039244', '0.00000000242602342074618068762596056646726410808286538088145728'),
    ('0.000000000003163808009783296863039201564245064939092751924236055584', '-0.00000000000737106573963705716198610694150774922609909128600764654'),
]


def test_a_real_point_where_the_refinement_settles_above_zero_is_not_taken_for_a_critical_point(monkeypatch):
    from algeo.tracking import continuation

    monkeypatch.setattr(continuation, "FLINT_DIGITS", 0)  # mpmath arithmetic, where the refinement settles there
    case = make_instances("2,2,2,3", samples=2, instances=1, seed=3, data=None, regularization="none")[0]
    gradient = unregularized._Gradient.of(case)
    with mpmath.workdps(DIGITS):
        end = [mpmath.mpc(re, im) for re, im in _NOT_REAL_CRITICAL]
        assert unregularized.real_critical_point(gradient, end, digits=DIGITS) is None
        # one refinement at 50 digits alone accepts it (the rule before the second precision)
        settled = unregularized._real_refinement(gradient, [mpmath.re(z) for z in end], DIGITS)
        assert settled is not None
        values = gradient.residual(settled)
        assert mpmath.mpf("1e-48") < max(abs(v) for v in values) < mpmath.mpf("1e-40")


def test_in_balls_the_refinement_goes_on_to_the_real_critical_point_next_to_it():
    """The same end in python-flint balls: the real point found is critical, checked by the mpmath evaluation of
    the exact gradient at 100 digits (at the 50-digit point's level) and by refining it again at 200 digits (it
    moves by less than 1e-45, and the gradient there is below 1e-190)."""
    from algeo.tracking.continuation import refine_on_critical_set

    case = make_instances("2,2,2,3", samples=2, instances=1, seed=3, data=None, regularization="none")[0]
    gradient = unregularized._Gradient.of(case)
    with mpmath.workdps(DIGITS):
        end = [mpmath.mpc(re, im) for re, im in _NOT_REAL_CRITICAL]
        real = unregularized.real_critical_point(gradient, end, digits=DIGITS)
    assert real is not None
    with mpmath.workdps(100):  # the point has 50 digits: its gradient is at that level, not at 5.6e-47
        assert max(abs(v) for v in gradient.residual(real)) < mpmath.mpf("1e-48")
    with mpmath.workdps(200):
        again = refine_on_critical_set(gradient.polynomial_system, [mpmath.mpc(x) for x in real], digits=200,
                                       compiled=gradient.compiled, residual=gradient.residual)
        point = [mpmath.re(z) for z in again.point]
        assert max(abs(x - y) for x, y in zip(point, real)) < mpmath.mpf("1e-45")
        assert max(abs(v) for v in gradient.residual(point)) < mpmath.mpf("1e-190")


def test_the_checks_read_the_same_fields_as_the_result_json():
    """``_unregularized_solve`` hands the checks only the JSON fields they read, built without the whole JSON."""
    case = make_instances("2,1,2", samples=2, instances=1, seed=1, data=None, regularization="none")[0]
    result, fields, reason = unregularized._unregularized_solve(case, 40, "auto")
    assert not reason
    full = result.to_json()
    assert fields["ok"] == full["ok"] and fields["problems"] == full["problems"]
    assert fields["products"] == full["products"]
    assert fields["continuation"] == [{"product": p["product"], "stratum_check": p["stratum_check"]}
                                      for p in full["continuation"]]
    assert any(p["stratum_check"] == "yes" for p in fields["continuation"])


@pytest.mark.slow
def test_a_least_eigenvalue_not_clearly_negative_at_50_digits_is_decided_at_100(tmp_path):
    """Integers 2,2,2,3, m = 2, seed 1 (about 80 s): an orbit of 16 real critical points over the rank-1 product
    has least Hessian eigenvalue -2.4e-11, not clearly negative at 50 digits; at 100 digits its eigenvector
    decreases L, and the check PASSes (it was UNDECIDED)."""
    data = tmp_path / "integers.json"
    data.write_text('{"X": [["-7", "-10"], ["-1", "6"]], "Y": [["4", "9"], ["2", "8"], ["-7", "9"]]}')
    report = run_check("no-spurious-minima", "2,2,2,3", samples=2, data=str(data))
    assert report.verdict is Verdict.PASS, report.summary()
    reasons = [d["reason"] for p in report.instances[0].evidence["per_product"] for d in p["descent"]]
    assert any(", at 100 digits (at 50: least Hessian eigenvalue" in r for r in reasons)


@pytest.mark.slow
def test_a_real_product_with_only_complex_ends_is_decided_at_a_built_point(tmp_path):
    """Integers 2,3,2,2, m = 2, seed 1 (87 s under pytest): every one of the 16 ends over the product I = {2} (rank 1,
    loss 81.9) is complex (imaginary parts above 1e-6), so no real end point decides it; the balanced factorization
    of U_I S^-1 (``fibre_point``) is a real critical point over it with negative curvature, and the check PASSes
    (it was UNDECIDED)."""
    data = tmp_path / "integers.json"
    data.write_text('{"X": [["-7", "-10"], ["-1", "6"]], "Y": [["4", "9"], ["2", "8"]]}')
    report = run_check("no-spurious-minima", "2,3,2,2", samples=2, seed=1, data=str(data))
    assert report.verdict is Verdict.PASS, report.summary()
    built = [p for p in report.instances[0].evidence["per_product"] if "fibre_point" in p["reason"]]
    assert [p["I"] for p in built] == [[2]] and built[0]["status"] == "saddle"
    (descent,) = built[0]["descent"]
    assert descent["path"] is None and descent["found"]
