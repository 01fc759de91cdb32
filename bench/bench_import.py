"""The importer against the floor, on SQLite and on PostgreSQL, at national scale.

    .venv/bin/python bench/bench_import.py                      # 3,000 units: 3.24 M rows
    .venv/bin/python bench/bench_import.py --repeat 3           # best of three, each
    .venv/bin/python bench/bench_import.py --units 100          # a quick run: 108,000 rows
    .venv/bin/python bench/bench_import.py --rows 30000 --db sqlite

Per database, one template is built (`planwatch init`, then `bench/national.py setup`), and
every measured run gets a fresh copy of it (SQLite: a copy of the file; PostgreSQL:
CREATE DATABASE … TEMPLATE), so that each starts from the same empty state:

- **floor** — what the issue calls the floor: the file read with the csv module, codes
  mapped to ids and numbers parsed with float(), the rows written raw, in one transaction,
  into a table with nothing but the data values' unique key (indicator_id, org_unit_id, year,
  sex, age_group, residence): sqlite3 `executemany` in batches of 50,000 (with the project's
  pragmas: WAL, synchronous=NORMAL) / psycopg `COPY`;
- **raw into the tables** — a reference beside the floor: the same rows, rates computed
  from the counts, written raw straight into the project's own tables, collection_datavalue
  and collection_valuechange (one history row per value, as an import writes), with all their
  indexes and foreign keys — what writing these rows costs in this schema before any check
  (with COPY on PostgreSQL it is close to a lower bound; on SQLite, binding every row twice
  from Python costs more than the importer's one staging pass and INSERT … SELECT);
- **importer** — `planwatch.collection.batches.import_file` on the same file, as the CLI
  calls it: every check, the staging table, the cross-row checks, the diff and preview, the
  values and their history, the ImportBatch and the audit record.

Each measured thing runs in its own process; its wall time is measured inside it around the
work only (interpreter and Django start-up excluded, for all three); its peak memory is the
process's maximum resident set size (wait4's rusage, so Python and Django themselves are
included). PostgreSQL's server processes are not counted. With --repeat N each is run N times,
alternating, and the best time is kept (the machine may be busy with other work). Figures go to
a table on standard output and to bench/results/import.json (or --out).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import national  # noqa: E402

KEY = ("indicator_id", "org_unit_id", "year", "sex", "age_group", "residence")
COLUMNS = (*KEY, "value", "numerator", "denominator", "comment")
BATCH = 50_000
GOAL_RATIO = 3.0
GOAL_RSS_MB = 1024
MEASURES = ("floor", "tables", "importer")


# --- the parent: databases, child processes, the table ------------------------------------


def child_env(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="planwatch.settings",
        SECRET_KEY=env.get("SECRET_KEY", "planwatch-benchmark-only-not-a-secret"),
        DEBUG="0",  # DEBUG would keep every query in memory
        SECURE_SSL_REDIRECT="0",
        IMPORT_MAX_MB="4096",  # the benchmark file is large by design
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    )
    return env


def run(cmd: list[str], env: dict, *, measured: bool = False) -> dict:
    """Run a child to its end; returns its JSON report (if measured) and its peak RSS."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, cwd=ROOT)
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        sys.stderr.write(stdout[-5000:] + stderr[-5000:])
        raise SystemExit(f"failed ({process.returncode}): {' '.join(cmd)}")
    report = json.loads(stdout.strip().splitlines()[-1]) if measured else {}
    report["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # Linux reports KiB
    report["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 2)
    return report


class SQLiteDatabases:
    kind = "sqlite"

    def __init__(self, args):
        self.dir = args.workdir
        self.template = self.dir / "template.sqlite3"
        self.path = self.dir / "bench.sqlite3"

    @staticmethod
    def _remove(path: Path) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def create_template(self) -> str:
        self._remove(self.template)
        return f"sqlite:///{self.template}"

    def finish_template(self) -> None:
        with sqlite3.connect(self.template) as con:  # fold the WAL into the file
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def fresh(self) -> str:
        self._remove(self.path)
        shutil.copyfile(self.template, self.path)
        return f"sqlite:///{self.path}"

    def cleanup(self) -> None:
        self._remove(self.path)


class PostgresDatabases:
    kind = "postgresql"

    def __init__(self, args):
        self.admin_url = args.pg_url
        self.template = f"{args.pg_db}_template"
        self.name = args.pg_db

    def _url(self, name: str) -> str:
        return urlunsplit(urlsplit(self.admin_url)._replace(path=f"/{name}"))

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            for statement in statements:
                admin.execute(statement)

    def create_template(self) -> str:
        self._admin(
            f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
            f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)',
            f'CREATE DATABASE "{self.template}"',
        )
        return self._url(self.template)

    def finish_template(self) -> None:
        pass

    def fresh(self) -> str:
        self._admin(
            f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
            f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"',
        )
        return self._url(self.name)

    def cleanup(self) -> None:
        self._admin(
            f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
            f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)',
        )


