"""The batched tracker: parameter homotopy and graph monodromy timed on this machine (one run).

    .venv/bin/python benchmarks/batched_tracking.py

Rows (docs/solver.md, "Batched tracking"):
- parameter homotopy from the shipped start set to a random-law instance (one path per sign-flip
  orbit, tracking only), widths 2,2,2 m = 2 and 3,2,2 m = 3;
- graph monodromy from scratch to the verified count (the shipped set's size), same families
  and 1,3,3,1 m = 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from algeo.model.architecture import Architecture  # noqa: E402
from algeo.model.data import generic_regularization, random_dataset  # noqa: E402
from algeo.model.family import tracking_family  # noqa: E402
from algeo.model.gram_eval import GramEvaluator  # noqa: E402
from algeo.model.symmetry import orbit_representatives  # noqa: E402
from algeo.startsets.store import find_start_set  # noqa: E402
from algeo.tracking.batch import BatchStatus, gamma_path, track_batch  # noqa: E402
from algeo.tracking.graph_monodromy import graph_monodromy  # noqa: E402

ROWS = [((2, 2, 2), 2), ((3, 2, 2), 3), ((1, 3, 3, 1), 1)]


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    for widths, m in ROWS:
        architecture = Architecture(widths)
        family = tracking_family(architecture, m)
        start_set, _ = find_start_set(family)
        evaluator = GramEvaluator(architecture)
        target = family.parameters_of(random_dataset(architecture, m, 1), generic_regularization(architecture, 1))
        representatives, _ = orbit_representatives(start_set.points, family.sign_flips())
        started = time.monotonic()
        run = track_batch(evaluator, numpy.array([start_set.points[k] for k in representatives]),
                          gamma_path(numpy.array(start_set.parameters), target, numpy.exp(0.7j)))
        homotopy = time.monotonic() - started
        reached = run.count(BatchStatus.REACHED)
        print(f"{widths} m={m}: parameter homotopy {len(representatives)} orbits of {start_set.size}: "
              f"{reached} reached in {homotopy:.2f} s", flush=True)
        started = time.monotonic()
        populated = graph_monodromy(family, evaluator, seed=1, target=start_set.size)
        ours = time.monotonic() - started
        print(f"{widths} m={m}: graph monodromy {len(populated.points)} of {start_set.size} in {ours:.1f} s, "
              f"{populated.tracked_paths} paths, {populated.failed_paths} failed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
