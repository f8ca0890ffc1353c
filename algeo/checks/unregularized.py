"""``no-spurious-minima`` and ``pure-spurious``: theorems about *unregularized* networks.

Both read the result of ``solve(..., regularization="none")`` (docs/unregularized.md): its
``products`` (one per distinct end-to-end matrix ``Wbar``, classified on ``M_r``) and its
``continuation`` end points (the critical points ``theta`` of ``L``, refined at ``digits``
digits). When the solve is unavailable every instance is UNDECIDED with the reason.

- ``no-spurious-minima`` (Baldi-Hornik; Kawaguchi; Zhou & Liang): no critical point is a
  non-global local minimum; every other critical point is a saddle. Each product gets its own
  evidence (:func:`product_evidence`):

  * **global minimum**: its loss, computed at ``digits`` digits from a refined end point,
    equals the Eckart-Young minimum ``1/2 (tr YY^T - sum_{i<=r} lambda_i(Sigma))`` of ``l`` on
    ``M_r`` (exact ``CRootOf`` eigenvalues) within ``10^(-digits/2)`` relative: every ``theta`` in
    its fiber is a global, hence local, minimum of ``L``;
  * **saddle**: every real critical point ``theta`` that ended on it has a descent direction of
    ``L`` in parameter space (:mod:`algeo.checks.descent`: negative curvature, or a rank-one
    chain of order ``H``), and its loss is at least ``1e-8`` above the minimum; when every end over it
    is a complex point of its fibre, at the real critical point :func:`fibre_point` builds from
    ``U_I S^{-1}`` (path None in the evidence);
  * **non-global local minimum** (a counterexample): loss above the minimum, the solver
    classifies it a local minimum of ``l`` on ``M_r`` (pure, Morse index 0 on its stratum,
    nondegenerate), and no real critical point on it shows a descent direction;
  * **not real**: a non-real ``Wbar`` is no critical point of the real loss;
  * otherwise **undecided**, with the reason (no real end point, a point without a descent
    direction, conflicting evidence, a loss between the tolerances).

  The number of local minima is the number of global-minimum products (claim key
  ``local_minima``, default 1). FAIL: a non-global local minimum, or more minima than claimed,
  or (every product decided and the solve complete: not flagged, so ``sum_{k<=r} C(q,k)``
  products and no failed path) a number of minima different from the claim. PASS: every
  product decided, the solve complete and the count as claimed. Else UNDECIDED.
- ``pure-spurious`` (REFERENCE.md section 4): every product of rank ``r`` is pure; the number
  of products is ``sum_{k<=r} C(q,k)``; pure ones number ``C(q,r)`` (non-filling) or 1
  (filling); no product is undecided.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from math import comb
from types import SimpleNamespace

import mpmath
import numpy

from ..exceptions import InputError
from ..model.architecture import Architecture
from ..model.symmetry import apply_signs, orbit_representatives, sign_flip_matrices
from ..model.system import build_system
from ..results.statuses import ContinuationStatus
from ..tracking.continuation import refine_on_critical_set
from ..verify.refine import mp_rational
from .common import eckart_young_hypothesis
from .descent import DescentEvidence, descent_evidence, layers_of, mp_matrix, network_loss
from .instances import Instance
from .report import InstanceCheck, Verdict
from .strata import formula_value

REGULARIZATION = "none"
#: a loss at least this (relative) above the Eckart-Young minimum is not global
NOT_GLOBAL = mpmath.mpf("1e-8")


def _unregularized_solve(instance: Instance, digits: int, backend: str):
    """The unregularized solve result (object and JSON), or ``None`` and why not."""
    from ..pipeline.options import SolveOptions
    from ..pipeline.solve import solve

    try:
        result = solve(instance.architecture, data=instance.dataset, regularization=instance.regularization,
                       seed=instance.seed or 0, options=SolveOptions(digits=digits, backend=backend))
    except InputError as error:
        return None, None, f"solve(regularization='none') is not available for this instance: {error}"
    if not hasattr(result, "products"):
        return None, None, "the solve returned no products (not an unregularized result)"
    return result, _checked_fields(result), ""


def _checked_fields(result) -> dict:
    """The parts of the result's JSON the checks read: ``ok``, ``problems``, ``products`` and, per
    continuation path, ``product`` and ``stratum_check`` (the whole JSON of 2,3,2,2 holds 77,601 paths
    with 40-digit coordinates)."""
    return {"ok": result.ok, "problems": list(result.problems), "products": [p.to_json() for p in result.products],
            "continuation": [{"product": c.product, "stratum_check": c.stratum_check.value if c.stratum_check else None}
                             for c in result.continuation]}


def _flag(product: dict, *names: str):
    for name in names:
        if name in product:
            return product[name]
    return None


def _purity(product: dict) -> str | None:
    value = _flag(product, "purity", "pure")
    if isinstance(value, bool):
        return "pure" if value else "spurious"
    return value


class ProductStatus(str, enum.Enum):
    """What the evidence shows about one product ``Wbar`` (all critical points ``theta`` over it)."""

    GLOBAL_MINIMUM = "global_minimum"  # loss = Eckart-Young minimum: global (so local) minima of L
    SADDLE = "saddle"  # every real critical point over it has a descent direction of L
    NON_GLOBAL_MINIMUM = "non_global_minimum"  # a counterexample to the theorem
    NOT_REAL = "not_real"  # not a critical point of the real loss
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class ProductEvidence:
    """One product's status and the evidence for it."""

    index: int
    index_set: tuple[int, ...]
    rank: int | None
    status: ProductStatus
    loss: str | None  # at `digits` digits (decimal text)
    minimum: str | None  # the Eckart-Young minimum of l on M_r
    relative_loss_gap: str | None  # (loss - minimum) / max(1, |loss|)
    solver_local_minimum_on_M_r: bool | None
    descent: tuple[tuple[int | None, DescentEvidence], ...]  # (continuation path, evidence) per real end point;
    # path None: the point built from Wbar (fibre_point)
    reason: str

    def to_json(self) -> dict:
        return {"index": self.index, "I": list(self.index_set), "rank": self.rank, "status": self.status.value,
                "loss": self.loss, "eckart_young_minimum": self.minimum,
                "relative_loss_gap": self.relative_loss_gap,
                "solver_local_minimum_on_M_r": self.solver_local_minimum_on_M_r,
                "descent": [{"path": path, **evidence.to_json()} for path, evidence in self.descent],
                "reason": self.reason}


