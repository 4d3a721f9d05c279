"""Shared, tested helpers for the melatonin and kratom course.

Modules (imports only go downward in this list):
data, cite, params, exercises, record, pk, receptors, interactions, sleep, withdrawal,
regulation, evidence, audit, plots, course.
"""

from pathlib import Path

__version__ = "0.1.0"

#: Repository root (the folder holding ``data/`` and ``notebooks/``).
ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
NOTEBOOKS_DIR = ROOT / "notebooks"
