"""The pinned environments agree: Binder's environment.yml and the lock files."""

import re
import sys
from pathlib import Path

import yaml

from helpers import ROOT

REQ = ROOT / "requirements"


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)", line.strip())
        if m:
            pins[m.group(1).lower().split("[")[0]] = m.group(2)
    return pins


def _env_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pins = {}
    for line in pip:
        m = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)$", line)
        assert m, f"environment.yml pip line not pinned: {line!r}"
        pins[m.group(1).lower()] = m.group(2)
    return conda, pins


def test_environment_yml_pins_exactly_the_runtime_lock():
    _, pins = _env_pins()
    assert pins == _pins(REQ / "runtime.lock")


def test_python_minor_version_agrees():
    conda, _ = _env_pins()
    py = next(d for d in conda if d.startswith("python="))
    assert py == f"python={sys.version_info.major}.{sys.version_info.minor}"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'requires-python = ">={sys.version_info.major}.{sys.version_info.minor}' in pyproject


def test_dev_lock_agrees_with_runtime_lock():
    runtime, dev = _pins(REQ / "runtime.lock"), _pins(REQ / "dev.lock")
    assert {k: dev.get(k) for k in runtime} == runtime


def test_the_core_packages_are_pinned():
    dev = _pins(REQ / "dev.lock")
    for pkg in (
        "jupyterlab",
        "pandas",
        "seaborn",
        "nbval",
        "papermill",
        "scipy",
        "statsmodels",
        "frictionless",
        "pytest",
        "hypothesis",
        "pytest-xdist",
    ):
        assert pkg in dev, f"{pkg} is not pinned in requirements/dev.lock"


def test_binder_uses_root_config_and_builds_the_learner_edition():
    assert not (ROOT / "binder").exists(), (
        "a binder/ folder would make repo2docker ignore root files"
    )
    post = (ROOT / "postBuild").read_text().splitlines()
    assert post[0].startswith("#!") and post[1].strip() == "set -e"
    assert any("helpers.course student" in line for line in post)
    assert any("pip install" in line and "-e ." in line for line in post)