def bench_database(databases, csv_path: Path, rows: int, args) -> dict:
    kind = databases.kind
    print(f"[{kind}] template: planwatch init, national.py setup …", flush=True)
    env = child_env(databases.create_template())
    run([PYTHON, "-m", "planwatch", "init", "--verbosity", "0"], env)
    setup = [PYTHON, str(HERE / "national.py"), "setup"]
    run([*setup, "--units", str(args.units), "--indicators", str(args.indicators)], env)
    databases.finish_template()

    me = [PYTHON, str(Path(__file__).resolve())]
    best: dict[str, dict] = {}
    for attempt in range(1, args.repeat + 1):
        for measure in MEASURES:
            env = child_env(databases.fresh())
            report = run([*me, f"_{measure}", str(csv_path)], env, measured=True)
            if report["rows"] != rows:
                raise SystemExit(f"[{kind}] {measure} stored {report['rows']} rows, not {rows}")
            print(
                f"[{kind}] {measure:<12} run {attempt}: {report['seconds']:6.1f} s, "
                f"peak RSS {report['peak_rss_mb']:.0f} MB",
                flush=True,
            )
            if measure not in best or report["seconds"] < best[measure]["seconds"]:
                best[measure] = report
    if not args.keep:
        databases.cleanup()

    floor, tables, importer = (best[m] for m in MEASURES)
    ratio = importer["seconds"] / floor["seconds"]
    return {
        "floor_seconds": round(floor["seconds"], 2),
        "floor_rows_per_second": round(rows / floor["seconds"]),
        "floor_peak_rss_mb": floor["peak_rss_mb"],
        "floor_cpu_seconds": floor["cpu_seconds"],
        "raw_into_tables_seconds": round(tables["seconds"], 2),
        "raw_into_tables_rows_per_second": round(rows / tables["seconds"]),
        "importer_seconds": round(importer["seconds"], 2),
        "importer_rows_per_second": round(rows / importer["seconds"]),
        "importer_peak_rss_mb": importer["peak_rss_mb"],
        # The client process's CPU time (user + sys, start-up included): on SQLite nearly all
        # the work, and less disturbed than wall time by a busy machine.
        "importer_cpu_seconds": importer["cpu_seconds"],
        "importer_phases_seconds": importer.get("phases", {}),
        "ratio": round(ratio, 2),
        "ratio_to_raw_into_tables": round(importer["seconds"] / tables["seconds"], 2),
        "within_goal": ratio <= GOAL_RATIO and importer["peak_rss_mb"] < GOAL_RSS_MB,
        "server_version": floor.get("server_version"),
    }


