"""A real server with the demo set-up, and real headless Chromium driving it.

The server runs in its own process on its own SQLite file, set up exactly as `make run`
sets it up, so these tests see what a new user sees.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PLANWATCH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PLANWATCH = Path(sys.executable).with_name("planwatch")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory):
    """The environment the demo server runs in (for a test that sets the stage by CLI)."""
    var = tmp_path_factory.mktemp("browser-var")
    return {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}},
        "DEBUG": "1",
        "PLANWATCH_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "planwatch.settings",
    }


def run_planwatch(env, *args) -> str:
    done = subprocess.run([str(PLANWATCH), *args], env=env, check=True, capture_output=True)
    return done.stdout.decode()


@pytest.fixture(scope="session")
def demo_server(demo_env):
    env = demo_env
    for command in (["init"], ["create_demo_users"], ["load_demo"], ["evaluate"]):
        subprocess.run([str(PLANWATCH), *command], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [str(PLANWATCH), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        raise RuntimeError("the demo server did not start")
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


# Module scope: Playwright's sync API keeps an event loop running in this thread while it is
# open, and Django refuses database calls from a thread with a running loop — so it must be
# closed before the rest of the suite continues.
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), (
        f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(page, demo_server):
    def sign_in(username, password):
        page.goto(f"{demo_server}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("#sign-in")
        page.wait_for_load_state("networkidle")
        return page

    return sign_in


@pytest.fixture
def shot():
    """Screenshots of each page, kept as test artefacts under test-artifacts/."""

    def take(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
