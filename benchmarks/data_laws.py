"""Plain solves of the three data laws (algeo.model.data_laws) against msolve's exact counts, as a table.

    .venv/bin/python benchmarks/data_laws.py

The instances of tests/pipeline/test_data_laws.py; one Markdown row per solve: N_C, N_C*, N_R
against msolve's, the method that gave the points, wall time, ok.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import algeo  # noqa: E402
from algeo.model.architecture import Architecture  # noqa: E402
from algeo.model.data_laws import LAWS, instance  # noqa: E402

ROWS = [("2,1,2", 3, (1, 2)), ("1,2,2,1", 1, (1, 2)), ("2,2,2", 2, (1, 2)), ("1,3,3", 1, (1,))]


def main() -> int:
    logging.basicConfig(level=logging.ERROR)
    print("| row | law | seed | N_C / msolve | N_C* / msolve | N_R / msolve | method | wall | ok |")
    print("|---|---|---|---|---|---|---|---|---|")
    for widths, samples, seeds in ROWS:
        for law in LAWS:
            for seed in seeds:
                data, regularization = instance(Architecture.parse(widths), samples, law, seed)
                started = time.monotonic()
                result = algeo.solve(widths, data=data, regularization=regularization, seed=seed,
                                     options=algeo.SolveOptions(exact_budget=300))
                c, extra = result.counts, result.counts.extra
                print(f"| {widths} m={samples} | {law} | {seed} | {c.complex} / {extra.get('exact_complex')} | "
                      f"{c.nonzero} / {extra.get('exact_nonzero')} | {c.real} / {extra.get('exact_real')} | "
                      f"{result.provenance['method']['name']} | {time.monotonic() - started:.1f} s | {result.ok} |",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
