"""Tests of ``solve(..., regularization="none")`` (algeo.pipeline.unregularized, algeo.tracking.continuation).

The products found by continuation are compared with U_I built independently here from a numpy
SVD of U = Y X^T (X X^T)^{-1/2}; the counts Sum_{k<=r} C(q, k), C(q, r) / 1 pure and one local
minimum on M_r are computed here from the architecture, not read from the result.
"""

import functools
import itertools
import json
from fractions import Fraction
from math import comb

import mpmath
import numpy
import pytest
import scipy.linalg

from algeo import SolveOptions, solve
from algeo.results.solve_result import decimal_text
from algeo.model.architecture import Architecture
from algeo.cli import main
from algeo.tracking.continuation import CompiledSystem, ContinuationStatus, refine_on_critical_set, _truncation
from algeo.model.data import Dataset, random_dataset
from algeo.exceptions import InputError
from algeo.model.system import build_system
from algeo.pipeline.unregularized import UnregularizedSolveResult

# (widths, samples, seed): shallow and deep, filling and non-filling; each solve takes 3-60 s
CASES = [
    ((2, 1, 2), 2, 1),  # non-filling, q = 2, r = 1: 3 products, 2 pure
    ((2, 1, 2), 2, 3),
    ((3, 1, 3), 3, 1),  # non-filling, q = 3, r = 1: 4 products, 3 pure
    ((3, 1, 2), 3, 1),  # non-filling, d0 != dH
    pytest.param((2, 2, 2), 2, 1, marks=pytest.mark.slow),  # filling, q = r = 2: 4 products, 1 pure (1089 paths)
    ((1, 1, 1), 1, 2),  # filling, q = r = 1
    ((2, 1, 1, 1), 2, 2),  # depth 3, filling (q = r = 1)
    ((2, 1, 1, 2), 2, 1),  # depth 3, non-filling: 3 products, 2 pure
]


@functools.lru_cache(maxsize=None)
def _solve(widths, samples, seed):
    return solve(widths, samples=samples, seed=seed, regularization="none")


def _independent_targets(architecture, samples, seed):
    data = random_dataset(architecture, samples, seed)
    X = numpy.array(data.X, dtype=float)
    Y = numpy.array(data.Y, dtype=float)
    S = scipy.linalg.sqrtm(X @ X.T).real
    U = Y @ X.T @ numpy.linalg.inv(S)
    u, sigma, vt = numpy.linalg.svd(U)
    q, r = architecture.outer_rank, architecture.rank_bound
    targets = {}
    for k in range(r + 1):
        for I in itertools.combinations(range(q), k):
            U_I = sum((sigma[i] * numpy.outer(u[:, i], vt[i]) for i in I), numpy.zeros_like(U))
            targets[tuple(i + 1 for i in I)] = U_I @ numpy.linalg.inv(S)
    return targets


@pytest.mark.phc
@pytest.mark.parametrize("widths,samples,seed", CASES, ids=lambda v: str(v))
def test_products_are_exactly_the_U_I(widths, samples, seed):
    architecture = Architecture(widths)
    result = _solve(widths, samples, seed)
    assert isinstance(result, UnregularizedSolveResult)
    assert result.ok, result.problems
    q, r = architecture.outer_rank, architecture.rank_bound
    expected_count = sum(comb(q, k) for k in range(r + 1))
    targets = _independent_targets(architecture, samples, seed)
    assert len(targets) == expected_count == len(result.products) == result.counts.extra["products"]
    matched = set()
    for product in result.products:
        matrix = numpy.array([[float(Fraction(x)) if "/" in x else float(x) for x in row]
                              for row in product.matrix_text])
        distances = {I: numpy.abs(matrix - T).max() / max(1.0, numpy.abs(T).max()) for I, T in targets.items()}
        nearest = min(distances, key=distances.get)
        assert distances[nearest] < 1e-10, (product.index, distances)
        assert nearest == product.index_set  # the solver's own SVD match agrees with numpy's
        assert product.rank == len(nearest)
        assert product.distance_to_U_I < 1e-25
        matched.add(nearest)
    assert matched == set(targets)  # every U_I with |I| <= r is reached, none twice
    pure = [p.index_set for p in result.products if p.purity.value == "pure"]
    if architecture.is_filling:
        assert pure == [tuple(range(1, q + 1))]  # U itself
    else:
        assert sorted(pure) == sorted(I for I in targets if len(I) == r) and len(pure) == comb(q, r)
    assert result.counts.extra["pure"] == len(pure)
    assert result.counts.extra["spurious"] == expected_count - len(pure)
    assert result.counts.extra["undecided"] == 0
    minima = [p.index_set for p in result.products if p.is_local_minimum_on_M_r]
    assert minima == [tuple(range(1, r + 1))]
    globals_ = [p.index_set for p in result.products if p.is_global]
    assert globals_ == [tuple(range(1, r + 1))]
    for product in result.products:  # closed-form index on the stratum (Eckart-Young)
        I = [i - 1 for i in product.index_set]
        assert product.stratum_index == sum(1 for i in I for j in range(q) if j not in I and j < i)


