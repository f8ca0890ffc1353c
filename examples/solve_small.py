"""Every critical point of a small regularized linear network, from Python.

Run: ``.venv/bin/python examples/solve_small.py``
"""

from __future__ import annotations

import algeo


def run(widths: str = "2,1,2", samples: int = 2, seed: int = 7) -> algeo.SolveResult:
    """Solve one random instance and return the result (the tests call this)."""
    return algeo.solve(widths, samples=samples, seed=seed)


if __name__ == "__main__":
    result = run()
    print(result.summary())
    for point in result.real_points:
        kind = "global minimum" if point.is_global else ("local minimum" if point.is_local_minimum else "saddle")
        print(f"  loss {point.loss:.6f}  index {point.index_of_hessian}  {kind}")
