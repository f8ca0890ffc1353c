"""``no-spurious-minima`` and ``pure-spurious``: theorems about *unregularized* networks.

Both read the end-to-end matrices (``products``) of ``solve(..., regularization="none")``,
the unregularized mode of issue 4. The interface expected (issue 4's text): the result JSON
has ``products``, one entry per distinct ``Wbar`` with its ``rank`` (or ``undecided``), loss,
``global``, its index on the rank stratum, ``pure`` / ``spurious`` / ``undecided`` and the
SVD index set ``I``; ``counts`` gains ``products``, ``pure``, ``spurious``, ``undecided``.

When this build's ``solve`` refuses ``regularization="none"`` or the result lacks those
fields, every instance is UNDECIDED with the reason: nothing is assumed.

- ``no-spurious-minima`` (Baldi-Hornik; Kawaguchi; Zhou & Liang): no product that is a local
  minimum of ``l`` on ``M_r`` is non-global; every other critical point is a saddle.
- ``pure-spurious`` (REFERENCE.md section 4): every product of rank ``r`` is pure; the number
  of products is ``sum_{k<=r} C(q,k)``; pure ones number ``C(q,r)`` (non-filling) or 1
  (filling); no product is undecided.
"""

from __future__ import annotations

from math import comb
from types import SimpleNamespace

from ..exceptions import InputError
from .instances import Instance
from .report import InstanceCheck, Verdict

REGULARIZATION = "none"


def _unregularized_products(instance: Instance, digits: int, backend: str) -> tuple[dict | None, str]:
    """The result JSON of the unregularized solve, or ``None`` and why not."""
    from ..pipeline.options import SolveOptions
    from ..pipeline.solve import solve

    try:
        result = solve(instance.architecture, data=instance.dataset, regularization=instance.regularization,
                       seed=instance.seed or 0, options=SolveOptions(digits=digits, backend=backend))
    except InputError as error:
        return None, f"solve(regularization='none') is not available in this build: {error}"
    data = result.to_json()
    if "products" not in data:
        return None, "the unregularized result has no 'products' field (issue 4's interface)"
    return data, ""


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


def _no_spurious_minima(instance: Instance, data: dict, claim: dict) -> tuple[Verdict, str, dict]:
    products = data["products"]
    minima, saddles, unknown, bad = [], [], [], []
    for k, product in enumerate(products):
        local = _flag(product, "is_local_minimum_on_M_r", "local_minimum", "is_local_minimum")
        index = _flag(product, "stratum_index", "index", "hessian_index")
        purity = _purity(product)
        if local is None and index is not None and purity in ("pure", "spurious"):
            local = purity == "pure" and index == 0 and not product.get("stratum_degenerate")
        if local is None:
            unknown.append(k)
        elif local:
            minima.append(k)
            if not _flag(product, "is_global", "global"):
                bad.append(k)
        elif purity == "spurious" or (isinstance(index, int) and index > 0):
            saddles.append(k)  # spurious: grad l has a component along M_r's tangent cone; index > 0: descent on the stratum
        else:
            unknown.append(k)  # not a local minimum by the flag, but no evidence of a descent direction either
    expected_minima = int(claim.get("local_minima", 1))
    evidence = {"products": len(products), "local_minima": minima, "non_global_local_minima": bad,
                "saddles": len(saddles), "undecided": unknown, "claimed_local_minima": expected_minima}
    text = f"{len(products)} products: {len(minima)} local minima ({len(bad)} non-global), {len(saddles)} saddles"
    if bad or len(minima) > expected_minima:
        return Verdict.FAIL, text, evidence
    if unknown or len(minima) != expected_minima:
        return Verdict.UNDECIDED, text + f"; {len(unknown)} undecided", evidence
    return Verdict.PASS, text, evidence


def _pure_spurious(instance: Instance, data: dict, claim: dict) -> tuple[Verdict, str, dict]:
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


def _make(name: str, statement: str, claim_keys: tuple[str, ...], decide) -> SimpleNamespace:
    def check(instance: Instance, *, claim: dict, digits: int, backend: str = "auto") -> InstanceCheck:
        common = dict(seed=instance.seed, widths=instance.architecture.widths, samples=instance.dataset.n_samples)
        data, reason = _unregularized_products(instance, digits, backend)
        if data is None:
            return InstanceCheck(instance.label, Verdict.UNDECIDED, reason, {"undecided_because": reason}, **common)
        verdict, text, evidence = decide(instance, data, claim)
        evidence["method"] = "algeo.solve(regularization='none'): products and their classification"
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
        "critical point is a saddle (Baldi-Hornik, Kawaguchi, Zhou & Liang)", ("local_minima",), _no_spurious_minima),
    "pure-spurious": _make(
        "pure-spurious", "REFERENCE.md section 4: sum_{k<=r} C(q,k) products; rank-r products are pure; C(q,r) pure "
        "(non-filling) or 1 (filling)", ("products", "pure"), _pure_spurious),
}


def for_theorem(name: str) -> SimpleNamespace:
    return THEOREMS[name]