@pytest.mark.phc
@pytest.mark.parametrize("widths,samples,seed", CASES, ids=lambda v: str(v))
def test_every_path_has_a_fate_and_every_point_passes_the_stratum_check(widths, samples, seed):
    result = _solve(widths, samples, seed)
    extra = result.counts.extra
    assert len(result.continuation) == len(result.points) == extra["continuation_paths"]
    assert extra["continuation_converged"] + extra["continuation_diverged"] + extra["continuation_failed"] \
        == len(result.continuation)
    assert {p.start_point for p in result.continuation} == {p.index for p in result.points}
    r = Architecture(widths).rank_bound
    for path in result.continuation:
        assert isinstance(path.status, ContinuationStatus)
        if path.status is ContinuationStatus.CONVERGED:
            assert path.product is not None and path.residual < 1e-30
            assert path.coordinates_text == tuple((decimal_text(mpmath.re(z), 40), decimal_text(mpmath.im(z), 40))
                                                  for z in path.refined)  # a sign-flip image's too
            assert path.stratum_check.value == "yes" and path.stratum_residual < 1e-20
            product = result.products[path.product]
            assert path.rank == product.rank
            if path.rank == r:
                assert product.purity.value == "pure"
        else:
            assert path.product is None
    assert sorted(i for p in result.products for i in p.paths) == \
        [p.index for p in result.continuation if p.status is ContinuationStatus.CONVERGED]


@pytest.mark.phc
def test_cli_writes_products_and_counts(tmp_path):
    target = tmp_path / "out.json"
    code = main(["solve", "--widths", "2,1,2", "--samples", "2", "--seed", "1", "--regularization", "none",
                 "--json", str(target), "-q"])
    assert code == 0
    data = json.loads(target.read_text())
    assert data["algeo_result"] == "solve_unregularized" and data["ok"]
    assert data["counts"]["products"] == len(data["products"]) == 3
    assert (data["counts"]["pure"], data["counts"]["spurious"], data["counts"]["undecided"]) == (2, 1, 0)
    assert data["provenance"]["regularization"]["kind"] == "none"
    assert all(p["status"] in ("converged", "diverged", "failed") for p in data["continuation"])
    assert {tuple(p["index_set"]) for p in data["products"]} == {(), (1,), (2,)}
    # the Lambda_0 points only start continuations: counted and refined, not classified, no decimal text
    assert data["points"] and all(p["classified"] is False and p["coordinates_text"] is None
                                  and "hessian_index" not in p for p in data["points"])
    assert data["counts"]["complex"] == len(data["points"])
    from algeo.api import result_from_json

    again = result_from_json(data)
    assert again.to_json() == data and not any(p.classified for p in again.points)


def test_cli_refuses_singular_XXt_and_writes_nothing(tmp_path, capsys):
    target = tmp_path / "out.json"
    code = main(["solve", "--widths", "3,2,3", "--samples", "2", "--seed", "1", "--regularization", "none",
                 "--json", str(target), "-q"])
    assert code == 2 and not target.exists()
    assert "X X^T is singular" in capsys.readouterr().err


def test_repeated_singular_values_refused_before_solving():
    to = lambda M: tuple(tuple(Fraction(e) for e in row) for row in M)
    data = Dataset(to([[1, 0], [0, 1]]), to([[3, 4], [-4, 3]]))
    with pytest.raises(InputError, match="repeated singular values"):
        solve("2,1,2", data=data, regularization="none")


def test_truncation_picks_the_largest_gap():
    assert _truncation([3.0, 2.0, 1e-9, 1e-10], min_ratio=1e3) == (2, 2.0 / 1e-9)
    assert _truncation([3.0, 2.0, 1.0], min_ratio=1e3) == (3, None)
    assert _truncation([0.0, 0.0], min_ratio=1e3) == (0, None)


def test_growth_over_one_and_two_decades():
    from algeo.tracking.continuation import _growth

    # a diverging path, ||theta|| ~ tau^(-1/2): a factor sqrt(10) per decade of s (measured: 3.1-3.2 at
    # 2,2,2,3 once s <= 1e-2, while converging paths changed by at most 1.28 over the decade down to 1e-2)
    marks = [(1e-1, 10.0), (1e-2, 31.6)]
    assert _growth(marks) is None and _growth(marks, decades=1) == pytest.approx(3.16)
    assert _growth([(1.0, 0.2)] + marks) == pytest.approx(31.6)  # norms below 1 count as 1
    assert _growth([(1e-1, 0.5), (1e-2, 0.9)], decades=1) == 1.0


def test_secant_valuation_uses_the_latest_mark_half_a_decade_up():
    from algeo.tracking.continuation import _secant_valuation

    marks = [(1.0, 4.0), (1e-1, 10.0)]
    # s = 0.05 is not half a decade below 0.1: the rate is measured from s = 1
    assert _secant_valuation(marks, 0.05, 40.0) == pytest.approx((-1.0 * __import__("math").log(10) / __import__("math").log(20), 1.0))
    slope, since = _secant_valuation(marks, 0.01, 31.6)
    assert since == 1e-1 and slope == pytest.approx(-0.5, abs=1e-3)  # ||theta|| ~ s^(-1/2)
    assert _secant_valuation([(1e-1, 10.0)], 0.05, 40.0) is None  # no mark far enough up
    assert _secant_valuation(marks, 0.01, 0.5)[0] == pytest.approx(1.0)  # norms below 1 count as 1


