"""How results look in a notebook and as tables: a compact HTML summary, pandas DataFrames.

pandas is optional (``pip install 'algeo[frames]'``); :func:`data_frame` checks for it when
called and names the install step when it is missing.
"""

from __future__ import annotations

import html
from typing import Sequence

from ..exceptions import BackendUnavailableError

__all__ = ["summary_html", "data_frame"]


def summary_html(summary: str) -> str:
    """The text of a result's ``summary()`` as a compact HTML block: the first line as the title, then a list.

    >>> summary_html("Result  a\\n• one\\n✗ problem: two")
    '<div class="algeo-result"><strong>Result  a</strong><ul style="margin:0.2em 0"><li>one</li><li style="color:#b00">✗ problem: two</li></ul></div>'
    """
    title, *lines = summary.splitlines()
    items = []
    for line in lines:
        text = line.strip()
        style = ' style="color:#b00"' if text.startswith(("✗", "!")) else ""
        items.append(f"<li{style}>{html.escape(text.removeprefix('• '))}</li>")
    return (f'<div class="algeo-result"><strong>{html.escape(title)}</strong>'
            f'<ul style="margin:0.2em 0">{"".join(items)}</ul></div>')


def data_frame(records: Sequence[dict], columns: Sequence[str] | None = None):
    """A ``pandas.DataFrame`` of ``records`` (one row each); ``BackendUnavailableError`` without pandas."""
    try:
        import pandas
    except ImportError:
        raise BackendUnavailableError("to_dataframe needs pandas: pip install 'algeo[frames]' "
                                      "(or pip install pandas)") from None
    return pandas.DataFrame.from_records(list(records), columns=list(columns) if columns is not None else None)