def print_table(rows: int, results: dict) -> None:
    print()
    print(f"{rows:,} rows ({rows / 1e6:.2f} M); times in seconds, best of the runs")
    head = (
        f"{'database':<11}{'floor':>8}{'importer':>10}{'ratio':>8}{'rows/s':>10}"
        f"{'RSS MB':>8}   {'raw→tables':>10}{'importer/raw→tables':>21}"
    )
    print(head)
    print("-" * len(head))
    for kind, r in results.items():
        print(
            f"{kind:<11}{r['floor_seconds']:>8.1f}{r['importer_seconds']:>10.1f}"
            f"{r['ratio']:>7.2f}×{r['importer_rows_per_second']:>10,}"
            f"{r['importer_peak_rss_mb']:>8.0f}   {r['raw_into_tables_seconds']:>10.1f}"
            f"{r['ratio_to_raw_into_tables']:>20.2f}×"
        )
    print(
        f"goal: importer ≤ {GOAL_RATIO:g}× the floor, importer peak RSS < {GOAL_RSS_MB} MB "
        "(rows/s and RSS are the importer's)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=national.UNITS)
    parser.add_argument("--indicators", type=int, default=national.INDICATORS)
    parser.add_argument("--rows", type=int, default=None, help="cut the file after N rows")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=1, help="run each N times, keep the best")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench"))
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "BENCH_PG_URL", "postgres://planwatch:planwatch@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL URL of a role that may create databases",
    )
    parser.add_argument("--pg-db", default="planwatch_bench")
    parser.add_argument("--keep", action="store_true", help="keep the last databases")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "import.json")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)

    rows_tag = f"-{args.rows}r" if args.rows else ""
    csv_path = args.workdir / f"national-{args.units}u-{args.indicators}i{rows_tag}.csv"
    started = time.perf_counter()
    rows = national.write_csv(
        csv_path, n_units=args.units, n_indicators=args.indicators, max_rows=args.rows
    )
    print(f"{rows:,} rows → {csv_path} in {time.perf_counter() - started:.1f} s", flush=True)

    kinds = {"sqlite": SQLiteDatabases, "postgresql": PostgresDatabases}
    chosen = list(kinds) if args.db == "both" else [args.db]
    results = {kind: bench_database(kinds[kind](args), csv_path, rows, args) for kind in chosen}
    print_table(rows, results)

    report = {
        "what": "import of the national-scale long-format CSV: importer vs raw writes",
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "command": " ".join(["bench/bench_import.py", *sys.argv[1:]]),
        "rows": rows,
        "units": args.units,
        "indicators": args.indicators,
        "file_bytes": csv_path.stat().st_size,
        "repeat": args.repeat,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(),
        },
        "floor_includes": (
            "csv.reader over the file, code→id dict lookups, int()/float() of the cells, a raw "
            "write into a table with only the (indicator, unit, year, sex, age group, residence) "
            "unique key, in one transaction (sqlite3 executemany in batches of 50,000 / "
            "psycopg COPY), commit"
        ),
        "raw_into_tables_includes": (
            "as the floor, plus rates computed from counts, but written into "
            "collection_datavalue and collection_valuechange (one history row per value) with "
            "all their indexes and foreign keys, commit (the submissions and the import batch "
            "they point to are created beforehand, untimed)"
        ),
        "importer_includes": (
            "import_file(): size/encoding sniffing, sha256 of the file, every per-row check, "
            "staging, duplicate and sum checks, diff and preview, INSERT … ON CONFLICT into "
            "collection_datavalue and the history rows in collection_valuechange, "
            "ImportBatch and audit record, commit"
        ),
        "goal": {"ratio_at_most": GOAL_RATIO, "peak_rss_mb_below": GOAL_RSS_MB},
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"→ {args.out}")


# --- the children: what is measured -------------------------------------------------------


def _csv_rows(csv_path: Path, indicators: dict, units: dict):
    """The file's rows as typed tuples: the least any importer has to do to read it."""
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        for ind, unit, year, sex, age, res, value, num, den, comment in reader:
            yield (
                indicators[ind],
                units[unit],
                int(year),
                sex,
                age,
                res,
                float(value) if value else None,
                float(num) if num else None,
                float(den) if den else None,
                comment,
            )


def _batches(rows, size: int = BATCH):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Target:
    """A connection to the benchmark database, whichever it is."""

    def __init__(self):
        url = os.environ["DATABASE_URL"]
        self.sqlite = url.startswith("sqlite")
        if self.sqlite:
            self.con = sqlite3.connect(urlsplit(url).path, isolation_level=None)
            self.con.execute("PRAGMA journal_mode=WAL")
            self.con.execute("PRAGMA synchronous=NORMAL")
            self.con.execute("PRAGMA foreign_keys=ON")  # as Django's connection has it
            self.version = sqlite3.sqlite_version
        else:
            import psycopg

            self.con = psycopg.connect(url)
            self.version = self.one("SHOW server_version")

    def execute(self, sql: str, params=()):
        return self.con.execute(sql, params)

    def one(self, sql: str, params=()):
        return self.con.execute(sql, params).fetchone()[0]

    def mapping(self, sql: str) -> dict:
        return dict(self.execute(sql).fetchall())

    def begin(self) -> None:
        if self.sqlite:
            self.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if not self.sqlite:
            self.con.commit()
        elif self.con.in_transaction:
            self.execute("COMMIT")

    def write(self, table: str, columns: tuple, rows: list) -> None:
        if self.sqlite:
            marks = ", ".join("?" * len(columns))
            self.con.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )
        else:
            with self.con.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


