"""Theorem checks on exact instances: ``run_check(theorem, widths, ...) -> CheckReport``.

Each theorem module provides ``NAME``, ``STATEMENT``, ``EXISTENCE`` (an existence statement
is searched for; a universal one is checked on every instance), ``CLAIM_KEYS`` (numbers a
user may override to test the checker with a deliberately wrong claim), ``validate`` and
``check(instance, *, claim, digits, backend) -> InstanceCheck``; claims are non-negative
integers except the keys in ``RATIONAL_CLAIM_KEYS``, and an optional
``validate_claim(instance, claim)`` refuses a claim the instance cannot test. See ``docs/checks.md``.
"""

from __future__ import annotations

import importlib
import platform
from fractions import Fraction
from pathlib import Path
from typing import Sequence

from ..model.architecture import Architecture
from ..exceptions import InputError
from .instances import Instance, make_instances
from .report import CheckReport, InstanceCheck, Verdict, jsonable, now

__all__ = ["THEOREMS", "run_check", "CheckReport", "InstanceCheck", "Verdict", "Instance", "theorem_module"]

#: theorem name -> module under algeo.checks
THEOREMS = {
    "bh-bounds": "bh_bounds",
    "regularized-spurious-minima": "spurious_minima",
    "ed-degree": "ed_degree",
    "critical-values": "critical_values",
    "no-spurious-minima": "unregularized",
    "pure-spurious": "unregularized",
}


def theorem_module(theorem: str):
    if theorem not in THEOREMS:
        raise InputError("theorem", f"unknown theorem {theorem!r}", "choose one of " + ", ".join(THEOREMS))
    return importlib.import_module(f"algeo.checks.{THEOREMS[theorem]}")


def run_check(
    theorem: str,
    widths: Architecture | Sequence[int] | str,
    *,
    samples: int | None = None,
    instances: int = 1,
    seed: int = 0,
    data: str | Path | None = None,
    regularization: str | None = None,
    claim: dict | None = None,
    digits: int = 50,
    backend: str = "auto",
) -> CheckReport:
    """Run ``theorem`` on ``instances`` seeded random instances (or the one in ``data``).

    ``claim`` overrides the theorem's numbers (keys in the module's ``CLAIM_KEYS``); a
    deliberately wrong claim must produce FAIL.
    """
    module = theorem_module(theorem)
    if theorem in ("no-spurious-minima", "pure-spurious"):
        module = module.for_theorem(theorem)
    claim = dict(claim or {})
    unknown = sorted(set(claim) - set(module.CLAIM_KEYS))
    if unknown:
        raise InputError("claim", f"unknown key(s) {unknown} for {theorem}",
                         "valid keys: " + (", ".join(module.CLAIM_KEYS) or "none"))
    rational_keys = getattr(module, "RATIONAL_CLAIM_KEYS", ())
    for key, value in claim.items():
        if key in rational_keys and (isinstance(value, bool) or not _is_rational(value)):
            raise InputError("claim", f"{key}={value!r} is not a rational number", "e.g. 1/1000")
        if key not in rational_keys and (isinstance(value, bool) or not _is_count(value)):
            raise InputError("claim", f"{key}={value!r} is not a non-negative integer", f"{key} is a count")
    claim = {key: value if key in rational_keys else int(Fraction(str(value))) for key, value in claim.items()}
    if not isinstance(digits, int) or digits < 20:
        raise InputError("digits", f"is {digits!r}; use an integer of at least 20")
    chosen = make_instances(widths, samples=samples, instances=instances, seed=seed, data=data,
                            regularization=regularization or getattr(module, "REGULARIZATION", "generic"))
    for instance in chosen:
        module.validate(instance)
        if hasattr(module, "validate_claim"):
            module.validate_claim(instance, claim)
    results = tuple(module.check(instance, claim=claim, digits=digits, backend=backend) for instance in chosen)
    results = tuple(InstanceCheck(r.label, r.verdict, r.summary, jsonable(r.evidence), r.seed, r.widths, r.samples)
                    for r in results)
    first = chosen[0]
    description = (f"{_without_seed(first.dataset.source)}; Lambda: "
                   f"{_without_seed(first.regularization.description or first.regularization.kind.value)}")
    provenance = {"theorem": theorem, "widths": list(first.architecture.widths), "samples": first.dataset.n_samples,
                  "seeds": [i.seed for i in chosen], "data": data and str(data), "claim": claim, "digits": digits,
                  "backend": backend, "python": platform.python_version(), "finished": now(),
                  "instances": [{"label": i.label, "data": i.dataset.to_json(), "regularization": i.regularization.to_json()}
                                for i in chosen]}
    from .._version import __version__

    provenance["algeo"] = __version__
    return CheckReport(theorem, module.STATEMENT, module.EXISTENCE, results, description, provenance)


def _is_rational(value) -> bool:
    try:
        Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return False
    return True


def _is_count(value) -> bool:
    return _is_rational(value) and Fraction(str(value)).denominator == 1 and Fraction(str(value)) >= 0


def _without_seed(text: str) -> str:
    head, separator, tail = text.rpartition(", seed ")
    return head if separator and tail.strip().isdigit() else text
