"""``regularized-spurious-minima``: a regularized deep linear network with a non-global local minimum.

Mehta, Chen, Tang & Hauenstein (arXiv 1810.07716) report that with nonzero regularization
deep linear networks have local minima that are not global. This is an *existence*
statement: the check searches the given instances; an instance without such a point is
not a counterexample (it is UNDECIDED for the search), so this check never FAILs.

For a candidate (Hessian index 0, nonsingular, loss above the least real critical loss)
the evidence is computed on the exact rational system at the rational point ``x~`` read
from the refined coordinates (``digits`` digits): the gradient residual ``|F(x~)|``, the
Hessian ``H(x~)`` in exact rational arithmetic and its positive definiteness decided
exactly (all pivots of an exact LDL^T positive), its least eigenvalue at 50 digits, and
the losses of the candidate and of the global point. The verdict is PASS only when
:func:`algeo.checks.proof.prove_non_global_minimum` proves, in interval arithmetic on the
exact system, a unique critical point in a small box around ``x~`` (Krawczyk), a positive
definite Hessian on the whole box, and a lower loss at the global candidate; otherwise
UNDECIDED with the step that failed. See ``docs/checks.md``.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath

from ..pipeline.options import SolveOptions
from ..pipeline.solve import solve
from ..model.system import build_system
from .instances import Instance
from .proof import exact_ldl_pivots, prove_non_global_minimum
from .report import InstanceCheck, Verdict

NAME = "regularized-spurious-minima"
STATEMENT = ("with generic regularization, some instance has a real local minimum whose loss exceeds the global "
             "minimum (Mehta et al.)")
EXISTENCE = True
CLAIM_KEYS = ()


def validate(instance: Instance) -> None:
    return None


def minimum_evidence(system, point) -> dict:
    """Exact Hessian test and residual at the rational point ``point.exact_real_coordinates()``."""
    x = point.exact_real_coordinates()
    polynomials = system.polynomial_system
    exact = dict(coerce=lambda c: c, zero=Fraction(0), one=Fraction(1))
    gradient = polynomials.evaluate(x, **exact)
    hessian = polynomials.evaluate_jacobian(x, **exact)
    pivots = exact_ldl_pivots(hessian)
    loss = system.loss_polynomial.evaluate([[Fraction(1), *[v ** k for k in range(1, system.loss_polynomial.degree + 1)]]
                                            for v in x], lambda c: c, Fraction(0))
    with mpmath.workdps(50):
        eigenvalues = mpmath.eigsy(mpmath.matrix([[mpmath.mpf(v.numerator) / v.denominator for v in row]
                                                  for row in hessian]), eigvals_only=True)
        least = min(eigenvalues[i] for i in range(len(hessian)))
        loss_text = mpmath.nstr(mpmath.mpf(loss.numerator) / loss.denominator, 40)
        least_text = mpmath.nstr(least, 20)
    return {"positive_definite_exactly_at_rational_point": all(p > 0 for p in pivots) and len(pivots) == len(hessian),
            "least_hessian_eigenvalue": least_text, "gradient_residual_at_rational_point": float(max(abs(g) for g in gradient)),
            "loss_at_rational_point": loss_text, "_loss": loss}


def check(instance: Instance, *, claim: dict, digits: int, backend: str = "auto") -> InstanceCheck:
    result = solve(instance.architecture, data=instance.dataset, regularization=instance.regularization,
                   seed=instance.seed or 0, options=SolveOptions(digits=digits, backend=backend))
    common = dict(seed=instance.seed, widths=instance.architecture.widths, samples=instance.dataset.n_samples)
    real = result.real_points
    evidence: dict = {"method": f"algeo.solve at {digits} digits; exact rational Hessian at the refined point",
                      "N_C": result.counts.complex, "N_R": result.counts.real, "local_minima": result.counts.local_minima,
                      "solve_ok": result.ok, "certified": False}
    if not real:
        return InstanceCheck(instance.label, Verdict.UNDECIDED, "no real critical point", evidence, **common)
    system = build_system(instance.architecture, instance.dataset, instance.regularization)
    global_point = min(real, key=lambda p: p.loss)
    candidates = [p for p in result.local_minima if not p.is_global]
    if not candidates:
        evidence["global_loss"] = global_point.loss_text
        return InstanceCheck(instance.label, Verdict.UNDECIDED,
                             f"no non-global local minimum among {len(real)} real critical points", evidence, **common)
    candidate = max(candidates, key=lambda p: p.loss)
    local = minimum_evidence(system, candidate)
    best = minimum_evidence(system, global_point)
    gap = local.pop("_loss") - best.pop("_loss")
    proof = prove_non_global_minimum(system.polynomial_system, system.loss_polynomial,
                                     candidate.exact_real_coordinates(),
                                     global_point.exact_real_coordinates(), digits=max(60, digits + 10))
    evidence.update(
        point=candidate.index, coordinates=[pair[0] for pair in candidate.coordinates_text],
        local_minimum=local, global_point=global_point.index, global_minimum=best,
        loss_difference=float(gap), proof=proof, certified=proof["proven"],
    )
    summary = (f"local min {candidate.index}: loss {local['loss_at_rational_point'][:14]} > global "
               f"{best['loss_at_rational_point'][:14]} (gap {float(gap):.3g}); least Hessian eigenvalue "
               f"{local['least_hessian_eigenvalue'][:10]}; ")
    if proof["proven"]:
        summary += ("proven by interval arithmetic: unique critical point in a box of radius "
                    f"{proof['box_radius']} (Krawczyk), Hessian positive definite on the box, lower loss elsewhere")
        return InstanceCheck(instance.label, Verdict.PASS, summary, evidence, **common)
    evidence["undecided_because"] = "not proven: " + proof["step"]
    return InstanceCheck(instance.label, Verdict.UNDECIDED, summary + "not proven: " + proof["step"], evidence,
                         **common)
