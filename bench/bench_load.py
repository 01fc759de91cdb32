"""Load test, bounded: concurrent clients over pages, the API (reads and writes) and uploads,
against the platform as it runs in production, on loopback only.

    .venv/bin/python bench/bench_load.py [--db sqlite|postgresql|both] [--clients 20]
        [--seconds 30] [--units 300] [--indicators 20]

SQLite runs one gunicorn process (its one writer) with one `planwatch worker`; PostgreSQL
two gunicorn processes on two ports (clients split between them) and two workers, and a
full recompute (2024 and 2025, through the worker) runs during the load: one approved value
is changed first, and once the recompute has committed every app process must answer with
the new figure (`/api/results/`), never the old one. Each gunicorn has 4 threads.
Every client loops, for `--seconds` (and at most `--max-requests` requests in all), over a
mix: the overview and an indicator page, a page of `/api/values/`, a write of 5 rows through
`POST /api/values/`, and a CSV upload through the web page followed by its confirm.
Reported per kind: requests, server errors (5xx), other refusals (4xx, e.g. a confirm
refused because another client changed the rows since its preview — the optimistic check at
work), p50/p95 of client time; and how often "database is locked" appears in the server's
log. Goal (issue 16): zero server errors, zero "locked".
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = REPO / ".venv" / "bin"
sys.path.insert(0, str(HERE))

import bench_evaluate  # noqa: E402
import bench_pages  # noqa: E402

SETUP = (
    bench_pages.SETUP
    + """