# integers law, widths 2,2,2,3, m = 2, seed 1 (X, Y below, equilibrated). Lambda_0 of seed 0: the point of orbit
# 4433 grows like s^(-1/2) towards tau = 0 (norm 23 at s = 0.1, 64 at 0.012) with cond(J) 2.4e10 at s = 0.012,
# where RK4 steps over 1e-5 leave the corrector's basin: its 1500 steps ran out at s = 0.0118, short of the decade
# mark where the growth rule would have seen it, under three gammas. Lambda_0 of seed 1: the point of orbit 14393
# starts at norm 425 (cond 9e11) and its steps underflowed at s = 0.116, norm 1290, under three gammas.
_INTEGERS_2223 = {"X": [["-7", "-10"], ["-1", "6"]], "Y": [["4", "9"], ["2", "8"], ["-7", "9"]]}
_ORBIT_4433_OF_SEED_0 = [
    -1.7645485798697105 + 4.650422972571346j, -2.5980736895318004 - 0.5832069805972973j,
    -5.4901226387641096 - 4.849452876190072j, 2.6041445461607418 - 2.8271843517956086j,
    0.1272913183908627 - 0.20184169819518485j, 0.9533109381026407 + 0.15115449274879797j,
    -0.6233895964233842 + 0.4659664350236807j, -0.07688526453182493 - 1.0549216705287503j,
    3.0323141782926935 + 0.1976093309842642j, -0.5368643227225302 - 3.0179230003101853j,
    -0.15568077540299774 + 2.087476688318308j, 2.386317238441412 - 0.5713796443315317j,
    -1.5797238509932416 - 0.23224705557524636j, 0.5546142629498 + 1.515662421497316j]
_ORBIT_14393_OF_SEED_1 = [
    -170.07191067322344 - 15.626410478654783j, 15.706743125098301 - 119.86766843546945j,
    -391.47416246761406 - 6.601497286036896j, 15.38136755054567 - 276.7206321715267j,
    -173.6020217234886 - 10.49308274032903j, 75.1798320268137 + 10.244913195984253j,
    -3.8391735897750907 + 357.382528208523j, 13.36312509335441 - 155.35141697497826j,
    164.7245493957162 + 85.44933859810384j, -296.4079266856254 - 258.59143831436256j,
    -424.77198578352113 + 15.78489577794882j, -107.13457413388281 + 66.56117544647725j,
    7.354619994888358 - 12.931822622090113j, -223.8998176461758 + 346.5852930940486j]


@pytest.mark.parametrize("lambda_seed, start, stuck, s_range, least_norm", [
    (0, _ORBIT_4433_OF_SEED_0, "200 steps took it to s = 0.0", (0.01, 0.1), 30),
    (1, _ORBIT_14393_OF_SEED_1, "step size underflow", (0.1, 0.3), 1000),
])
def test_measured_paths_stuck_while_growing_like_s_to_the_minus_half_are_diverged(lambda_seed, start, stuck, s_range,
                                                                                 least_norm):
    from algeo.model.data import Dataset, parse_entry
    from algeo.model.equilibration import equilibrate
    from algeo.model.family import GramFamily
    from algeo.model.gram_eval import GramEvaluator
    from algeo.pipeline.unregularized import start_regularization, working_data
    from algeo.tracking.continuation import TrackOptions, seeded_gamma, track_all_to_zero

    architecture = Architecture((2, 2, 2, 3))
    rows = lambda m: tuple(tuple(parse_entry(v, "X") for v in row) for row in m)
    dataset = Dataset(rows(_INTEGERS_2223["X"]), rows(_INTEGERS_2223["Y"]))
    equilibration = equilibrate(architecture, dataset)
    assert equilibration is not None
    lambda_0 = start_regularization(architecture, dataset, lambda_seed, equilibration)
    parameters = GramFamily(architecture, 2).parameters_of(working_data(dataset, equilibration), lambda_0)
    [path] = track_all_to_zero(GramEvaluator(architecture), parameters, numpy.array([start]),
                               gamma=seeded_gamma(lambda_seed), options=TrackOptions(s_end=1e-3))
    assert path.status is ContinuationStatus.DIVERGED, path.detail
    assert stuck in path.detail and "growing like s^-0." in path.detail
    assert s_range[0] < path.s_reached < s_range[1] and path.end_norm > least_norm


# random law, widths 2,2,2,3, m = 2, seed 2, Lambda_0 of seed 2: this point (norm 539) starts an orbit that gets stuck
# at s = 0.598 under its gamma; under the second other gamma it used up 1500 steps at s = 0.206, where the growth
# rule does not call it, and with more steps it stops at s = 0.2004 where it does (RETRY_BUDGET)
_RANDOM_2223_SEED_2_POINT_54337 = [
    273.7222412003005 - 148.7948059497937j, 0.8845765576644735 + 8.720168957547315j,
    112.99618303875332 + 207.7809321028221j, -6.610623234152161 + 0.6434589761967728j,
    187.23288003392346 + 344.0634411021138j, -453.2227297422086 + 246.58493696633144j,
    359.4963365552789 - 195.60606904064474j, 257.61267350486 + 473.55218194667106j,
    -9.504618966369138 - 95.54545484494142j, -204.66956389013816 + 0.17039740815527996j,
    -147.92124872633795 - 48.13999712994435j, -9.040729545210299 + 22.501436032880516j,
    -158.3120475526713 - 327.96753714010305j, -255.22003365191247 + 209.43540282793566j]


