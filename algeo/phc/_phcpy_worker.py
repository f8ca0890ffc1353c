"""Child-process worker around phcpy: ``python -m algeo.phc._phcpy_worker < request.json``.

phcpy prints on import and can crash the interpreter, so it only ever runs here,
in a child process that the parent time-limits. The answer is one JSON line after
the marker line, because phcpy writes its own messages to standard output.
"""

from __future__ import annotations

import json
import re
import sys

MARKER = "@@ALGEO-PHCPY-RESULT@@"
UNLABELLED_RCO_THRESHOLD = 1e-12  # the same as algeo.phc._format.UNLABELLED_RCO_THRESHOLD


def _solution(text: str) -> dict:
    from phcpy.solutions import strsol2dict

    values = strsol2dict(text)
    match = re.search(r"=\s*([a-z][a-z ]*?)\s*==\s*$", text.strip())
    if match:
        label = match.group(1)
    else:  # phcpy's strings carry no label: PHCpack's end-game threshold on rco decides
        label = "regular (rco)" if float(values["rco"]) > UNLABELLED_RCO_THRESHOLD else "singular (rco)"
    return {
        "t": [values["t"].real, values["t"].imag],
        "m": int(values["m"]),
        "err": float(values["err"]),
        "rco": float(values["rco"]),
        "res": float(values["res"]),
        "label": label,
        "coordinates": {k: [v.real, v.imag] for k, v in values.items() if k not in ("t", "m", "err", "rco", "res")},
    }


def main() -> int:
    request = json.loads(sys.stdin.read())
    sys.path.extend(request.get("extra_paths", []))
    import phcpy  # noqa: F401  (prints its banner)
    from phcpy import solver
    from phcpy.phcpy2c3 import py2c_set_seed

    py2c_set_seed(int(request.get("seed", 0)))
    answer: dict = {"version": getattr(phcpy, "__version__", None)}
    pols = request["polynomials"]
    if request["task"] == "mixed_volume":
        mixed, stable = solver.mixed_volume(pols, stable=True)
        answer.update(mixed_volume=int(mixed), stable_mixed_volume=int(stable))
    elif request["task"] == "solve":
        # verbose=True on purpose: the quiet mode returned no solutions (PHCPACK.md).
        solutions = solver.solve(pols, verbose=True, tasks=0)
        if solutions is None:
            answer["error"] = "phcpy returned None (it printed why)"
        else:
            answer["solutions"] = [_solution(s) for s in solutions]
    else:
        answer["error"] = f"unknown task {request['task']!r}"
    sys.stdout.write("\n" + MARKER + "\n" + json.dumps(answer) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
