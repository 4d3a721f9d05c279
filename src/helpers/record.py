"""Publish a notebook's key results so tests can read them from the executed copy.

``record("tmax_h", 1.3)`` displays nothing a reader sees; it adds an output with the MIME
type :data:`MIME` that :func:`read` finds in an executed notebook, without scraping text.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

MIME = "application/vnd.course.record+json"


def _plain(value: Any) -> Any:
    """Convert numpy/pandas scalars and containers to JSON-ready Python values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def record(name: str, value: Any) -> None:
    """Publish ``value`` (JSON-serialisable after numpy conversion) under ``name``."""
    from IPython.display import display

    payload = {"name": name, "value": _plain(value)}
    json.dumps(payload)  # fail here, not in a reader, if it cannot be serialised
    display({MIME: payload}, raw=True)


def read(notebook: str | Path) -> dict[str, Any]:
    """All records of an executed notebook, as a dict name → value."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    out: dict[str, Any] = {}
    for cell in nb.get("cells", []):
        for o in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = o.get("data", {})
            if MIME in data:
                rec = data[MIME]
                out[rec["name"]] = rec["value"]
    return out