def test_a_failed_path_retried_with_a_larger_step_budget_is_judged():
    from dataclasses import replace

    from algeo.model.family import GramFamily
    from algeo.model.gram_eval import GramEvaluator
    from algeo.pipeline.unregularized import RETRY_BUDGET, start_regularization
    from algeo.tracking.continuation import TrackOptions, seeded_gamma, track_all_to_zero

    architecture = Architecture((2, 2, 2, 3))
    dataset = random_dataset(architecture, 2, 2)
    parameters = GramFamily(architecture, 2).parameters_of(dataset, start_regularization(architecture, dataset, 2))
    track = lambda gamma_seed, budget: track_all_to_zero(
        GramEvaluator(architecture), parameters, numpy.array([_RANDOM_2223_SEED_2_POINT_54337]),
        gamma=seeded_gamma(gamma_seed), options=replace(TrackOptions(), max_steps_per_decade=budget))[0]
    first = track(2, 1500)
    assert first.status is ContinuationStatus.FAILED and 0.5 < first.s_reached < 0.7, first.detail
    second = track(2 + 2000, 1500)  # the second other gamma of the pipeline's retries
    assert second.status is ContinuationStatus.FAILED and "step budget 1500" in second.detail
    retried = track(2 + 2000, RETRY_BUDGET * 1500)
    assert retried.status is ContinuationStatus.DIVERGED and "growing like s^-0." in retried.detail, retried.detail
    assert 0.15 < retried.s_reached < 0.25 and retried.end_norm > 1000


# decimals law, widths 2,3,2,2, m = 2, seed 1, Lambda_0 of seed 1: this point (norm 478, its third hidden unit of the
# first layer dead) starts an orbit stuck by step size underflow near s = 0.4 under every gamma, at a condition
# number of 3e14, where Newton's steps are rounding noise of 1e-7 to 2.4e-7 of ||theta|| (RETRY_NOISE_FLOOR)
_DECIMALS_2322_SEED_1 = '{"X": [["32/125", "-859/10000"], ["91/5000", "-533/1000"]], ' \
    '"Y": [["-97/1000", "4740"], ["-5740", "-39/25000"]]}'
_DECIMALS_2322_SEED_1_POINT_34993 = [
    -106.35732243599539 - 322.14053649173076j, 349.0968892277668 - 115.26149906453675j,
    66.0050395314156 + 200.03796949593428j, -216.77699077094496 + 71.53116533761762j, 0j, 0j,
    -88.05070950264208 + 29.05728612561459j, -141.7864048471656 + 46.7908819413772j, 0j,
    -47.2793749277971 - 143.23852022638525j, -76.1326740080047 - 230.65390907773332j, 0j,
    -47.056710983834286 - 142.59134086956348j, 368.69469451151593 - 121.69605497048465j,
    -282.78951795502644 + 93.32345728318333j, -149.80286207192046 - 453.8477291390279j]


def test_a_path_stuck_in_rounding_noise_is_judged_when_retried_with_a_looser_noise_floor(tmp_path):
    from dataclasses import replace

    from algeo.model.data import load_instance
    from algeo.model.equilibration import equilibrate
    from algeo.model.family import GramFamily
    from algeo.model.gram_eval import GramEvaluator
    from algeo.pipeline.unregularized import RETRY_BUDGET, RETRY_NOISE_FLOOR, start_regularization, working_data
    from algeo.tracking.continuation import TrackOptions, seeded_gamma, track_all_to_zero

    architecture = Architecture((2, 3, 2, 2))
    (tmp_path / "decimals.json").write_text(_DECIMALS_2322_SEED_1)
    dataset, _ = load_instance(str(tmp_path / "decimals.json"), architecture)
    equilibration = equilibrate(architecture, dataset)
    parameters = GramFamily(architecture, 2).parameters_of(working_data(dataset, equilibration),
                                                           start_regularization(architecture, dataset, 1, equilibration))
    track = lambda gamma_seed, options: track_all_to_zero(
        GramEvaluator(architecture), parameters, numpy.array([_DECIMALS_2322_SEED_1_POINT_34993]),
        gamma=seeded_gamma(gamma_seed), options=options)[0]
    retry = replace(TrackOptions(), max_steps_per_decade=RETRY_BUDGET * 1500, noise_floor=RETRY_NOISE_FLOOR)
    for gamma_seed in (1, 1 + 1000, 1 + 2000):  # the first tracking's gamma and the retries'
        stuck = track(gamma_seed, replace(retry, noise_floor=TrackOptions().noise_floor))
        assert stuck.status is ContinuationStatus.FAILED and "step size underflow" in stuck.detail, stuck.detail
        assert 0.3 < stuck.s_reached < 0.5
        retried = track(gamma_seed, retry)
        assert retried.status is ContinuationStatus.DIVERGED and "since s = 1 " in retried.detail, retried.detail
        assert retried.s_reached < 0.1 and retried.end_norm > 1500


