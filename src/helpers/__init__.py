"""Shared, tested helpers for the melatonin and kratom course.

Modules (imports only go downward in this list):
data, cite, params, exercises, record, pk, receptors, interactions, sleep, withdrawal,
regulation, evidence, audit, plots, course; kernel (loaded by the runner's kernels) imports none.
"""

import os
from pathlib import Path

__version__ = "0.1.0"

#: Repository root (the folder holding ``data/`` and ``notebooks/``).
ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
NOTEBOOKS_DIR = ROOT / "notebooks"


def cache_enabled() -> bool:
    """False when COURSE_DATA_CACHE is off, 0 or no: results cached under ``_build/cache``
    (validated tables, the compiled bibliography) are then recomputed in every process."""
    return os.environ.get("COURSE_DATA_CACHE", "").lower() not in ("off", "0", "no")


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8, or bytes) to ``path`` through a temporary file and a
    rename, so that a parallel process never reads half a file; in a read-only checkout
    nothing is written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        if isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
