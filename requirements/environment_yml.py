"""Write environment.yml (conda/Binder) from requirements/runtime.lock: same pins, same Python.

Run by `make lock`; tests/test_environment.py fails when the two disagree.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


def main() -> None:
    pins = [
        m.group(0)
        for line in (ROOT / "requirements" / "runtime.lock").read_text().splitlines()
        if (m := re.match(r"^[A-Za-z0-9_.\-]+==[^\s;#]+", line))
    ]
    lines = [
        "# Binder / conda environment: generated from requirements/runtime.lock by `make lock`.",
        "# Do not edit by hand; tests check that the pins agree.",
        "name: melatonin-kratom-course",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON}",
        "  - pip",
        "  - pip:",
        *[f"      - {p}" for p in pins],
    ]
    (ROOT / "environment.yml").write_text("\n".join(lines) + "\n")
    print(f"environment.yml: python={PYTHON}, {len(pins)} pinned packages")


if __name__ == "__main__":
    main()