def test_only_stuck_paths_that_diverge_are_called_diverged_by_their_growth():
    """Widths 2,2,2, m = 2, seed 1 with 10 steps per decade, so that many paths get stuck: every path the
    growth rate calls diverged diverges when tracked with the default budget, and the converging paths that
    got stuck stay failed (measured: 16 called diverged, 6 converging paths failed, 34 diverging ones not
    called)."""
    from dataclasses import replace

    from algeo.model.family import GramFamily
    from algeo.model.gram_eval import GramEvaluator
    from algeo.pipeline.unregularized import start_regularization
    from algeo.tracking.continuation import TrackOptions, seeded_gamma, track_all_to_zero

    architecture = Architecture((2, 2, 2))
    dataset = random_dataset(architecture, 2, 1)
    start = start_regularization(architecture, dataset, 1)
    base = solve(architecture, samples=2, seed=1, regularization=start, options=SolveOptions(exact_budget=0))
    points = numpy.array([p.coordinates for p in base.points])
    parameters = GramFamily(architecture, 2).parameters_of(dataset, start)
    evaluator, gamma = GramEvaluator(architecture), seeded_gamma(1)
    full = track_all_to_zero(evaluator, parameters, points, gamma=gamma)
    short = track_all_to_zero(evaluator, parameters, points, gamma=gamma,
                              options=replace(TrackOptions(), max_steps_per_decade=10))
    called = [k for k, path in enumerate(short) if "growing like" in path.detail]
    assert len(called) >= 10
    assert all(short[k].status is ContinuationStatus.DIVERGED for k in called)
    assert all(full[k].status is ContinuationStatus.DIVERGED for k in called)
    stuck_converging = [k for k, path in enumerate(short) if path.status is ContinuationStatus.FAILED
                        and full[k].status is ContinuationStatus.CONVERGED]
    assert stuck_converging  # the rule had converging paths to judge, and called none of them diverged


def test_a_refinement_stalled_just_short_of_its_tolerance_is_accepted_only_below_the_zero_threshold():
    import mpmath

    from algeo.pipeline.unregularized import stalled_on_critical_set
    from algeo.tracking.continuation import CriticalSetRefinement

    def refinement(residual, step_converged=True, size=2):
        return CriticalSetRefinement((mpmath.mpc(size), mpmath.mpc(1)), mpmath.mpf(residual), mpmath.mpf("1e-40"), 4,
                                     False, 4, None, step_converged)

    with mpmath.workdps(40):
        assert stalled_on_critical_set(refinement("2.19e-29"), 40)  # 2,2,2,3 seed 3, cycle number 2
        assert stalled_on_critical_set(refinement("1.5e-20", size=2), 40)  # relative to max(1, ||x||) = 2
        assert not stalled_on_critical_set(refinement("3e-20", size=2), 40)
        assert not stalled_on_critical_set(refinement("1.15e-12"), 40)  # an end short of the Cauchy endgame's
        assert not stalled_on_critical_set(refinement("2.19e-29", step_converged=False), 40)  # still moving


def test_refinement_lands_on_the_critical_set_from_a_nearby_point():
    # widths 2,1,2: theta = (a w1, w2 / a) with w2 w1 = U_1 S^-1 is critical for every a != 0 (a 1-dim fibre)
    architecture = Architecture((2, 1, 2))
    data = random_dataset(architecture, 2, 5)
    X = numpy.array(data.X, dtype=float)
    Y = numpy.array(data.Y, dtype=float)
    S = scipy.linalg.sqrtm(X @ X.T).real
    u, sigma, vt = numpy.linalg.svd(Y @ X.T @ numpy.linalg.inv(S))
    w2 = u[:, 0] * numpy.sqrt(sigma[0])
    w1 = numpy.sqrt(sigma[0]) * vt[0] @ numpy.linalg.inv(S)
    start = numpy.concatenate([w1 * 1.3, w2 / 1.3]) + 1e-6  # off the set by 1e-6
    zero = tuple(tuple(tuple(Fraction(0) for _ in range(c)) for _ in range(rr)) for rr, c in architecture.shapes)
    from algeo.model.data import Regularization, RegularizationKind
    system = build_system(architecture, data, Regularization(RegularizationKind.NONE, zero)).polynomial_system
    with mpmath.workdps(40):
        refined = refine_on_critical_set(system, [complex(x) for x in start], digits=40,
                                         compiled=CompiledSystem(system))
    assert refined.converged and refined.residual < 1e-35
    assert refined.jacobian_rank == 3  # 4 unknowns, 1-dimensional fibre
    point = numpy.array([complex(z).real for z in refined.point])
    assert numpy.abs(numpy.outer(point[2:], point[:2]) - numpy.outer(w2, w1)).max() < 1e-12


# two tracked ends of 2,3,2,2, m = 2, seed 1 (random law) whose refinement ran its 160 iterations: near the origin,
# where the gradient is cubic (the residual stalled at 1e-27 and the path was failed), and on a fibre over a
# rank-1 product (the residual at the 50-digit noise from the 2nd iteration, the steps never below tolerance)
_STALLED_NEAR_THE_ORIGIN = [0j, 0j, 0j, 0j, (9.955468030465413e-10-5.024569107020879e-09j), (-1.9203026446234875e-08-2.332351167674293e-08j), 0j, 0j, (-4.0888179866604334e-08+5.210184217144957e-08j), 0j, 0j, (4.406473781783034e-08+4.355790066707645e-08j), (-2.749010699354862e-08+3.502932193428253e-08j), (4.708880213604294e-08+4.654718188617983e-08j), (-3.563002391703286e-08-2.7961522392568433e-08j), (-2.9386695292778853e-08+2.9728637137637392e-08j)]
_AT_THE_NOISE = [0j, 0j, 0j, 0j, (0.4824544096704328+0.8356355499760935j), (0.2097606729482081+0.3633161452477469j), 0j, 0j, 0j, 0j, 0j, (-0.6570458111113139-1.138036728259684j), 0j, (-0.34938462790162894-0.6051519281144896j), 0j, (-0.5083495627877583-0.8804872711554189j)]