def floor_child(csv_path: Path) -> dict:
    db = _Target()
    db.execute(
        "CREATE TABLE bench_floor (indicator_id BIGINT, org_unit_id BIGINT, year INTEGER, "
        "sex VARCHAR(6), age_group VARCHAR(20), residence VARCHAR(5), value DOUBLE PRECISION, "
        "numerator DOUBLE PRECISION, denominator DOUBLE PRECISION, comment TEXT, "
        f"UNIQUE ({', '.join(KEY)}))"
    )
    db.commit()
    started = time.perf_counter()
    indicators = db.mapping("SELECT code, id FROM catalog_indicator")
    units = db.mapping("SELECT code, id FROM org_orgunit")
    db.begin()
    for batch in _batches(_csv_rows(csv_path, indicators, units)):
        db.write("bench_floor", COLUMNS, batch)
    db.commit()
    seconds = time.perf_counter() - started
    rows = db.one("SELECT COUNT(*) FROM bench_floor")
    return {"seconds": seconds, "rows": rows, "server_version": db.version}


def tables_child(csv_path: Path) -> dict:
    # What the rows point to, made beforehand through the ORM: one submission per (year,
    # lead department) and the import batch.
    import django

    django.setup()
    from django.db import connection

    from planwatch.catalog.models import Indicator
    from planwatch.collection.models import ImportBatch, ReportingRound, Submission

    departments = set(Indicator.objects.values_list("lead_department_id", flat=True)) - {None}
    for round_ in ReportingRound.objects.all():
        for department_id in departments:
            Submission.objects.get_or_create(round=round_, department_id=department_id)
    batch_id = ImportBatch.objects.create(channel="csv", file_name="bench", status="stored").pk
    connection.close()

    db = _Target()
    now = datetime.datetime.now(datetime.UTC)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if db.sqlite else now
    started = time.perf_counter()
    indicators = db.mapping("SELECT code, id FROM catalog_indicator")
    units = db.mapping("SELECT code, id FROM org_orgunit")
    factor = db.mapping("SELECT id, factor FROM catalog_indicator")
    lead = db.mapping("SELECT id, lead_department_id FROM catalog_indicator")
    submission = {
        (year, department): pk
        for pk, year, department in db.execute(
            "SELECT s.id, r.year, s.department_id FROM collection_submission s "
            "JOIN collection_reportinground r ON r.id = s.round_id"
        )
    }
    value_columns = (*COLUMNS, "source", "submission_id", "updated_at")
    history_columns = (
        *KEY,
        "new_value",
        "new_numerator",
        "new_denominator",
        "comment",
        "channel",
        "at",
        "reason",
        "batch_id",
    )
    db.begin()
    for batch in _batches(_csv_rows(csv_path, indicators, units)):
        values, history = [], []
        for ind, unit, year, sex, age, res, value, num, den, comment in batch:
            if num is not None and factor[ind]:
                value = num / den * factor[ind]
            sub = submission[year, lead[ind]]
            values.append(
                (ind, unit, year, sex, age, res, value, num, den, comment, "csv", sub, stamp)
            )
            history.append(
                (
                    ind,
                    unit,
                    year,
                    sex,
                    age,
                    res,
                    value,
                    num,
                    den,
                    comment,
                    "csv",
                    stamp,
                    "",
                    batch_id,
                )
            )
        db.write("collection_datavalue", value_columns, values)
        db.write("collection_valuechange", history_columns, history)
    db.commit()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": db.one("SELECT COUNT(*) FROM collection_datavalue")}


def importer_child(csv_path: Path) -> dict:
    import django

    django.setup()
    from django.db import connection

    from planwatch.collection import batches
    from planwatch.collection import importer as module

    # The pipeline's stages, timed for the report (each is called once; the importer itself
    # is unchanged).
    phases: dict[str, float] = {}

    def timed(name, method):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                phases[name] = round(phases.get(name, 0) + time.perf_counter() - started, 2)

        return wrapper

    for name in ("_stage_rows", "_cross_row_checks", "_diff", "_apply", "_drop_stage"):
        if callable(getattr(module.Importer, name, None)):
            setattr(module.Importer, name, timed(name.lstrip("_"), getattr(module.Importer, name)))

    started = time.perf_counter()
    result, _batch = batches.import_file(csv_path, channel="csv")
    seconds = time.perf_counter() - started
    if not result.stored:
        problems = "\n".join(str(p) for p in result.problems[:20])
        raise SystemExit(f"the importer refused the file:\n{problems}")
    phases["other (set-up, sha256, commit, batch)"] = round(seconds - sum(phases.values()), 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM collection_datavalue")
        (rows,) = cursor.fetchone()
    return {"seconds": seconds, "rows": rows, "n_new": result.n_new, "phases": phases}


if __name__ == "__main__":
    children = {
        "_floor": floor_child,
        "_tables": tables_child,
        "_importer": importer_child,
    }
    if len(sys.argv) == 3 and sys.argv[1] in children:
        print(json.dumps(children[sys.argv[1]](Path(sys.argv[2]))))
    else:
        main()
