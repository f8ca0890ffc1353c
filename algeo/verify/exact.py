"""Independent exact root counts with Singular (Groebner bases over QQ, same rational data).

``vdim(std(I))`` is the number of complex solutions of the gradient ideal counted with
multiplicity (finite when the ideal is zero-dimensional; -1 otherwise), and the same
for the saturation ``I : (prod x_i)^inf``, which counts the solutions with no zero
coordinate. For generic data every solution is regular, so these equal ``N_C`` and
``N_C*``.

With ``characteristic=p`` (a prime) the same basis is computed over ``ZZ/p``, with the
rational data reduced mod ``p``: seconds instead of hours (widths 1,3,3,1: 0.5 s for
977). That count equals the count over QQ except for finitely many unlucky primes, so
it is a count with high probability, not a proof; results say which field was used.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from .._process import die_with_parent
from ..exceptions import BackendUnavailableError, BudgetExceededError
from ..model.polynomial import PolynomialSystem

__all__ = ["ExactCounts", "singular_counts", "singular_available", "instance_counts", "DEFAULT_PRIME"]


@dataclass(frozen=True)
class ExactCounts:
    """``complex`` and ``nonzero`` counted with multiplicity; -1 means positive-dimensional, None not counted."""

    complex: int
    nonzero: int | None
    seconds: float
    characteristic: int = 0  # 0: over QQ (exact); a prime p: over ZZ/p, the data reduced mod p
    method: str = "Singular vdim"  # or "msolve F4" (verify.msolve.msolve_modular_count)

    def to_json(self) -> dict:
        return {"method": self.method, "field": "QQ" if self.characteristic == 0 else f"ZZ/{self.characteristic}",
                "N_C": self.complex, "N_C*": self.nonzero, "seconds": round(self.seconds, 3)}


def singular_available() -> bool:
    return shutil.which("Singular") is not None


def _rational(value: Fraction) -> str:
    return f"({value.numerator}/{value.denominator})" if value.denominator != 1 else f"({value.numerator})"


def _polynomial_text(terms, names) -> str:
    parts = []
    for exponents, coefficient in terms:
        factors = [_rational(coefficient)]
        factors += [name if power == 1 else f"{name}^{power}" for name, power in zip(names, exponents) if power]
        parts.append("*".join(factors))
    return " + ".join(parts) if parts else "0"


#: The default prime for modular counts (the largest prime below 2^31 that Singular accepts).
DEFAULT_PRIME = 2147483629


def _check_characteristic(system: PolynomialSystem, characteristic: int) -> None:
    from ..exceptions import InputError

    if characteristic == 0:
        return
    from sympy import isprime

    if not isprime(characteristic):
        raise InputError("characteristic", f"{characteristic} is not a prime", "use 0 (QQ) or a prime below 2^31")
    if characteristic >= 2**31:
        raise InputError("characteristic", f"{characteristic} is too large for Singular", "use a prime below 2^31")
    for polynomial in system.polynomials:
        for _, coefficient in polynomial.terms:
            if Fraction(coefficient).denominator % characteristic == 0:
                raise InputError("characteristic", f"{characteristic} divides a denominator of the data",
                                 "use another prime")


def singular_script(system: PolynomialSystem, names, characteristic: int = 0) -> str:
    polynomials = ",\n  ".join(_polynomial_text(p.terms, names) for p in system.polynomials)
    product = "*".join(names)
    return (
        'LIB "elim.lib";\n'
        f"ring r = {characteristic}, ({', '.join(names)}), dp;\n"
        "option(redSB);\n"
        f"ideal I = {polynomials};\n"
        "ideal G = std(I);\n"
        'print("ALGEO-VDIM " + string(vdim(G)));\n'
        f"list S = sat(I, {product});\n"
        "ideal T = std(S[1]);\n"
        'print("ALGEO-VDIM-TORUS " + string(vdim(T)));\n'
        "quit;\n"
    )


def singular_counts(system: PolynomialSystem, names, *, timeout: float = 600.0,
                    characteristic: int = 0) -> ExactCounts:
    """Count solutions of ``system`` with Singular (a child process with a time limit).

    ``characteristic=0`` works over QQ; a prime works over ``ZZ/p`` (module docstring).
    """
    import time

    _check_characteristic(system, characteristic)

    program = shutil.which("Singular")
    if program is None:
        raise BackendUnavailableError("Singular is not installed: run the README's set-up command "
                                      "(apt-get install --no-install-recommends singular)")
    with tempfile.TemporaryDirectory(prefix="algeo-singular-") as directory:
        script = Path(directory, "counts.sing")
        script.write_text(singular_script(system, names, characteristic))
        start = time.monotonic()
        try:
            completed = subprocess.run([program, "-q", str(script)], capture_output=True, text=True,
                                       timeout=timeout, preexec_fn=die_with_parent())
        except subprocess.TimeoutExpired:
            raise BudgetExceededError(f"Singular did not finish the exact count within {timeout:g} s "
                                      "(large rational data make Groebner bases slow; raise timeout)") from None
        seconds = time.monotonic() - start
    values = {}
    for line in completed.stdout.splitlines():
        if line.startswith("ALGEO-VDIM"):
            key, value = line.split()
            values[key] = int(value)
    if "ALGEO-VDIM" not in values or "ALGEO-VDIM-TORUS" not in values:
        raise RuntimeError(f"Singular gave no count (exit {completed.returncode}): {completed.stderr[-300:]}")
    return ExactCounts(values["ALGEO-VDIM"], values["ALGEO-VDIM-TORUS"], seconds, characteristic)


def instance_counts(widths, samples: int, seed: int, *, timeout: float = 600.0,
                    characteristic: int = DEFAULT_PRIME) -> ExactCounts:
    """:func:`singular_counts` of the gradient system of a random instance (data and generic Lambda from ``seed``)."""
    from .. import build_system

    system = build_system(",".join(map(str, widths)), samples=samples, seed=seed)
    return singular_counts(system.polynomial_system, system.variable_names, timeout=timeout,
                           characteristic=characteristic)
