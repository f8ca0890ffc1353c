"""Every example's run() works, so examples cannot rot."""

import importlib.util
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.phc
def test_solve_small():
    result = load("solve_small").run()
    assert result.ok and result.counts.complex == len(result.points) > 0
    assert sum(p.is_global for p in result.real_points) >= 1


TOUR = EXAMPLES / "tour.ipynb"


def test_tour_notebook_is_stored_without_outputs():
    import nbformat

    notebook = nbformat.read(TOUR, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)


@pytest.mark.phc
def test_tour_notebook_executes_on_a_jupyter_kernel(tmp_path):
    """examples/tour.ipynb on a real kernel (ipykernel): solve, certify, sweep, check, table, plot (about 15 s)."""
    import nbclient
    import nbformat

    notebook = nbformat.read(TOUR, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    assert any('class="algeo-result"' in o["data"]["text/html"] for o in html)  # results show their summary
    assert any("image/png" in o.get("data", {}) for o in outputs)  # figures are drawn
