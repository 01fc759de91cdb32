"""Planwatch as separate processes over a database of their own (a SQLite file, and a
PostgreSQL database when a server is configured, as CI does): for the tests that kill
processes or run several of them side by side."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

PLANWATCH = Path(sys.executable).parent / "planwatch"
STATE = """
import json
from django_tasks_db.models import DBTaskResult
from planwatch.collection.models import DataValue, ImportBatch, ValueChange
print(json.dumps({
    "values": DataValue.objects.count(),
    "history": ValueChange.objects.count(),
    "batches": {b.pk: b.status for b in ImportBatch.objects.all()},
    "tasks": sorted(t.status for t in DBTaskResult.objects.all()),
}))
"""


def databases():
    yield "sqlite"
    if os.environ.get("PLANWATCH_TEST_POSTGRES_URL"):
        yield "postgresql"


@contextlib.contextmanager
def fresh_site(kind: str, tmp_path: Path, **env):
    """A migrated database with the catalog (`planwatch init`), and the environment of its
    processes; the database is dropped afterwards."""
    admin = os.environ.get("PLANWATCH_TEST_POSTGRES_URL")
    name = None
    if kind == "postgresql":
        import psycopg

        name = f"planwatch_site_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"{admin.rsplit('/', 1)[0]}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    base = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PLANWATCH_FAULT")},
        "DEBUG": "1",
        "DATABASE_URL": url,
        "PLANWATCH_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "planwatch.settings",
        "LEASE_SECONDS": "2",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    site = Site({**base, **env}, tmp_path)
    try:
        site.run("init")
        yield site
    finally:
        site.stop_all()
        if name:
            drop_database(admin, name)


def drop_database(admin: str, name: str) -> None:
    """FORCE ends the killed processes' sessions, but not an autovacuum worker that happens to
    be in the database (the server's own, which this role may not signal): wait it out."""
    import psycopg

    for _ in range(40):
        try:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            time.sleep(0.5)
    raise AssertionError(f"database {name} could not be dropped")


class Site:
    def __init__(self, env, tmp):
        self.env, self.tmp, self.started = env, tmp, []

    def run(self, *args, **extra):
        result = subprocess.run(
            [str(PLANWATCH), *args], env={**self.env, **extra}, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def shell(self, code):
        return self.run("shell", "-c", code)

    def state(self):
        return json.loads(self.shell(STATE).strip().splitlines()[-1])

    def start(self, *args, fault=None, **env):
        extra = dict(env)
        if fault:
            marker = self.tmp / f"marker-{uuid.uuid4().hex[:6]}"
            extra |= {"PLANWATCH_FAULT_PAUSE": fault, "PLANWATCH_FAULT_MARKER": str(marker)}
        log = (self.tmp / f"process-{len(self.started)}.log").open("w")
        process = subprocess.Popen(
            [str(PLANWATCH), *args], env={**self.env, **extra}, stdout=log, stderr=log
        )
        self.started.append(process)
        if fault:
            self.wait_for(marker.exists, f"{args} to reach {fault}")
        return process

    def kill(self, process):
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def stop_all(self):
        for process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait(10)

    @staticmethod
    def wait_for(condition, what, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}")

    def wait_state(self, test, what):
        self.wait_for(lambda: test(self.state()), what)
        return self.state()