def eckart_young_minimum(instance: Instance, digits: int):
    """``min l on M_r = 1/2 (tr YY^T - sum_{i<=r} lambda_i)`` at ``digits + 10`` digits, or None and why."""
    spectrum, reason = eckart_young_hypothesis(instance)
    if spectrum is None:
        return None, reason
    r = instance.architecture.rank_bound
    with mpmath.workdps(digits + 10):
        return mpmath.mpf(str(formula_value(spectrum, tuple(range(r))).evalf(digits + 10))), ""


def product_evidence(instance: Instance, result, *, digits: int) -> list[ProductEvidence]:
    """The evidence of the module docstring for every product of an unregularized solve."""
    minimum, why = eckart_young_minimum(instance, digits)
    system = _Gradient.of(instance)
    records = {record.index: record for record in result.continuation}
    zero = mpmath.mpf(10) ** (-(digits // 2))
    evidence = []
    with mpmath.workdps(digits):
        X, Y = mp_matrix(instance.dataset.X), mp_matrix(instance.dataset.Y)
        for product in result.products:
            ends = [records[p] for p in product.paths if records[p].status is ContinuationStatus.CONVERGED
                    and records[p].refined is not None]
            common = dict(index=product.index, index_set=tuple(product.index_set), rank=product.rank,
                          solver_local_minimum_on_M_r=product.is_local_minimum_on_M_r)
            if product.loss is None or not ends:
                evidence.append(ProductEvidence(status=ProductStatus.NOT_REAL if product.loss is None else
                                                ProductStatus.UNDECIDED, loss=None, minimum=None,
                                                relative_loss_gap=None, descent=(), **common,
                                                reason="a non-real end-to-end matrix" if product.loss is None
                                                else "no refined end point"))
                continue
            best = min(ends, key=lambda record: record.residual)
            loss = mpmath.re(network_loss(layers_of(instance.architecture, list(best.refined)), X, Y))
            real_points = _real_points_by_orbit(instance, system, ends, digits)
            evidence.append(_decide_product(instance, system, product, loss, minimum, why, real_points, zero, digits,
                                            common))
    return evidence


@dataclass(frozen=True)
class _Gradient:
    """The exact gradient system of ``L`` with its fast evaluations, built once per instance.

    ``compiled``: its Jacobian (the Hessian of ``L``) in double precision, for Gauss-Newton's
    correction and the descent search's first guess; ``residual``: the gradient at the working
    precision from matrix products (:class:`~algeo.model.mp_gradient.MatrixGradient`, the same
    polynomials as ``polynomial_system``, several times faster than their expanded terms).
    """

    polynomial_system: object
    compiled: object
    residual: object

    @classmethod
    def of(cls, instance: Instance) -> "_Gradient":
        from ..model.mp_gradient import MatrixGradient
        from ..tracking.continuation import CompiledSystem

        system = build_system(instance.architecture, instance.dataset, instance.regularization).polynomial_system
        return cls(system, CompiledSystem(system),
                   MatrixGradient(instance.architecture, instance.dataset.X, instance.dataset.Y))

    @classmethod
    def around(cls, system) -> "_Gradient":
        """A gradient ``PolynomialSystem`` as it is, its residual from the expanded terms (or ``system`` itself
        when it is already a ``_Gradient``)."""
        from ..tracking.continuation import CompiledSystem

        if isinstance(system, cls):
            return system
        return cls(system, CompiledSystem(system),
                   lambda x: system.evaluate(x, coerce=mp_rational, zero=mpmath.mpf(0), one=mpmath.mpf(1)))

    # the PolynomialSystem interface the descent search reads
    def evaluate_jacobian(self, *args, **kwargs):
        return self.polynomial_system.evaluate_jacobian(*args, **kwargs)


def real_critical_point(system, point, *, digits: int, near_real: float = 1e-6):
    """A real critical point of ``L`` at (or next to) a refined end point, or None when it is not near real.

    The unregularized critical set is positive-dimensional, so a refined end point over a real
    ``Wbar`` may keep a small imaginary part (a point of the complexified fiber). A point whose
    imaginary parts are at most ``10^(-digits/2)`` (relative) is used as it is (real parts); one
    within ``near_real`` is moved to its real part and refined again on the critical set in real
    arithmetic, at ``digits`` and then at ``2 digits`` digits, and kept (the first refinement's point)
    when the exact gradient is below ``10^(10 - d)`` (relative) at each precision ``d`` and the second
    refinement stayed within ``10^(-digits/2)`` (relative) of the first.

    The second precision tells a real critical point from a real point where Gauss-Newton in real
    arithmetic settles at a small residual that is not zero (a least-squares point next to
    complex critical points): 2,2,2,3, m = 2, seed 3 had an orbit of 16 ends with imaginary parts
    1.3e-9 whose real refinement at 50 digits (in mpmath) converged its steps to a residual of 5.6e-47
    (under the tolerance 1e-40), and stayed at 5.6e-47 at 100 and 150 digits. (In python-flint balls,
    the refinement's default, that refinement at 50 digits goes on to a real critical point 6e-38
    away, whose gradient is 1e-200 at 200 digits; the tests keep both.)
    """
    with mpmath.workdps(digits):
        scale = max(1, max(abs(z) for z in point))
        imaginary = max(abs(mpmath.im(z)) for z in point) / scale
        if imaginary <= mpmath.mpf(10) ** (-(digits // 2)):
            return tuple(mpmath.re(z) for z in point)
        if imaginary > near_real:
            return None
    return _confirmed_real(_Gradient.around(system), [mpmath.re(z) for z in point], digits)


def _confirmed_real(system: _Gradient, start, digits: int):
    """The real point ``start`` refined on the critical set at ``digits`` digits, when that refinement and the
    next at ``2 digits`` digits succeed and the second stays within ``10^(-digits/2)`` (relative) of the first
    (:func:`real_critical_point`); else None."""
    real = _real_refinement(system, start, digits)
    if real is None:
        return None
    again = _real_refinement(system, real, 2 * digits)
    with mpmath.workdps(digits):
        # the second refinement must also stay where the first ended (from a point next to the origin it can
        # leave along an unbounded fibre: 2,3,2,2, m = 2, seed 2, from norm 5e-8 to 2e25)
        if again is None or max(abs(x - y) for x, y in zip(again, real)) > mpmath.mpf(10) ** (-(digits // 2)) * max(
                1, max(abs(x) for x in real)):
            return None
        return real


def fibre_point(instance: Instance, system, product, digits: int):
    """A real critical point of ``L`` over the real product ``product``, built without a path, or None.

    ``W_I = U_I S^{-1}`` from the data and the product's index set ``I`` at ``2 digits`` digits, and the
    point of :func:`~algeo.classify.determinantal.balanced_factorization` of it (critical for ``L`` since
    ``W_I`` is critical for ``l`` on its stratum), rounded to ``digits`` digits. Kept when the exact gradient
    there is below ``10^(10 - 2 digits)`` (relative) at ``2 digits`` digits and ``W_I`` is the product's
    ``Wbar`` within ``10^(-digits/2)`` (relative). No refinement: the point lies on a singular stretch of the
    critical set, where Gauss-Newton converges slowly, and is critical at any precision asked.

    Used for a real product over which every path ended at a complex point of the fibre (integers
    2,3,2,2, m = 2, seed 1: product ``I = {2}``, whose 16 ends all have imaginary parts above ``1e-6``).
    """
    from ..classify.determinantal import balanced_factorization, whitening

    index_set = [i - 1 for i in product.index_set]
    if product.rank is None or product.loss is None or len(index_set) != product.rank:
        return None
    system = _Gradient.around(system)
    with mpmath.workdps(2 * digits):
        W_I = whitening(instance.dataset).product_of(index_set)
        point = balanced_factorization(instance.architecture, W_I, product.rank)
        scale = max(1, max(abs(x) for x in point))
        if max(abs(v) for v in system.residual(point)) > mpmath.mpf(10) ** (10 - 2 * digits) * scale:
            return None
        matrix = mpmath.matrix([[mpmath.mpf(x) for x in row] for row in product.matrix_text])
        if mpmath.mnorm(W_I - matrix, 1) > mpmath.mpf(10) ** (-(digits // 2)) * max(1, mpmath.mnorm(matrix, 1)):
            return None
    with mpmath.workdps(digits):
        return tuple(+x for x in point)


def _real_refinement(system: _Gradient, start, digits: int):
    """``start`` refined on the critical set in real arithmetic at ``digits`` digits, or None when the exact
    gradient there is above ``10^(10 - digits)`` (relative)."""
    with mpmath.workdps(digits):
        refined = refine_on_critical_set(system.polynomial_system, [complex(0) + mpmath.mpf(x) for x in start],
                                         digits=digits, compiled=system.compiled, residual=system.residual)
        real = tuple(mpmath.re(z) for z in refined.point)
        residual = max(abs(v) for v in system.residual(real))
        if residual > mpmath.mpf(10) ** (10 - digits) * max(1, max(abs(x) for x in real)):
            return None
        return real


#: points per worker below which the examinations of :func:`_by_orbit` stay in this process
SPLIT_AT_LEAST = 8


def _by_orbit(architecture, points: list[tuple], compute, image_of) -> list:
    """``compute(point)`` for each point, once per distinct point and hidden-unit sign-flip orbit.

    A point equal to an earlier one gets its result; a point that is exactly (digit for digit)
    ``s`` times an earlier one gets ``image_of(result, signs, origin)`` (``origin``: where that
    earlier point first occurs in ``points``); any other is computed. The computations are
    shared over the worker processes (:func:`algeo._fork.map_split`, interleaved so that each
    gets a like mix); ``compute`` returns a picklable result.
    (Duplicates first: the 257 paths over ``W̄ = 0`` can end at one point, and thousands of equal
    points would make every pair a candidate of the orbit search.)
    """
    from .._fork import map_split, worker_count

    position: dict[tuple, int] = {}
    distinct: list[tuple] = []
    first: list[int] = []  # of each distinct point, its first position in points
    keys = [_exact_key(point) for point in points]
    for k, (point, key) in enumerate(zip(points, keys)):
        if key not in position:
            position[key] = len(distinct)
            distinct.append(point)
            first.append(k)
    image: dict[int, tuple[int, list[int]]] = {}  # k -> (origin, signs): distinct[k] is exactly signs * distinct[origin]
    if isinstance(architecture, Architecture) and len(distinct) >= 2:
        flips = numpy.asarray(sign_flip_matrices(architecture))
        array = numpy.array([[complex(z) for z in point] for point in distinct], dtype=complex)
        representatives, images = orbit_representatives(array, flips)
        for k, (point, (r, f)) in enumerate(zip(distinct, images)):
            origin = representatives[r]
            signs = [int(v) for v in flips[f]]
            if f and origin != k and point == apply_signs(distinct[origin], signs):
                image[k] = (origin, signs)
    examined = [k for k in range(len(distinct)) if k not in image]  # every origin is among them (its own f is 0)
    workers = worker_count()
    interleaved = [examined[w::workers] for w in range(workers)]
    order = [k for share in interleaved for k in share]
    computed = map_split(lambda share: [compute(distinct[k]) for k in share], order, min_share=SPLIT_AT_LEAST) \
        if workers > 1 and len(order) >= 2 * SPLIT_AT_LEAST else [compute(distinct[k]) for k in order]
    results: list = [None] * len(distinct)
    for k, value in zip(order, computed):
        results[k] = value
    for k, (origin, signs) in image.items():
        results[k] = image_of(results[origin], signs, first[origin])
    return [results[position[key]] for key in keys]


def _exact_key(point: tuple) -> tuple:
    """A hashable key equal for points equal digit for digit: mpmath's own tuples (an mpc's hash is slow: a
    third of :func:`_by_orbit`'s time on 28,513 ends of 2,3,2,2)."""
    return tuple((z._mpf_, mpmath.mpf(0)._mpf_) if isinstance(z, mpmath.mpf) else z._mpc_ if isinstance(z, mpmath.mpc)
                 else z for z in point)


def _real_points_by_orbit(instance, system, ends, digits: int) -> list:
    """``(path, real critical point)`` for the converged ends that have one (:func:`real_critical_point`).

    An end that is exactly a hidden-unit sign flip ``s`` of another (the continuation's sign-flip
    images are) gets ``s`` times that end's real point: the gradient is equivariant under the flips,
    so the refinement of ``s x`` is ``s`` times that of ``x``.
    """
    def compute(refined):
        return real_critical_point(system, refined, digits=digits)

    def image_of(point, signs, _):
        return None if point is None else apply_signs(point, signs)

    reals = _by_orbit(instance.architecture, [tuple(record.refined) for record in ends], compute, image_of)
    return [(record.index, point) for record, point in zip(ends, reals) if point is not None]


def _descent_by_orbit(instance, system, real_points, digits: int) -> tuple:
    """``descent_evidence`` at every real critical point, once per distinct point and sign-flip orbit.

    ``L(s theta) = L(theta)`` for a flip ``s``, so ``v`` is a descent direction at ``theta`` exactly when
    ``s v`` is one at ``s theta``, with the same Hessian eigenvalues, coefficients, step and decrease: a
    point that is exactly ``s`` times an examined one gets its evidence, said in the reason. The
    continuation's sign-flip images are such points (2,3,2,2, m = 2: 28,305 converged paths, 16 or 32
    per orbit; each examination costs an exact Hessian and its eigenvectors at ``digits`` digits).
    """
    from dataclasses import replace

    paths = [path for path, _ in real_points]

    def compute(point):
        evidence = descent_evidence(instance.architecture, instance.dataset, system, point, digits=digits,
                                    compiled=system.compiled)
        if evidence.found or not (evidence.least_hessian_eigenvalue or 0) < 0:
            return evidence
        return _at_more_digits(instance, system, point, digits, evidence)

    def image_of(evidence, _, origin):
        return replace(evidence, reason=f"{evidence.reason} (a sign-flip image of the real critical point of "
                                        f"path {paths[origin]}: the same by symmetry)")

    points = [tuple(point) for _, point in real_points]
    return tuple(zip(paths, _by_orbit(instance.architecture, points, compute, image_of)))


def _at_more_digits(instance, system, point, digits: int, evidence: DescentEvidence) -> DescentEvidence:
    """The descent search once more at ``2 digits`` digits, at the point refined there, for a point whose least
    Hessian eigenvalue is negative but not clearly so at ``digits`` (above ``-10^(-digits/4)`` relative), or whose
    direction's decrease is below what ``digits`` digits resolve.

    Measured: integers 2,2,2,3, m = 2, seed 1 at 50 digits: an orbit of 16 real critical points over a rank-1
    product (loss 34.1) has least eigenvalue -2.4e-11 (largest about 1e2); along its eigenvector ``L`` falls by
    about ``1.2e-11 t^2`` only for ``t`` below ``1e-12``, under the ``10^(-25) |L|`` that 50 digits resolve.
    The refined point is the same critical point (:func:`real_critical_point` keeps it only when its
    refinement at ``2 digits`` moves it by less than ``10^(-digits/2)``); the evidence found there says so.
    """
    from dataclasses import replace

    finer = _real_refinement(system, point, 2 * digits)
    if finer is None:
        return evidence
    again = descent_evidence(instance.architecture, instance.dataset, system, finer, digits=2 * digits,
                             compiled=system.compiled)
    if not again.found:
        return evidence
    return replace(again, reason=f"{again.reason}, at {2 * digits} digits (at {digits}: {evidence.reason})")


def _decide_product(instance, system, product, loss, minimum, why, real_points, zero, digits, common):
    gap = None if minimum is None else (loss - minimum) / max(1, abs(loss))
    texts = dict(loss=mpmath.nstr(loss, 30), minimum=None if minimum is None else mpmath.nstr(minimum, 30),
                 relative_loss_gap=None if gap is None else mpmath.nstr(gap, 5))
    local = product.is_local_minimum_on_M_r
    if gap is None:
        return ProductEvidence(status=ProductStatus.UNDECIDED, descent=(), reason=f"no Eckart-Young minimum: {why}",
                               **texts, **common)
    if abs(gap) <= zero:
        if local is False:
            return ProductEvidence(status=ProductStatus.UNDECIDED, descent=(), **texts, **common,
                                   reason="conflicting evidence: the loss is the global minimum, but the solver "
                                   "says it is not a local minimum of l on M_r")
        return ProductEvidence(status=ProductStatus.GLOBAL_MINIMUM, descent=(), **texts, **common,
                               reason="loss equals the Eckart-Young minimum of l on M_r: every theta over it is a "
                               "global minimum of L")
    if gap < NOT_GLOBAL:
        return ProductEvidence(status=ProductStatus.UNDECIDED, descent=(), **texts, **common,
                               reason="the loss is neither equal to nor clearly above the minimum")
    built = ""
    if not real_points:  # every end over it is a complex point of its fibre: a real one from W_I
        point = fibre_point(instance, system, product, digits)
        if point is not None:
            real_points = [(None, point)]
            built = (" (no path ended at a real point over it: the point is a balanced factorization of "
                     "U_I S^-1, fibre_point)")
    descent = _descent_by_orbit(instance, system, real_points, digits)
    shown = [evidence.found for _, evidence in descent]
    if shown and all(shown):
        if local:
            return ProductEvidence(status=ProductStatus.UNDECIDED, descent=descent, **texts, **common,
                                   reason="conflicting evidence: descent directions, but the solver says it is a "
                                   "local minimum of l on M_r" + built)
        return ProductEvidence(status=ProductStatus.SADDLE, descent=descent, **texts, **common,
                               reason=(f"a descent direction of L at each of its {len(shown)} real critical points"
                                       if not built else "a descent direction of L at a real critical point over it"
                                       + built))
    if local and not any(shown):
        return ProductEvidence(status=ProductStatus.NON_GLOBAL_MINIMUM, descent=descent, **texts, **common,
                               reason="above the minimum, a local minimum of l on M_r by the solver's "
                               "classification, and no descent direction found")
    reason = ("no real critical point ended on it, and none was built from Wbar" if not shown else
              f"no descent direction at {shown.count(False)} of its {len(shown)} real critical points" + built)
    return ProductEvidence(status=ProductStatus.UNDECIDED, descent=descent, **texts, **common, reason=reason)


def decide_minima(evidence: list[ProductEvidence], *, claimed_minima: int, complete: bool) -> tuple[Verdict, str, dict]:
    """The verdict of ``no-spurious-minima`` from the products' evidence (see the module docstring)."""
    tally = {status: [e.index for e in evidence if e.status is status] for status in ProductStatus}
    minima = len(tally[ProductStatus.GLOBAL_MINIMUM])
    counterexamples = tally[ProductStatus.NON_GLOBAL_MINIMUM]
    undecided = tally[ProductStatus.UNDECIDED]
    text = (f"{len(evidence)} products: {minima} global minima, {len(tally[ProductStatus.SADDLE])} saddles "
            f"(a descent direction at every real critical point), {len(counterexamples)} non-global minima, "
            f"{len(undecided)} undecided; claimed local minima {claimed_minima}")
    record = {"products": len(evidence), "claimed_local_minima": claimed_minima, "local_minima": minima,
              "statuses": {status.value: indices for status, indices in tally.items()}, "complete": complete,
              "per_product": [e.to_json() for e in evidence]}
    if counterexamples:
        return Verdict.FAIL, text + " (a non-global local minimum)", record
    if minima > claimed_minima:
        return Verdict.FAIL, text + " (more local minima than claimed)", record
    if undecided or not complete:
        record["undecided_because"] = ([f"product {e.index}: {e.reason}" for e in evidence
                                        if e.status is ProductStatus.UNDECIDED]
                                       + ([] if complete else ["the solve was flagged: products may be missing"]))
        return Verdict.UNDECIDED, text, record
    if minima != claimed_minima:
        return Verdict.FAIL, text + " (every product decided: the number of local minima differs from the claim)", \
            record
    return Verdict.PASS, text, record


def _no_spurious_minima(instance: Instance, result, data: dict, claim: dict, digits: int) -> tuple[Verdict, str, dict]:
    evidence = product_evidence(instance, result, digits=digits)
    return decide_minima(evidence, claimed_minima=int(claim.get("local_minima", 1)), complete=result.ok)


def _pure_spurious(instance: Instance, result, data: dict, claim: dict, digits: int) -> tuple[Verdict, str, dict]:
    a = instance.architecture
    q, r = a.outer_rank, a.rank_bound
    products = data["products"]
    expected_products = int(claim.get("products", sum(comb(q, k) for k in range(r + 1))))
    expected_pure = int(claim.get("pure", 1 if a.is_filling else comb(q, r)))
    ranks = [_flag(p, "rank") for p in products]
    purity = [_purity(p) for p in products]
    violations = [k for k, (e, s) in enumerate(zip(ranks, purity)) if e == r and s != "pure"]
    undecided = [k for k, (e, s) in enumerate(zip(ranks, purity)) if not isinstance(e, int) or s not in ("pure", "spurious")]
    pure = purity.count("pure")
    checks = [path.get("stratum_check") for path in data.get("continuation", []) if path.get("product") is not None]
    stratum_no = [k for k, c in enumerate(checks) if c == "no"]
    stratum_undecided = [k for k, c in enumerate(checks) if c not in ("yes", "no")]
    evidence = {"critical_on_stratum_per_point": {"yes": checks.count("yes"), "no": len(stratum_no),
                                                  "undecided": len(stratum_undecided)},"products": len(products), "expected_products": expected_products, "pure": pure,
                "expected_pure": expected_pure, "ranks": ranks, "purity": purity,
                "rank_r_not_pure": violations, "undecided": undecided, "filling": a.is_filling, "r": r, "q": q}
    text = (f"{len(products)} products vs {expected_products}; pure {pure} vs {expected_pure}; "
            f"rank-r not pure: {len(violations)}; undecided {len(undecided)}; points critical on their stratum "
            f"{checks.count('yes')}/{len(checks)}")
    if stratum_no:
        return Verdict.FAIL, text + " (a critical point is not critical on its rank stratum)", evidence
    if stratum_undecided:
        return Verdict.UNDECIDED, text, evidence
    if violations or (not undecided and (len(products) != expected_products or pure != expected_pure)):
        return Verdict.FAIL, text, evidence
    if undecided:
        return Verdict.UNDECIDED, text, evidence
    return Verdict.PASS, text, evidence


def _make(name: str, statement: str, claim_keys: tuple[str, ...], decide, method: str) -> SimpleNamespace:
    def check(instance: Instance, *, claim: dict, digits: int, backend: str = "auto") -> InstanceCheck:
        common = dict(seed=instance.seed, widths=instance.architecture.widths, samples=instance.dataset.n_samples)
        result, data, reason = _unregularized_solve(instance, digits, backend)
        if result is None:
            return InstanceCheck(instance.label, Verdict.UNDECIDED, reason, {"undecided_because": reason}, **common)
        verdict, text, evidence = decide(instance, result, data, claim, digits)
        evidence["method"] = method
        evidence["solve_ok"] = data.get("ok")
        if verdict is Verdict.PASS and not data.get("ok", False):
            verdict, evidence["undecided_because"] = Verdict.UNDECIDED, "the solve was flagged: " + "; ".join(
                data.get("problems", []))
        return InstanceCheck(instance.label, verdict, text, evidence, **common)

    def validate(instance: Instance) -> None:
        if not instance.regularization.is_zero:
            raise InputError("regularization", f"{name} is about unregularized networks", "use --regularization none")

    return SimpleNamespace(NAME=name, STATEMENT=statement, EXISTENCE=False, CLAIM_KEYS=claim_keys,
                           REGULARIZATION=REGULARIZATION, check=check, validate=validate)


THEOREMS = {
    "no-spurious-minima": _make(
        "no-spurious-minima", "unregularized deep linear networks have no non-global local minimum; every other "
        "critical point is a saddle (Baldi-Hornik, Kawaguchi, Zhou & Liang)", ("local_minima",), _no_spurious_minima,
        "algeo.solve(regularization='none'); per product: loss vs the exact Eckart-Young minimum, or a descent "
        "direction of L (algeo.checks.descent) at every real critical point over it"),
    "pure-spurious": _make(
        "pure-spurious", "REFERENCE.md section 4: sum_{k<=r} C(q,k) products; rank-r products are pure; C(q,r) pure "
        "(non-filling) or 1 (filling)", ("products", "pure"), _pure_spurious,
        "algeo.solve(regularization='none'): products and their classification"),
}


def for_theorem(name: str) -> SimpleNamespace:
    return THEOREMS[name]
