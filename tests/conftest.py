"""Shared fixtures: each profile of the course is executed once per test run.

``executed_notebook(profile, lesson_id)`` returns the path of the executed copy of a lesson
for ``profile`` ("default", "alternative", or "student" for the learner edition). The first
request executes the whole profile (all lessons, two kernels at a time); later requests, from
any pytest-xdist worker, reuse the copies. A lesson that failed to execute fails the tests
that ask for it, with its failing cell and error.
"""

from __future__ import annotations

import ast
import functools
import json
import os
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import settings

from helpers import course

# property tests draw the same examples on every run (the course's tests are deterministic)
settings.register_profile("course", derandomize=True, database=None)
settings.load_profile("course")


def _shared_root(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    # under xdist every worker has its own basetemp below a shared parent
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", "single")
    path = root / f"course-{run_id}"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def executed_profile(tmp_path_factory):
    """Function: profile → {lesson id: (status, path, error)}, executing it once per run."""
    root = _shared_root(tmp_path_factory)
    memo: dict[str, dict] = {}

    def get(profile: str) -> dict:
        if profile in memo:
            return memo[profile]
        done = root / f"{profile}.json"
        with FileLock(str(root / f"{profile}.lock")):
            if not done.exists():
                learner = profile == "student"
                results = course.run(
                    "default" if learner else profile,
                    jobs=2,
                    out_root=root / "executed",
                    learner=learner,
                    progress=False,
                )
                done.write_text(
                    json.dumps(
                        {
                            r.lesson.id: [r.status, str(r.output), r.error, r.seconds]
                            for r in results
                        }
                    )
                )
        memo[profile] = json.loads(done.read_text())
        return memo[profile]

    return get


@pytest.fixture(scope="session")
def executed_notebook(executed_profile):
    """Function: (profile, lesson id) → path of the executed notebook (fails if it failed)."""

    def get(profile: str, lesson_id: str) -> Path:
        runs = executed_profile(profile)
        if lesson_id not in runs:
            pytest.fail(f"lesson {lesson_id} is not in the course manifest")
        status, path, error, _ = runs[lesson_id]
        if status != "ok":
            pytest.fail(f"lesson {lesson_id} failed to execute with profile {profile!r}:\n{error}")
        return Path(path)

    return get


def _cell_value(source: str, namespace: dict):
    """Run a cell's ``source`` in ``namespace`` and return what its last expression shows."""
    tree = ast.parse(source)
    exec(compile(ast.Module(tree.body[:-1], type_ignores=[]), "cell", "exec"), namespace)
    return eval(compile(ast.Expression(tree.body[-1].value), "cell", "eval"), namespace)


@functools.lru_cache(maxsize=16)
def _read_lesson(file: str):
    import nbformat

    return nbformat.read(course.NOTEBOOKS_DIR / file, as_version=4)


def _check_cell(file: str, exercise: str) -> str:
    nb = _read_lesson(file)
    return next(c.source for c in nb.cells if c.cell_type == "code" and f'"{exercise}"' in c.source)


@pytest.fixture
def check_cell():
    """``check_cell(file, exercise)``: the source of the check cell of ``exercise`` (e.g.
    "03.4") in lesson ``file``, the first code cell that names the exercise in quotes."""
    return _check_cell


@pytest.fixture
def cell_value():
    """``cell_value(source, namespace)``: the value a notebook cell's last expression shows,
    e.g. the Result of an exercise's check cell run on a chosen answer."""
    return _cell_value
