"""Backup and restore between SQLite and PostgreSQL, in both directions: the same counts and
the same evaluation results come out.

The databases are real files and servers driven through the console command, as an operator
would. PostgreSQL is used when PLANWATCH_TEST_POSTGRES_URL names a server (.ci/run sets it);
otherwise the round trip runs SQLite to SQLite.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

PLANWATCH = Path(sys.executable).with_name("planwatch")
DIGEST = (
    "import json;"
    "from planwatch.monitoring.models import SeriesResult as R;"
    "print(json.dumps(sorted((r.target.code, r.org_unit.code, r.sex, r.age_group, r.residence,"
    " r.status, round(r.p_ratio or 0, 9), r.explanation) for r in"
    " R.objects.filter(as_of_year=2024).select_related('target', 'org_unit'))))"
)


def run(url: str, *args: str, var: Path) -> str:
    env = {
        **{k: v for k, v in os.environ.items() if k != "SECRET_KEY"},
        "DEBUG": "1",
        "DATABASE_URL": url,
        "PLANWATCH_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "planwatch.settings",
    }
    result = subprocess.run([str(PLANWATCH), *args], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database when a server is configured, dropped afterwards."""
    admin = os.environ.get("PLANWATCH_TEST_POSTGRES_URL")
    if not admin:
        yield None
        return
    import psycopg

    name = f"planwatch_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manifest(path: Path) -> dict:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))["counts"]


def test_backup_restore_across_databases(tmp_path, postgres_url):
    var = tmp_path / "var"
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    run(source, "init", var=var)
    run(source, "create_demo_users", var=var)
    run(source, "load_demo", var=var)
    run(source, "evaluate", "--year", "2024", var=var)
    (var / "media" / "imports").mkdir(parents=True, exist_ok=True)
    (var / "media" / "imports" / "evidence.txt").write_text("证明材料", encoding="utf-8")
    first = tmp_path / "first.zip"
    run(source, "backup", "--out", str(first), var=var)
    counts = manifest(first)
    assert counts["collection.datavalue"] > 3000
    assert counts["collection.valuechange"] >= counts["collection.datavalue"]
    assert counts["audit.auditentry"] >= 1
    expected = run(source, "shell", "-c", DIGEST, var=var)

    middle = postgres_url or f"sqlite:///{tmp_path / 'middle.sqlite3'}"
    middle_var = tmp_path / "var-middle"
    run(middle, "restore", str(first), var=middle_var)
    assert run(middle, "shell", "-c", DIGEST, var=middle_var) == expected
    run(middle, "evaluate", "--year", "2024", var=middle_var)  # recomputing changes nothing
    assert run(middle, "shell", "-c", DIGEST, var=middle_var) == expected
    assert (middle_var / "media" / "imports" / "evidence.txt").read_text("utf-8") == "证明材料"
    second = tmp_path / "second.zip"
    run(middle, "backup", "--out", str(second), var=middle_var)
    assert manifest(second) == counts

    back = f"sqlite:///{tmp_path / 'back.sqlite3'}"
    run(back, "restore", str(second), var=tmp_path / "var-back")
    assert run(back, "shell", "-c", DIGEST, var=tmp_path / "var-back") == expected


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [str(PLANWATCH), "restore", str(junk)], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "不是有效的备份文件" in result.stderr