@pytest.mark.parametrize("start, most", [(_STALLED_NEAR_THE_ORIGIN, 70), (_AT_THE_NOISE, 30)])
def test_a_stalled_refinement_tries_the_noise_floor_steps_and_stops_when_stalled_again(start, most):
    from algeo.model.data import Regularization, RegularizationKind

    architecture = Architecture((2, 3, 2, 2))
    data = random_dataset(architecture, 2, 1)
    zero = tuple(tuple(tuple(Fraction(0) for _ in range(cols)) for _ in range(rows)) for rows, cols in
                 architecture.shapes)
    system = build_system(architecture, data, Regularization(RegularizationKind.NONE, zero)).polynomial_system
    with mpmath.workdps(50):
        refined = refine_on_critical_set(system, start, digits=50, compiled=CompiledSystem(system))
    assert refined.converged and refined.residual < 1e-40
    assert refined.iterations <= most  # 160 before the stall rule


@pytest.mark.parametrize("seed", [1, 2])
def test_widths_1_2_1_no_longer_crash_in_the_refinement_and_find_both_products(seed):
    # seed 1 raised "SVD did not converge" in refine_on_critical_set (a Jacobian with an exactly zero
    # singular value, then a non-finite one); now every path has a fate and the products are the theory's
    result = solve("1,2,1", samples=1, seed=seed, regularization="none",
                   options=SolveOptions(exact_budget=0, progress=False))
    extra = result.counts.extra
    assert extra["products"] == extra["products_generic_theory"] == 2
    assert extra["continuation_failed"] == 0 and result.ok
    assert extra["continuation_paths"] == result.counts.complex


def test_the_cauchy_endgame_finds_the_ends_of_converging_paths_and_flags_diverging_ones():
    import numpy
    from dataclasses import replace

    from algeo.model.architecture import Architecture
    from algeo.model.data import random_dataset
    from algeo.model.family import GramFamily
    from algeo.model.gram_eval import GramEvaluator
    from algeo.pipeline.options import SolveOptions
    from algeo.pipeline.solve import solve
    from algeo.pipeline.unregularized import start_regularization
    from algeo.tracking.continuation import (ContinuationStatus, TrackOptions, cauchy_endgame, seeded_gamma,
                                             track_all_to_zero)

    architecture = Architecture((2, 2, 2))
    dataset = random_dataset(architecture, 2, 1)
    start = start_regularization(architecture, dataset, 1)
    base = solve(architecture, samples=2, seed=1, regularization=start, options=SolveOptions(exact_budget=0))
    points = numpy.array([p.coordinates for p in base.points])[:40]
    parameters = GramFamily(architecture, 2).parameters_of(dataset, start)
    evaluator, gamma = GramEvaluator(architecture), seeded_gamma(1)
    ends = track_all_to_zero(evaluator, parameters, points, gamma=gamma)
    at = track_all_to_zero(evaluator, parameters, points, gamma=gamma, options=replace(TrackOptions(), s_end=1e-3))
    keep = [k for k, t in enumerate(at) if t.status is ContinuationStatus.CONVERGED and t.s_reached <= 1e-3]
    estimates = cauchy_endgame(evaluator, parameters, numpy.array([at[k].end for k in keep]), s0=1e-3, gamma=gamma)
    checked = diverging = 0
    for k, estimate in zip(keep, estimates):
        if ends[k].status is ContinuationStatus.CONVERGED and ends[k].s_reached <= 1e-7 and estimate.point is not None:
            assert estimate.cycle >= 1 and estimate.spread <= 2.0
            end = numpy.array(ends[k].end)
            assert numpy.abs(numpy.array(estimate.point) - end).max() <= 1e-4 * max(1.0, numpy.abs(end).max())
            checked += 1
        elif ends[k].status is ContinuationStatus.DIVERGED:
            assert estimate.point is None or estimate.spread > 2.0  # its mean is no end point
            diverging += 1
    assert checked >= 5, (checked, diverging)  # 11 converging paths checked on this instance


