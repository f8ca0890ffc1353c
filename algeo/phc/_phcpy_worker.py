"""Child-process worker around phcpy: ``python .../algeo/phc/_phcpy_worker.py < request.json``.

phcpy prints on import and can crash the interpreter, so it only ever runs here,
in a child process that the parent time-limits. The answer is one JSON line after
the marker line, because phcpy writes its own messages to standard output.
"""

from __future__ import annotations

import json
import re
import sys

try:
    from ._labels import label_from_rco
except ImportError:  # run as a script (the usual way: it keeps sympy and the algeo package out of the child)
    from _labels import label_from_rco

MARKER = "@@ALGEO-PHCPY-RESULT@@"


def _solution(text: str) -> dict:
    from phcpy.solutions import strsol2dict

    values = strsol2dict(text)
    match = re.search(r"=\s*([a-z][a-z ]*?)\s*==\s*$", text.strip())
    if match:
        label = match.group(1)
    else:  # phcpy's strings carry no label: PHCpack's end-game threshold on rco decides
        label = label_from_rco(float(values["rco"]))
    return {
        "t": [values["t"].real, values["t"].imag],
        "m": int(values["m"]),
        "err": float(values["err"]),
        "rco": float(values["rco"]),
        "res": float(values["res"]),
        "label": label,
        "coordinates": {k: [v.real, v.imag] for k, v in values.items() if k not in ("t", "m", "err", "rco", "res")},
    }


def _track(request: dict) -> list[dict]:
    """Track ``start_points`` of the start system to the target system (``phcpy.trackers.track``)."""
    from phcpy import trackers
    from phcpy.solutions import make_solution

    names = request["names"]
    start_solutions = [make_solution(names, [complex(*z) for z in point]) for point in request["start_points"]]
    gamma = complex(*request["gamma"])
    if request.get("difficulty"):  # smaller steps along the paths (PHCpack's tuning levels)
        from phcpy.tuning import tune_track_parameters

        tune_track_parameters(difficulty=int(request["difficulty"]), digits=16)
    ends = trackers.track(request["polynomials"], request["start"], start_solutions,
                          precision=request.get("precision", "d"), gamma=gamma)
    answers = []
    for text in ends:
        try:
            answers.append(_solution(text))
        except Exception as error:  # NaN or ****** coordinates of a path that blew up
            answers.append({"unparsed": f"{type(error).__name__}: {str(error)[:100]}"})
    return answers


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
    elif request["task"] == "track":
        answer["solutions"] = _track(request)
    else:
        answer["error"] = f"unknown task {request['task']!r}"
    sys.stdout.write("\n" + MARKER + "\n" + json.dumps(answer) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
