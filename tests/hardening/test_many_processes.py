"""Two app servers and two workers over one database, as docs/deploy.md deploys them.

On PostgreSQL each app server and worker gets a var/ folder of its own, as on separate hosts:
only the database and the uploads folder (PLANWATCH_MEDIA_DIR, a network share) are shared.
A user signed in on one server is signed in on the other; a recompute run by whichever worker
takes it shows on both servers at once (the cache every process agrees on is in the database);
every task is run once, by one worker. On SQLite (one host by nature) the processes share var/.
"""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .sites import databases, fresh_site

GUNICORN = Path(sys.executable).parent / "gunicorn"
TASKS = """
import json
from django_tasks_db.models import DBTaskResult
print(json.dumps([[t.status, len(t.worker_ids)] for t in DBTaskResult.objects.all()]))
"""
ENQUEUE = "from planwatch.monitoring.tasks import recompute_from; " + "; ".join(
    f"recompute_from.enqueue({year})" for year in (2024, 2025, 2025)
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One user's cookies, carried from one server to the other."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[str, str]:
        with self.opener.open(url, timeout=60) as response:
            return response.geturl(), response.read().decode()

    def sign_in(self, server: str, username: str, password: str) -> None:
        _, page = self.get(f"{server}/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            f"{server}/accounts/login/", data=data, headers={"Referer": f"{server}/"}
        )
        with self.opener.open(request, timeout=60) as response:
            assert "/accounts/login/" not in response.geturl(), "sign-in refused"


def overview_year(browser: Browser, server: str) -> str | None:
    url, page = browser.get(f"{server}/overview/")
    assert "/accounts/login/" not in url, f"not signed in on {server}"
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    found = re.search(r"\((\d{4})\)", heading)
    return found.group(1) if found else None


@pytest.mark.parametrize("kind", list(databases()))
def test_two_app_servers_and_two_workers_share_one_database(kind, tmp_path):
    shared = {"SECRET_KEY": "planwatch-many-processes-test", "PLANWATCH_MEDIA_DIR": str(tmp_path)}
    with fresh_site(kind, tmp_path, **shared) as site:
        site.run("create_demo_users")
        site.run("load_demo")

        def own_var(name: str) -> dict:
            # Separate hosts on PostgreSQL; one host (one var/) on SQLite.
            return {"PLANWATCH_VAR_DIR": str(tmp_path / f"var-{name}")} if kind != "sqlite" else {}

        servers = []
        for name in ("a", "b"):
            port = free_port()
            log = (tmp_path / f"server-{name}.log").open("w")
            process = subprocess.Popen(
                [str(GUNICORN), "planwatch.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", "1", "--threads", "2", "--timeout", "120"],
                env={**site.env, **own_var(name)}, stdout=log, stderr=log,
            )  # fmt: skip
            site.started.append(process)
            servers.append(f"http://127.0.0.1:{port}")
        a, b = servers

        def up(server):
            try:
                Browser().get(f"{server}/accounts/login/")
                return True
            except OSError:
                return False

        for server in servers:
            site.wait_for(lambda server=server: up(server), f"{server} to answer")

        office = Browser()
        office.sign_in(a, "office", "demo-office-2030")
        # Signed in on a, read on b: the session lives in the shared database. Both servers
        # have now cached "no years with results yet".
        assert overview_year(office, b) is None
        assert overview_year(office, a) is None

        site.shell(ENQUEUE)
        worker = ["worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"]
        for name in ("w1", "w2"):
            site.start(*worker, **own_var(name))

        def tasks():
            return json.loads(site.shell(TASKS).strip().splitlines()[-1])

        site.wait_for(
            lambda: all(status in {"SUCCESSFUL", "FAILED"} for status, _ in tasks()),
            "every task to be run",
            timeout=240,
        )
        finished = tasks()
        assert len(finished) >= 3
        assert all(status == "SUCCESSFUL" for status, _ in finished), finished
        assert all(workers == 1 for _, workers in finished), "a task was taken twice"

        # The recompute, run by a worker, is seen at once by both servers.
        assert overview_year(office, b) == "2025"
        assert overview_year(office, a) == "2025"


@pytest.mark.parametrize(
    "url, kind, expected",
    [
        ("postgres://u:p@127.0.0.1:5432/x", "", "DatabaseCache"),
        ("sqlite:////tmp/planwatch-cache-kind.sqlite3", "", "FileBasedCache"),
        ("sqlite:////tmp/planwatch-cache-kind.sqlite3", "database", "DatabaseCache"),
        ("sqlite:////tmp/planwatch-cache-kind.sqlite3", "memcache", "只能是 file 或 database"),
    ],
)
def test_the_cache_every_process_shares_follows_the_database(url, kind, expected, tmp_path):
    env = {"DEBUG": "1", "DATABASE_URL": url, "PLANWATCH_VAR_DIR": str(tmp_path)}
    if kind:
        env["PLANWATCH_CACHE"] = kind
    out = subprocess.run(
        [sys.executable, "-c", "from planwatch import settings; print(settings.CACHES)"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    assert expected in out.stdout + out.stderr