def test_keep_incomplete_returns_a_homotopy_short_of_its_count_with_its_problems(tmp_path):
    # the Lambda_0 solve of the unregularized mode keeps what the homotopy found, flagged; msolve's exact count
    # (225) shows the start set below (whole sign-flip orbits left out, its check record edited to match) short
    import dataclasses

    import pytest

    from algeo.model.architecture import Architecture
    from algeo.model.data import generic_regularization, random_dataset
    from algeo.model.family import tracking_family
    from algeo.model.symmetry import orbit_representatives
    from algeo.model.system import build_system
    from algeo.pipeline.options import SolveOptions
    from algeo.pipeline.solve import solve_system
    from algeo.startsets.store import find_start_set, load_start_set, save_start_set
    from algeo.verify.msolve import msolve_available

    if not msolve_available():
        pytest.skip("needs msolve (./setup.sh installs it)")
    architecture = Architecture((2, 2, 2))
    family = tracking_family(architecture, 2)
    full, _ = find_start_set(family)
    _, images = orbit_representatives(full.points, family.sign_flips())
    dropped = {r for r, _ in images[:40]}  # whole orbits, so the symmetry closure cannot restore them
    points = tuple(x for x, (r, _) in zip(full.points, images) if r not in dropped)
    path = tmp_path / "short.json"
    save_start_set(dataclasses.replace(full, points=points), path)
    assert load_start_set(family, path) is None  # its check confirmed 225 points, not these
    save_start_set(dataclasses.replace(full, points=points, check={**full.check, "start_solutions": len(points)}),
                   path)
    system = build_system(architecture, random_dataset(architecture, 2, 3), generic_regularization(architecture, 3))
    kept = solve_system(system, seed=3, options=SolveOptions(start_set=str(path), exact_budget=60),
                        keep_incomplete=True)
    assert kept.provenance["method"]["name"] == "parameter_homotopy"
    assert kept.counts.complex < 225 and not kept.ok and kept.problems


def test_lambda_0_is_scaled_to_data_far_from_unit_size_and_left_alone_for_the_random_law():
    from fractions import Fraction

    from algeo.model.architecture import Architecture
    from algeo.model.data import generic_regularization, random_dataset
    from algeo.model.data_laws import instance
    from algeo.pipeline.unregularized import _start_scale, start_regularization

    architecture = Architecture((3, 2, 3))
    for seed in (1, 2, 3):
        data = random_dataset(architecture, 3, seed)
        assert _start_scale(architecture, data) == 1
        assert start_regularization(architecture, data, seed).Lambda == generic_regularization(architecture, seed).Lambda
    data, _ = instance(architecture, 3, "integers", 1)  # entries up to 10: the data term is about 100 times larger
    scale = _start_scale(architecture, data)
    assert scale > 8 and scale.denominator == 1 and scale.numerator & (scale.numerator - 1) == 0  # a power of two
    scaled = start_regularization(architecture, data, 1).Lambda
    generic = generic_regularization(architecture, 1).Lambda
    assert all(s == g * scale for a, b in zip(scaled, generic) for r, q in zip(a, b) for s, g in zip(r, q))
    assert Fraction(1) == _start_scale(architecture, random_dataset(architecture, 3, 4))


@pytest.mark.parametrize("widths, samples, law, seed", [
    ((3, 2, 2), 3, "decimals", 1),  # 376 failed paths in 160 s before the rescaling; 0 in about 5 s after
    ((3, 1, 2), 3, "decimals", 2), ((2, 1, 2), 2, "decimals", 3), ((3, 1, 2), 3, "integers", 1),
])
def test_data_people_type_reach_every_product_without_failed_paths(widths, samples, law, seed):
    """Decimals from 1e-3 to 1e3 and small integers: exactly rescaled inputs (algeo.model.equilibration) keep
    the continuation as clean as for the random law (before, 3,2,2 decimals seed 1 failed 376 paths)."""
    from algeo.model.data_laws import instance

    architecture = Architecture(widths)
    dataset, _ = instance(architecture, samples, law, seed)
    result = solve(widths, data=dataset, regularization="none",
                   options=SolveOptions(exact_budget=0))
    q, r = architecture.outer_rank, architecture.rank_bound
    assert result.counts.extra["continuation_failed"] == 0, result.problems
    assert len(result.products) == sum(comb(q, k) for k in range(r + 1))
    assert sum(p.purity.value == "pure" for p in result.products) == (1 if architecture.is_filling else comb(q, r))
    assert sum(bool(p.is_local_minimum_on_M_r) for p in result.products) == 1
    assert not result.problems


def test_a_result_with_problems_draws_lambda_0_again(monkeypatch):
    """The first Lambda_0's result has a problem (injected): the second draw's clean result is returned, the
    first's problem is a warning, and both draws and the user's seed are recorded."""
    from dataclasses import replace

    from algeo.pipeline import unregularized as module

    original = module.solve_unregularized
    seeds = []

    def flaky(base, *args, seed, **kwargs):
        seeds.append(seed)
        result = original(base, *args, seed=seed, **kwargs)
        return replace(result, problems=("injected: a continuation path failed",)) if seed == 1 else result

    monkeypatch.setattr(module, "solve_unregularized", flaky)
    result = solve("2,1,2", samples=2, seed=1, regularization="none", options=SolveOptions(exact_budget=0))
    assert seeds == [1, 1001] and not result.problems
    assert any("injected" in w and "seed 1001" in w for w in result.warnings)
    assert result.provenance["seed"] == 1 and result.provenance["unregularized"]["lambda_0_seed"] == 1001
    assert [d["used"] for d in result.provenance["unregularized"]["lambda_0_draws"]] == [False, True]
    assert len(result.products) == 3  # q = 2, r = 1: 1 + 2


