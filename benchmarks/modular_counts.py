"""Generic root counts N_C and N_C* by Groebner bases over ZZ/p (Singular), for every published row and m = 1, 2, 3.

    python benchmarks/modular_counts.py --samples 1,2,3 --out benchmarks/results/modular_counts.jsonl

For each architecture of Bharadwaj & Hosten's Tables 3.1 and 3.2 and each sample count m,
the gradient ideal at random rational data (X, Y and a generic Lambda, seeded) is
reduced mod the prime ``algeo.verify.exact.DEFAULT_PRIME`` and Singular computes ``vdim`` of
its standard basis (N_C, counted with multiplicity) and of its saturation by the product
of the weights (N_C*). A second data seed is counted too (``--check-seed``): the two
must agree for the count to be called generic. Counts mod p equal the counts over QQ
except for unlucky primes, so this is an independent count with high probability, not a
proof; the numerical counts (benchmarks/root_count_rows.py) are checked against it.
Each row is one JSON line (re-running skips finished rows).

    python benchmarks/modular_counts.py --engine msolve --rows 2,3,3:2,1,2,2,2,1:1 --timeout 1800 \
        --out benchmarks/results/modular_counts_msolve.jsonl

counts given rows (``widths:m``, the rows no table has) with msolve's F4 over ZZ/p
(:func:`algeo.verify.msolve.msolve_modular_count`) at the "integers" law's data (X, Y in
[-10, 10], Lambda = k/97), one data seed: msolve is far faster than Singular there, and the
second, independent count of such a row is the numerical one (graph monodromy reaching it).
``--leading-ideal`` counts N_C alone from the leading ideal of msolve's grevlex basis (``msolve -g 1``,
no parametrization, so no N_C*): 3,2,3 m = 3 took 4 s that way against 235 s.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from algeo.verify.exact import instance_counts  # noqa: E402
from algeo.exceptions import BudgetExceededError  # noqa: E402
from algeo.verify.known_counts import CORRECTED, PUBLISHED_M1  # noqa: E402
from _jsonl import append_row, read_rows  # noqa: E402  (benchmarks/)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", default="1,2,3", help="comma-separated sample counts m")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check-seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per Singular run")
    parser.add_argument("--engine", choices=("singular", "msolve"), default="singular")
    parser.add_argument("--leading-ideal", action="store_true",
                        help="msolve engine: N_C alone, from the leading ideal (much faster; no N_C*)")
    parser.add_argument("--rows", help="widths:m rows separated by '/' or ',' (msolve engine), e.g. 2,3,3:2/1,2,2,2,1:1")
    args = parser.parse_args()
    out = Path(args.out)
    if args.engine == "msolve":
        return _msolve_rows(args, out)
    done = {(tuple(r["widths"]), r["samples"]) for r in read_rows(out)}
    rows = sorted(PUBLISHED_M1, key=lambda w: (len(w), PUBLISHED_M1[w]["N_C"], w))
    for samples in map(int, args.samples.split(",")):
        for widths in rows:
            if (widths, samples) in done:
                continue
            try:
                first = instance_counts(widths, samples, args.seed, timeout=args.timeout)
                second = instance_counts(widths, samples, args.check_seed, timeout=args.timeout)
            except BudgetExceededError as error:  # recorded, so a re-run skips it (delete the line to retry)
                append_row(out, {"widths": list(widths), "samples": samples, "timed_out": str(error),
                                  "timeout": args.timeout})
                continue
            row = {"widths": list(widths), "samples": samples, "N_C": first.complex, "N_C*": first.nonzero,
                   "field": first.to_json()["field"], "seeds": [args.seed, args.check_seed],
                   "seeds_agree": (first.complex, first.nonzero) == (second.complex, second.nonzero),
                   "second_seed_counts": [second.complex, second.nonzero],
                   "seconds": round(first.seconds + second.seconds, 2)}
            if samples == 1:
                published = PUBLISHED_M1[widths]
                row.update(published_N_C=published["N_C"], published_N_C_star=published["N_C*"],
                           source=published["source"],
                           agrees=(first.complex, first.nonzero) == (published["N_C"], published["N_C*"]))
                if widths in CORRECTED:
                    row["note"] = CORRECTED[widths]
            append_row(out, row)
    return 0


def _parse_rows(text: str) -> list[tuple[tuple[int, ...], int]]:
    """``"2,3,3:2,1,2,2,2,1:1"`` or ``"2,3,3:2/1,2,2,2,1:1"`` -> [((2, 3, 3), 2), ((1, 2, 2, 2, 1), 1)]."""
    rows, widths = [], []
    for token in text.replace("/", ",").split(","):
        if ":" in token:
            last, samples = token.split(":")
            rows.append((tuple(widths + [int(last)]), int(samples)))
            widths = []
        else:
            widths.append(int(token))
    if widths:
        raise SystemExit(f"--rows: {text!r} does not end with ':m' (write widths:m, e.g. 2,3,3:2)")
    return rows


def _msolve_rows(args, out: Path) -> int:
    import time

    from algeo.model.architecture import Architecture
    from algeo.model.data_laws import instance
    from algeo.model.system import build_system
    from algeo.verify.msolve import MODULAR_PRIME, msolve_available, msolve_modular_count, msolve_version

    if not msolve_available():
        raise SystemExit("msolve is not installed (./setup.sh installs it)")
    done = {(tuple(r["widths"]), r["samples"]) for r in read_rows(out)}
    for widths, samples in _parse_rows(args.rows or ""):
        if (widths, samples) in done:
            continue
        architecture = Architecture(widths)
        dataset, regularization = instance(architecture, samples, "integers", args.seed)
        started = time.monotonic()
        system = build_system(architecture, dataset, regularization)
        built = time.monotonic() - started
        counted = msolve_modular_count(system.polynomial_system, system.variable_names, timeout=args.timeout,
                                       nonzero=not args.leading_ideal)
        row = {"widths": list(widths), "samples": samples, "law": "integers", "seed": args.seed,
               "engine": "msolve F4, leading ideal" if args.leading_ideal else "msolve F4",
               "msolve": msolve_version(), "build_seconds": round(built, 2)}
        if counted is None:
            row.update(timed_out=f"msolve over ZZ/{MODULAR_PRIME} did not finish within {args.timeout:g} s",
                       timeout=args.timeout)
        else:
            row.update({"N_C": counted.complex, "N_C*": counted.nonzero, "field": f"ZZ/{MODULAR_PRIME}",
                        "seconds": round(counted.seconds, 2)})
        append_row(out, row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
