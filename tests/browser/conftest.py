"""Browser fixtures: Debian's Chromium driven by Playwright, JupyterLab and the built site.

Chromium comes from Debian's package (``make test-browser`` installs it when missing);
Playwright never downloads a browser. Screenshots go to ``_build/screenshots/``.
"""

from __future__ import annotations

import functools
import http.server
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import ROOT, course

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "_build" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:  # the hook sees the whole session: mark only this folder's tests
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium is not installed: run `make test-browser`, which installs Debian's chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab server on a free loopback port with a token; yields its base URL."""
    port, token = free_port(), secrets.token_hex(16)
    # serve a copy of the lessons, so nothing (autosave included) can touch the sources
    root = tmp_path_factory.mktemp("lab-root")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    settings = tmp_path_factory.mktemp("lab-settings")
    for plugin, value in {
        "apputils-extension/notification": '{"fetchNews": "false", "checkForUpdates": false}',
        "docmanager-extension/plugin": '{"autosave": false}',
    }.items():
        f = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(value)
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTER_CONFIG_DIR=str(tmp_path_factory.mktemp("jcfg")),
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.open_browser=False",
            "--LabApp.news_url=",
            "--ServerApp.allow_root=True",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("JupyterLab did not start within 60 s")
    yield base, token
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    """Execute the course (default profile), build the site, serve it on loopback."""
    out = tmp_path_factory.mktemp("browser-course")
    results = course.run("default", jobs=2, out_root=out, progress=False)
    failed = [f"{r.lesson.id}: {r.error}" for r in results if r.status != "ok"]
    if failed:
        pytest.fail("lessons failed to execute:\n" + "\n".join(failed))
    html = out / "html"
    course.site("default", executed_dir=out / "default", out_dir=html)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", html
    server.shutdown()
