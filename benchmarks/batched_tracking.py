"""The batched tracker: parameter homotopy and graph monodromy timed on this machine (one run).

    .venv/bin/python benchmarks/batched_tracking.py

Rows (docs/solver.md, "Batched tracking"):
- parameter homotopy from the shipped start set to a random-law instance (one path per sign-flip
  orbit, tracking only), widths 2,2,2 m = 2 and 3,2,2 m = 3;
- graph monodromy from scratch to the verified count (the shipped set's size), same families
  and 1,3,3,1 m = 1, and 2,2,2,2 m = 1 (the lifted family, m < d_0: unknowns W and Z = W̄X − Y);
- with ``--start-sets``: a whole start set from scratch (msolve's count, graph monodromy, checks);
- with ``--macaulay2``: Macaulay2's MonodromySolver on the same systems in the same run, one
  ``monodromySolve`` per dead-unit pattern (the variables of dead units set to zero, their equations
  dropped; 3 nodes, 5 edges: with the defaults it stopped short, e.g. 9 of 256), each told its pattern's count (``TargetSolutionCount``, the counts graph monodromy found),
  all in one ``M2 --script`` process timed from outside; the ratio is algeo / M2. Needs the Debian
  package ``macaulay2`` (``apt-get install --no-install-recommends macaulay2``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from algeo.model.architecture import Architecture  # noqa: E402
from algeo.model.data import generic_regularization, random_dataset  # noqa: E402
from algeo.model.family import tracking_family  # noqa: E402
from algeo.model.symmetry import orbit_representatives  # noqa: E402
from algeo.startsets.store import find_start_set  # noqa: E402
from algeo.tracking.batch import BatchStatus, gamma_path, is_affine, track_batch  # noqa: E402
from algeo.tracking.graph_monodromy import graph_monodromy  # noqa: E402
from algeo.tracking.homotopy import batch_evaluator  # noqa: E402
from algeo.tracking.monodromy import dead_unit_masks  # noqa: E402


def _m2_name(name: str) -> str:
    return name.replace("_", "x")  # "_" indexes in Macaulay2


def m2_script(family, points) -> tuple[str, int]:
    """One ``monodromySolve`` per dead-unit pattern with its count as target; the number of patterns run."""
    names = list(family.variable_names)
    params = [_m2_name(n) for n in family.parameter_names]
    points = numpy.asarray(points)
    support = numpy.abs(points) > 1e-8
    lines = ['needsPackage "MonodromySolver";']
    runs = 0
    for number, mask in enumerate(dead_unit_masks(family)):
        alive = [k for k in range(len(names)) if mask[k]]
        if not mask[: family.architecture.n_parameters].any():
            continue  # the origin (W = 0, and Z = -Y in the lifted family): one solution for every parameter
        count = int(numpy.all(support == mask[None, :], axis=1).sum())
        if count == 0:
            continue
        equations = []
        for k in alive:
            parts = []
            for exponents, (constant, linear) in family.terms[k]:
                if any(exponents[j] for j in range(len(names)) if not mask[j]):
                    continue
                monomial = "*".join(f"{_m2_name(names[j])}^{e}" for j, e in enumerate(exponents) if e) or "1"
                coefficient = " + ".join([str(constant)] * bool(constant) + [f"({f})*{params[i]}" for i, f in linear])
                parts.append(f"({coefficient or '0'})*{monomial}")
            equations.append(" + ".join(parts) or "0")
        lines.append(f"R{number} = CC[{','.join(params)}][{','.join(_m2_name(names[k]) for k in alive)}];")
        lines.append(f"(V{number}, n{number}) = monodromySolve(polySystem {{{', '.join(equations)}}}, "
                     f"TargetSolutionCount => {count}, NumberOfNodes => 3, NumberOfEdges => 5);")
        lines.append(f'print("pattern {number}: " | toString(#(V{number}.PartialSols)) | " of {count}");')
        runs += 1
    lines.append("exit 0")
    return "\n".join(lines), runs

ROWS = [((2, 2, 2), 2), ((3, 2, 2), 3), ((1, 3, 3, 1), 1), ((2, 2, 2, 2), 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--macaulay2", action="store_true", help="also run Macaulay2's MonodromySolver")
    parser.add_argument("--only", help="widths:m of one row (e.g. 1,3,3,1:1)")
    parser.add_argument("--start-sets", action="store_true",
                        help="also time a whole start set from scratch (make_start_set with method monodromy: "
                        "msolve's count over ZZ/p, graph monodromy aiming at it, the checks; nothing is saved)")
    args = parser.parse_args()
    rows = ROWS
    if args.only:
        widths, m = args.only.split(":")
        rows = [(tuple(map(int, widths.split(","))), int(m))]
    if args.macaulay2 and shutil.which("M2") is None:
        print("Macaulay2 is not installed: apt-get install --no-install-recommends macaulay2")
        return 1
    for widths, m in rows:
        architecture = Architecture(widths)
        family = tracking_family(architecture, m)
        start_set, _ = find_start_set(family)
        evaluator = batch_evaluator(family)
        target = family.parameters_of(random_dataset(architecture, m, 1), generic_regularization(architecture, 1))
        representatives, _ = orbit_representatives(start_set.points, family.sign_flips())
        started = time.monotonic()
        run = track_batch(evaluator, numpy.array([start_set.points[k] for k in representatives]),
                          gamma_path(numpy.array(start_set.parameters), target, numpy.exp(0.7j),
                                     affine=is_affine(evaluator)))
        homotopy = time.monotonic() - started
        reached = run.count(BatchStatus.REACHED)
        print(f"{widths} m={m}: parameter homotopy {len(representatives)} orbits of {start_set.size}: "
              f"{reached} reached in {homotopy:.2f} s", flush=True)
        started = time.monotonic()
        populated = graph_monodromy(family, evaluator, seed=1, target=start_set.size)
        ours = time.monotonic() - started
        print(f"{widths} m={m}: graph monodromy {len(populated.points)} of {start_set.size} in {ours:.1f} s, "
              f"{populated.tracked_paths} paths, {populated.failed_paths} failed", flush=True)
        if args.start_sets:
            from algeo.startsets.build import make_start_set

            started, cpu = time.monotonic(), time.process_time()
            made = make_start_set(family, method="monodromy", trace=False)
            print(f"{widths} m={m}: start set from scratch {made.size} points, confirmed by "
                  f"{made.check.get('confirmed_by')}, {time.monotonic() - started:.1f} s wall, "
                  f"{time.process_time() - cpu:.1f} s CPU", flush=True)
        if args.macaulay2:
            script, runs = m2_script(family, populated.points)
            with tempfile.TemporaryDirectory() as directory:
                path = Path(directory, "run.m2")
                path.write_text(script)
                started = time.monotonic()
                done = subprocess.run(["M2", "--script", str(path)], capture_output=True, text=True)
                theirs = time.monotonic() - started
            found = [line for line in done.stdout.splitlines() if line.startswith("pattern")]
            total = sum(int(line.split(": ")[1].split(" of ")[0]) for line in found)
            print(f"{widths} m={m}: Macaulay2 MonodromySolver {total} points over {len(found)} of {runs} patterns "
                  f"(+ the origin) in {theirs:.1f} s wall (exit {done.returncode}); algeo / M2 = {ours / theirs:.2f}",
                  flush=True)
            if done.returncode:
                print(done.stderr[-500:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
