"""Resumable JSON-lines result files of the benchmark scripts: one finished row per line."""

from __future__ import annotations

import json
from pathlib import Path


def read_rows(path: str | Path) -> list[dict]:
    """The rows already written (none when the file does not exist); blank lines are skipped."""
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def append_row(path: str | Path, row: dict) -> None:
    """Print ``row`` and append it to ``path`` as one line (the file and its folder made when missing)."""
    print(json.dumps(row), flush=True)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as stream:
        stream.write(json.dumps(row) + "\n")
