"""Benchmark: the dashboards under 20 concurrent clients on the national-scale database,
beside the platform's cheapest response as a floor, in the same run.

    .venv/bin/python bench/bench_pages.py [--db sqlite|postgresql|both] [--units 3000]
        [--requests 400] [--clients 20]

It builds the national-scale database (bench/bench_evaluate.py's set-up: 3,000 units × 60
indicators × 3 sexes × 6 years of approved values, plus the real district's demo data),
stores the evaluation of every series, starts the platform as it runs in production
(gunicorn, DEBUG off, collected static files) on 127.0.0.1, signs in as the plan office, and
drives each page with a fixed number of requests from concurrent keep-alive clients. Server
time is read from each response's Server-Timing header; client time is measured too.

The floor is the sign-in page (a rendered template, no data, asked for signed out), with
`/api/health/` beside it. Goal (issues 5 and 14): p95 server time under 300 ms for each
page, no page slower than 10× the floor (p95), no errors, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = REPO / ".venv" / "bin"
sys.path.insert(0, str(HERE))

import bench_evaluate  # noqa: E402

FLOOR = "floor: sign-in page"
PAGES = {
    # A rendered template and no data: what any page costs before it reads anything.
    FLOOR: "/accounts/login/",
    "/api/health/": "/api/health/",
    "overview": "/overview/",
    "area page": "/catalog/women/1/",
    "indicator page": "/indicators/W1-10/",
}
TIMING = re.compile(r"app;dur=([0-9.]+)")


def production_env(url: str, var: Path) -> dict:
    env = bench_evaluate.child_env(url, var)
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
    )
    return env


SETUP = """
import django; django.setup()
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from planwatch.monitoring.compute import recompute
for year in (2024, 2025):
    recompute(year)
user = get_user_model().objects.get(username="office")
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drive(port: int, path: str, cookie: str, requests: int, clients: int) -> dict:
    server_ms, client_ms, errors = [], [], []
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if next(counter, None) is None:
                    break
            start = time.perf_counter()
            try:
                headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(repr(exc))
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            elapsed = (time.perf_counter() - start) * 1000
            timing = TIMING.search(response.getheader("Server-Timing") or "")
            with lock:
                client_ms.append(elapsed)
                if response.status != 200:
                    errors.append(response.status)
                if timing:
                    server_ms.append(float(timing.group(1)))

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall

    def pct(values, q):
        return round(statistics.quantiles(values, n=100)[q - 1], 1) if len(values) > 2 else None

    return {
        "requests": len(client_ms),
        "errors": len(errors),
        "server_p50_ms": pct(server_ms, 50),
        "server_p95_ms": pct(server_ms, 95),
        "client_p95_ms": pct(client_ms, 95),
        "requests_per_s": round(len(client_ms) / wall, 1),
    }


def run(db: str, args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-pages-{db}-"))
    drop = None
    if db == "postgresql":
        url, drop = bench_evaluate.fresh_postgres(args.pg_url)
    else:
        url = f"sqlite:///{tmp / 'national.sqlite3'}"
    var = tmp / "var"
    try:
        values = bench_evaluate.prepare(url, var, args.units, args.indicators, demo=True)
        env = production_env(url, var)
        out = subprocess.run(
            [str(BIN / "python"), "-c", SETUP], env=env, capture_output=True, text=True
        )
        if out.returncode != 0:
            raise SystemExit(out.stderr[-3000:])
        cookie = out.stdout.strip().splitlines()[-1]
        subprocess.run(
            [str(BIN / "planwatch"), "collectstatic", "--noinput", "-v", "0"], env=env, check=True
        )
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "planwatch.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", str(args.workers), "--threads", str(args.threads), "--log-level", "warning"],
            env=env, cwd=REPO,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.2)
            results = {}
            for name, path in PAGES.items():
                who = "" if name == FLOOR else cookie  # the sign-in page, signed out
                drive(port, path, who, args.clients * 2, args.clients)  # warm up
                results[name] = drive(port, path, who, args.requests, args.clients)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if drop:
            drop()
    floor = results[FLOOR]["server_p95_ms"] or 0.1
    for row in results.values():
        row["p95_vs_floor"] = round((row["server_p95_ms"] or 0) / floor, 1)
    return {
        "database": db,
        "values": values,
        "clients": args.clients,
        "gunicorn": f"{args.workers} workers × {args.threads} threads",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores",
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "command": " ".join(["bench/bench_pages.py", *sys.argv[1:]]),
        "pages": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--pg-url", default="postgres://planwatch:planwatch@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    bench_evaluate.RESULTS.mkdir(exist_ok=True)
    for db in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        report = run(db, args)
        (bench_evaluate.RESULTS / f"pages-{db}.json").write_text(json.dumps(report, indent=2))
        print(f"{db} (load average after: {report['load_average_after']})")
        print(
            f"{'page':<22}{'req':>6}{'err':>5}{'p50 ms':>9}{'p95 ms':>9}{'×floor':>8}{'req/s':>8}"
        )
        for name, row in report["pages"].items():
            print(
                f"{name:<22}{row['requests']:>6}{row['errors']:>5}{row['server_p50_ms']!s:>9}"
                f"{row['server_p95_ms']!s:>9}{row['p95_vs_floor']:>8}{row['requests_per_s']:>8}"
            )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
