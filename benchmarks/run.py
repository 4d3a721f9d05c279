"""Speed of the course: whole-course execution against its fixed-cost floor, and helpers.

    python benchmarks/run.py            # course vs floor, then every bench_*.py here
    python benchmarks/run.py --setup    # also time a fresh set-up: uv (make) against plain pip

The floor is the same lessons' kernels running only their import statements, executed the same
way (papermill, two at a time). The ratio course/floor says how much of a lesson's time is
the lesson's own work rather than kernel start and imports. Goals: ratio ≤ 1.5, every lesson
≤ 15 s on a 2-core machine.

Shared machines are noisy: after one warm-up run of each, floor and course runs alternate
``--repeat`` times (default 5) and each reports its fastest run, as ``timeit`` does. Both
start the longest lessons first, as the course runner does.
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from helpers import ROOT, course, manifest


def _imports(src: str) -> list[str]:
    """The top-level import statements of one code cell, as source text, in order.

    Every form counts (``import a as b``, ``from a import (b, c)`` over several lines); an
    import nested in a function or an ``if`` is not run by the cell itself and is left out.
    IPython syntax (magics) is translated first, as the kernel does.
    """
    from IPython.core.inputtransformer2 import TransformerManager

    code = TransformerManager().transform_cell(src)
    tree = ast.parse(code)
    return [
        ast.get_source_segment(code, node)
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]


def floor_notebook(nb: dict) -> dict:
    """A notebook with only the import statements of ``nb`` (in order, de-duplicated)."""
    lines: list[str] = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for stmt in _imports(src):
            if stmt not in lines:
                lines.append(stmt)
    out = {k: v for k, v in nb.items() if k != "cells"}
    out["cells"] = [nbformat.v4.new_code_cell("\n".join(lines))]
    return out


def timed_run(
    jobs: int, out: Path, floor: bool, last: dict[str, float] | None = None
) -> tuple[float, dict[str, float]]:
    """Wall time of the whole run and seconds per lesson; lessons start longest first by
    ``last`` (the previous run's seconds), as ``python -m helpers.course run`` does."""
    m = manifest.load_manifest()
    per: dict[str, float] = {}
    # the floor notebooks are written first, one after another and outside the timed run:
    # Python 3.11's parser is not safe to call from two threads at once (ast.parse can fail
    # with "AST constructor recursion depth mismatch")
    sources = {}
    if floor:
        for les in m.lessons:
            sources[les.id] = out / "floor-src" / les.file
            course.write_nb(floor_notebook(course.read_nb(les.path)), sources[les.id])

    def one(les):
        src = sources.get(les.id)
        res = course.execute(les, {}, out / ("floor" if floor else "course") / les.file, source=src)
        if res.status != "ok":
            raise SystemExit(f"lesson {les.id} failed:\n{res.error}")
        per[les.id] = res.seconds

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, course.longest_first(m.lessons, last or {})))
    return time.perf_counter() - t0, per


def setup_times() -> str:
    """Fresh set-up of the pinned environment with uv (as make does) and with plain pip.

    Both start from empty download caches, so both fetch every package.
    """
    import os

    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, UV_CACHE_DIR=f"{tmp}/uv-cache", PIP_NO_CACHE_DIR="1")
        for name, cmds in {
            "uv": [
                [sys.executable, "-m", "venv", f"{tmp}/uv"],
                [f"{tmp}/uv/bin/python", "-m", "pip", "install", "-q", "uv==0.13.8"],
                [
                    f"{tmp}/uv/bin/uv",
                    "pip",
                    "sync",
                    "-q",
                    "--python",
                    f"{tmp}/uv/bin/python",
                    "--compile-bytecode",
                    str(ROOT / "requirements/dev.lock"),
                ],
            ],
            "pip": [
                [sys.executable, "-m", "venv", f"{tmp}/pip"],
                [
                    f"{tmp}/pip/bin/python",
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--no-cache-dir",
                    "-r",
                    str(ROOT / "requirements/dev.lock"),
                ],
            ],
        }.items():
            t0 = time.perf_counter()
            for c in cmds:
                subprocess.run(c, check=True, capture_output=True, env=env)
            lines.append(f"set-up ({name}): {time.perf_counter() - t0:.1f} s")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5, help="runs of each; the fastest counts")
    ap.add_argument(
        "--setup", action="store_true", help="also time a fresh set-up (uv vs pip; slow)"
    )
    ap.add_argument("--skip-helpers", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        # warm the file cache once, and learn each lesson's time for the scheduling
        floors = [timed_run(args.jobs, out / "warm", floor=True)]
        courses = [timed_run(args.jobs, out / "warm", floor=False)]
        for _ in range(max(1, args.repeat)):
            floors.append(timed_run(args.jobs, out, floor=True, last=floors[-1][1]))
            courses.append(timed_run(args.jobs, out, floor=False, last=courses[-1][1]))
        floors, courses = floors[1:], courses[1:]
        floor_s, floor_per = min(floors, key=lambda r: r[0])
        course_s, course_per = min(courses, key=lambda r: r[0])
    print("lesson  course_s  floor_s")
    for lid in course_per:
        flag = "  > 15 s!" if course_per[lid] > 15 else ""
        print(f"{lid:>6}  {course_per[lid]:8.1f}  {floor_per[lid]:7.1f}{flag}")
    ratio = course_s / floor_s
    print(f"course: {course_s:.1f} s, floor: {floor_s:.1f} s, ratio: {ratio:.2f}")
    above = [course_per[lid] - floor_per[lid] for lid in course_per]
    print(
        f"above the floor: {course_s - floor_s:.1f} s of wall time; "
        f"{min(above):.1f}–{max(above):.1f} s a lesson"
    )
    (ROOT / "_build").mkdir(exist_ok=True)
    (ROOT / "_build" / "bench.json").write_text(
        json.dumps(
            {"course_s": course_s, "floor_s": floor_s, "ratio": ratio, "lessons": course_per},
            indent=1,
        )
    )
    if args.setup:
        print(setup_times())
    if not args.skip_helpers:
        for script in sorted(Path(__file__).parent.glob("bench_*.py")):
            print(f"\n== {script.name}")
            subprocess.run([sys.executable, str(script)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