from rest_framework.authtoken.models import Token
print(Token.objects.get_or_create(user=user)[0].key)
"""
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE = re.compile(r"csrftoken=([^;]+)")
# The reference unit (the city): writable by the plan office whatever the workflow state.
ROWS = [(code, "2201") for code in ("C1-02", "C1-03", "C1-04", "W1-10", "W2-01")]
ENTRY = "/collection/rounds/2024/entry/?department=health"
UPLOAD = "/collection/rounds/2024/upload/?department=health"


class Client:
    def __init__(self, port, session, token, stats, lock):
        self.port, self.session, self.token = port, session, token
        self.stats, self.lock = stats, lock
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.csrf = None

    def call(self, kind, method, path, body=None, headers=None):
        headers = dict(headers or {})
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.record(kind, 599, 0, repr(exc))
            return None, b""
        self.record(kind, response.status, (time.perf_counter() - start) * 1000, content)
        return response, content

    def record(self, kind, status, ms, content):
        with self.lock:
            row = self.stats.setdefault(kind, {"ms": [], "5xx": 0, "4xx": 0, "locked": 0})
            row["ms"].append(ms)
            if status >= 500:
                row["5xx"] += 1
            elif status >= 400:
                row["4xx"] += 1
                row.setdefault("first_4xx", f"{status} {content[:200]!r}")
            if b"database is locked" in (content if isinstance(content, bytes) else b""):
                row["locked"] += 1

    def browser(self):
        cookie = f"sessionid={self.session}"
        return {"Cookie": cookie + (f"; csrftoken={self.csrf}" if self.csrf else "")}

    def page(self):
        path = random.choice(["/overview/", "/indicators/W1-10/"])
        self.call("page", "GET", path, headers=self.browser())

    def api_read(self):
        self.call(
            "api read",
            "GET",
            "/api/values/?limit=50",
            headers={"Authorization": f"Token {self.token}"},
        )

    def api_write(self):
        rows = [
            {"indicator": c, "org_unit": u, "year": 2024, "value": round(random.uniform(1, 99), 1)}
            for c, u in ROWS
        ]
        self.call(
            "api write",
            "POST",
            "/api/values/",
            body=json.dumps({"rows": rows}),
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )

    def upload(self):
        response, content = self.call("upload", "GET", ENTRY, headers=self.browser())
        if response is None or response.status != 200:
            return
        found = COOKIE.search(response.getheader("Set-Cookie") or "")
        if found:
            self.csrf = found.group(1)
        token = CSRF.search(content.decode("utf-8", "replace"))
        if not token or not self.csrf:
            return
        lines = ["indicator,org_unit,year,value"] + [
            f"{c},{u},2024,{random.uniform(1, 99):.1f}" for c, u in ROWS
        ]
        boundary = uuid.uuid4().hex
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{token.group(1)}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="load.csv"\r\nContent-Type: text/csv\r\n\r\n' + "\n".join(lines) + "\n"
            f"\r\n--{boundary}--\r\n"
        ).encode()
        headers = {**self.browser(), "Content-Type": f"multipart/form-data; boundary={boundary}"}
        response, _ = self.call("upload", "POST", UPLOAD, body, headers)
        if response is None or response.status != 302:
            return
        detail = response.getheader("Location")
        form = f"csrfmiddlewaretoken={token.group(1)}".encode()
        self.call(
            "upload confirm",
            "POST",
            detail,
            form,
            {**self.browser(), "Content-Type": "application/x-www-form-urlencoded"},
        )


# Changes one approved value (a direct percentage: its value is what is stored) without a
# recompute, then enqueues the full recompute from 2024 for the worker; prints the result's
# target, unit and the new value, and the task's id.
CHANGE = """
import django, json; django.setup()
from planwatch.collection.models import DataValue
from planwatch.monitoring.tasks import recompute_from
value = DataValue.objects.filter(
    indicator__code="B03", year=2025, sex="", submission__status="approved"
).select_related("org_unit").order_by("org_unit__code").first()
new = round(value.value / 2 + 0.123, 3)
DataValue.objects.filter(pk=value.pk).update(value=new)
task = recompute_from.enqueue(2024)
print(json.dumps({"unit": value.org_unit.code, "value": new, "task": str(task.id)}))
"""
DONE = """
import django, sys; django.setup()
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.get(pk=sys.argv[1]).status)
"""


def recompute_during_load(env, ports, token, delay, stats) -> None:
    """A full recompute while the clients run; then every app process must show its result."""
    time.sleep(delay)
    start = time.perf_counter()
    out = subprocess.run(
        [str(BIN / "python"), "-c", CHANGE], env=env, capture_output=True, text=True
    )
    changed = json.loads(out.stdout.strip().splitlines()[-1])
    status = ""
    while status not in {"SUCCESSFUL", "FAILED"}:
        time.sleep(0.5)
        status = subprocess.run(
            [str(BIN / "python"), "-c", DONE, changed["task"]],
            env=env, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
    seconds = time.perf_counter() - start
    stale, seen = 0, []
    for port in ports:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        path = f"/api/results/?year=2025&target=B03-T&org_unit={changed['unit']}"
        conn.request("GET", path, headers={"Authorization": f"Token {token}"})
        body = json.loads(conn.getresponse().read())
        rows = body.get("results", body) if isinstance(body, dict) else body
        totals = [r for r in rows if not (r.get("sex") or r.get("residence"))]
        latest = totals[0]["latest_value"] if totals else None
        seen.append(latest)
        stale += latest is None or abs(latest - changed["value"]) > 1e-6
    stats["__recompute"] = {
        "task_status": status,
        "seconds_to_commit": round(seconds, 1),
        "expected_latest_value": changed["value"],
        "latest_value_per_app_process": seen,
        "stale_answers": stale,
    }


def run(db: str, args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-load-{db}-"))
    drop = None
    if db == "postgresql":
        url, drop = bench_evaluate.fresh_postgres(args.pg_url)
    else:
        url = f"sqlite:///{tmp / 'load.sqlite3'}"
    var = tmp / "var"
    values = bench_evaluate.prepare(url, var, args.units, args.indicators, demo=True)
    env = bench_pages.production_env(url, var)
    out = subprocess.run(
        [str(BIN / "python"), "-c", SETUP], env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    session, token = out.stdout.strip().splitlines()[-2:]
    subprocess.run(
        [str(BIN / "planwatch"), "collectstatic", "--noinput", "-v", "0"], env=env, check=True
    )
    apps = 1 if db == "sqlite" else 2
    ports = [bench_pages.free_port() for _ in range(apps)]
    log = (tmp / "server.log").open("w")
    servers = [
        subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "planwatch.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "1",
                "--threads",
                "4",
                "--timeout",
                "120",
            ],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=log,
        )
        for port in ports
    ]
    servers += [
        subprocess.Popen(
            [str(BIN / "planwatch"), "worker", "--interval", "1"],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=log,
        )
        for _ in range(apps)
    ]
    recompute = None
    stats, lock = {}, threading.Lock()
    budget = iter(range(args.max_requests))
    try:
        import socket

        for port in ports:
            for _ in range(150):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.2)
            warm = Client(port, session, token, {}, threading.Lock())
            for _ in range(3):  # every app process loaded before the clock starts
                warm.page()
                warm.api_read()
        deadline = time.monotonic() + args.seconds
        if db == "postgresql":
            recompute = threading.Thread(
                target=recompute_during_load, args=(env, ports, token, args.seconds / 4, stats)
            )
            recompute.start()

        def client_loop(seed):
            random.seed(seed)
            client = Client(ports[seed % len(ports)], session, token, stats, lock)
            actions = [client.page, client.page, client.api_read, client.api_write, client.upload]
            while time.monotonic() < deadline:
                with lock:
                    if next(budget, None) is None:
                        return
                random.choice(actions)()

        threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(args.clients)]
        wall = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - wall
        if recompute is not None:
            recompute.join()
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            process.wait(30)
        log.close()
        if drop:
            drop()
    locked_in_log = (tmp / "server.log").read_text(errors="replace").count("database is locked")

    def pct(values, q):
        return round(statistics.quantiles(values, n=100)[q - 1], 1) if len(values) > 2 else None

    kinds = {
        kind: {
            "requests": len(row["ms"]),
            "server_errors": row["5xx"],
            "refused_4xx": row["4xx"],
            "locked": row["locked"],
            "first_4xx": row.get("first_4xx"),
            "p50_ms": pct(row["ms"], 50),
            "p95_ms": pct(row["ms"], 95),
        }
        for kind, row in sorted(stats.items())
        if not kind.startswith("__")
    }
    return {
        "database": db,
        "app_processes": apps,
        "workers": apps,
        "recompute_during_load": stats.get("__recompute"),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores",
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "command": " ".join(["bench/bench_load.py", *sys.argv[1:]]),
        "values": values,
        "clients": args.clients,
        "seconds": round(wall, 1),
        "requests": sum(k["requests"] for k in kinds.values()),
        "server_errors": sum(k["server_errors"] for k in kinds.values()),
        "database_is_locked_in_log": locked_in_log,
        "kinds": kinds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument(
        "--pg-url", default="postgres://planwatch:planwatch@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    bench_evaluate.RESULTS.mkdir(exist_ok=True)
    for db in dbs:
        report = run(db, args)
        (bench_evaluate.RESULTS / f"load-{db}.json").write_text(json.dumps(report, indent=2))
        if report["recompute_during_load"]:
            print(f"  recompute during the load: {report['recompute_during_load']}")
        print(
            f"{db}: {report['requests']} requests in {report['seconds']} s, "
            f"{report['server_errors']} server errors, "
            f"'database is locked' ×{report['database_is_locked_in_log']}"
        )
        print(f"  {'kind':<16}{'req':>6}{'5xx':>5}{'4xx':>5}{'p50 ms':>9}{'p95 ms':>9}")
        for kind, row in report["kinds"].items():
            print(
                f"  {kind:<16}{row['requests']:>6}{row['server_errors']:>5}"
                f"{row['refused_4xx']:>5}{row['p50_ms']!s:>9}{row['p95_ms']!s:>9}"
            )


if __name__ == "__main__":
    main()
