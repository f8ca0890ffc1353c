"""The package's layout: stages import only downwards, and no module imports the package's top."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "algeo"

#: each stage may import the stages with a smaller rank (docs/architecture.md)
RANKS = {"exceptions": 0, "_version": 0, "_process": 0, "_fork": 0, "_jit": 0, "linsolve": 0, "model": 1, "results": 2, "phc": 3, "verify": 4, "classify": 5,
         "tracking": 6, "startsets": 7, "pipeline": 8, "checks": 9, "relu": 9, "tables": 9, "plots": 10,
         "api": 11, "commands": 12, "cli": 13, "__init__": 14}


def _imports(path: Path):
    """(line, imported module parts) of every relative import, function-level ones included,
    except those under ``if TYPE_CHECKING:`` (they never run)."""
    tree = ast.parse(path.read_text())
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            skipped.update(id(child) for statement in node.body for child in ast.walk(statement))
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    package = ["algeo", *parts[:-1]]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level and id(node) not in skipped:
            base = package[: len(package) - node.level + 1]
            target = base + (node.module.split(".") if node.module else [])
            for alias in node.names:
                yield node.lineno, (target + [alias.name]) if len(target) == 1 else target


def _stage(parts) -> str:
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_module_belongs_to_a_stage():
    stages = {path.relative_to(PACKAGE).with_suffix("").parts[0] for path in PACKAGE.rglob("*.py")}
    assert stages <= set(RANKS), f"modules outside the layout: {stages - set(RANKS)} (add them to docs/architecture.md)"


def test_stages_import_only_downwards():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = path.relative_to(PACKAGE).with_suffix("").parts[0]
        for line, target in _imports(path):
            stage = _stage(target)
            if stage in RANKS and stage != own and RANKS[stage] > RANKS[own]:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {'.'.join(target)}")
    assert not upward, "imports against the pipeline's direction:\n" + "\n".join(upward)


def test_no_import_circle_between_modules():
    """Module-level and function-level imports together form no cycle."""
    graph: dict[str, set[str]] = {}
    modules = {".".join(["algeo", *p.relative_to(PACKAGE).with_suffix("").parts]).removesuffix(".__init__")
               for p in PACKAGE.rglob("*.py")}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(["algeo", *path.relative_to(PACKAGE).with_suffix("").parts]).removesuffix(".__init__")
        for _, target in _imports(path):
            dotted = ".".join(target)
            while dotted not in modules and "." in dotted:
                dotted = dotted.rsplit(".", 1)[0]
            if dotted != name and dotted != "algeo":
                graph.setdefault(name, set()).add(dotted)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            raise AssertionError("import circle: " + " -> ".join(cycle))