def test_msolve_runs_on_small_lambda_0_systems_only():
    """msolve counts the Lambda_0 system when it can (a small start set), and is not run, with the reason
    recorded, when the start set is over LAMBDA_0_EXACT_MAX_POINTS (705 points: it did not finish in 150 s)."""
    from algeo.pipeline.solve import LAMBDA_0_EXACT_MAX_POINTS

    small = solve("2,1,2", samples=2, seed=1, regularization="none")
    assert small.counts.extra["independent_check"] == "msolve", small.counts.extra.get("exact_status")
    assert small.counts.extra["exact_complex"] == small.counts.complex
    large = solve("3,2,2", samples=3, seed=1, regularization="none")
    status = large.counts.extra["exact_status"]
    assert "not run on the Lambda_0 system" in status and "705 points" in status
    assert 705 > LAMBDA_0_EXACT_MAX_POINTS
    assert large.counts.extra["independent_check"] == "verified start-set size"
    assert len(large.products) == 4 and not large.problems


def test_an_unconfirmed_start_set_serves_the_unregularized_mode_only(tmp_path, monkeypatch):
    """A start set kept without confirmation (check["unconfirmed"]): the unregularized mode starts from it and
    says so; the regularized solve does not use it (its size is no count)."""
    from dataclasses import replace

    from algeo.model.family import tracking_family
    from algeo.model.data import generic_regularization
    from algeo.pipeline.solve import _Clock, _solve_by_homotopy
    from algeo.pipeline.crosscheck import start_exact_count
    from algeo.startsets.store import find_start_set, save_start_set, start_set_path

    monkeypatch.setenv("ALGEO_START_SETS", str(tmp_path))
    family = tracking_family(Architecture((2, 1, 2)), 2)
    shipped, _ = find_start_set(family)
    unconfirmed = replace(shipped, check={**shipped.check, "confirmed_by": [], "unconfirmed": "injected"})
    save_start_set(unconfirmed, start_set_path(family, tmp_path))
    result = solve("2,1,2", samples=2, seed=1, regularization="none", options=SolveOptions(exact_budget=0))
    assert len(result.products) == 3 and not result.problems
    assert any("not confirmed complete: injected" in w for w in result.warnings)
    system = build_system(Architecture((2, 1, 2)), random_dataset(Architecture((2, 1, 2)), 2, 1),
                          generic_regularization(Architecture((2, 1, 2)), 1))
    options = SolveOptions(exact_budget=0)
    outcome, _, fallback = _solve_by_homotopy(system, seed=1, options=options, started=0.0, clock=_Clock(0.0, None),
                                              exact_future=start_exact_count(system, 0.0))
    assert outcome is None and "not confirmed complete (injected)" in fallback[1]


def test_grouping_of_products_agrees_with_a_scan_against_each_group_s_first_member():
    """``_group`` compares in doubles, all products at once: the same groups as the scan it replaced."""
    import mpmath
    import numpy

    from algeo.classify import determinantal as det
    from algeo.pipeline.unregularized import _group, _thresholds

    thresholds = _thresholds(40)
    rng = numpy.random.default_rng(3)
    centres = [rng.standard_normal((2, 2)) * scale for scale in (1e-3, 1.0, 300.0)] + [numpy.zeros((2, 2))]
    products = []
    with mpmath.workdps(40):
        for k in range(60):
            centre = centres[rng.integers(len(centres))]
            noise = rng.standard_normal((2, 2)) * 10.0 ** rng.choice([-14, -12, -9])  # within and beyond 1e-10
            products.append((k, mpmath.matrix((centre + noise).tolist())))

        def scan():
            groups = []
            for position, (_, matrix) in enumerate(products):
                scale = max(1.0, float(det.frobenius(matrix)))
                for group in groups:
                    other = products[group[0]][1]
                    if float(max(abs(matrix[i, j] - other[i, j]) for i in range(2) for j in range(2))) <= \
                            thresholds.same_product * scale:
                        group.append(position)
                        break
                else:
                    groups.append([position])
            return groups

        expected = scan()
        assert _group(products, thresholds) == expected
    assert 4 < len(expected) < 60  # some noise joins its centre's group, some does not


def test_paths_without_a_regular_end_lose_nothing_when_the_points_reach_the_generic_count(tmp_path):
    """Integers 3,2,3, m = 3, seed 1 (5.3 s under pytest): in the Lambda_0 homotopy 2 of the 653 orbit paths end at no
    regular point under every gamma, while the sign-flip images of the found points give all 2,537 points of the
    confirmed start set. That count bounds every member's isolated solutions, so nothing is missing: a warning,
    not a problem (it flagged the solve, drew a second Lambda_0 and left both checks UNDECIDED)."""
    from algeo.model.data import load_instance

    architecture = Architecture((3, 2, 3))
    path = tmp_path / "integers.json"
    path.write_text('{"X": [["-7", "-10", "-1"], ["6", "4", "9"], ["2", "8", "-7"]], '
                    '"Y": [["9", "-7", "0"], ["-2", "-1", "8"], ["9", "4", "10"]]}')
    dataset, _ = load_instance(str(path), architecture)
    result = solve(architecture, data=dataset, regularization="none", seed=1)
    assert result.ok and not result.problems, result.problems
    reached = [w for w in result.warnings if "reach the confirmed start set's count" in w]
    assert len(reached) == 1 and "2 not regular in any" in reached[0]
    assert [d["seed"] for d in result.provenance["unregularized"]["lambda_0_draws"]] == [1]
    assert len(result.products) == 7 and result.counts.complex == 2537
