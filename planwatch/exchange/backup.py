"""Backups as one zip: every model's rows (audit and history included) as Django fixtures,
plus the uploaded and generated files. Database-neutral, so a SQLite backup restores into
PostgreSQL and back."""

import io
import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

FORMAT = "planwatch-backup-1"
# Derived or machine-local tables: recreated by migrate, or meaningless on another server.
EXCLUDE = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
    "django_tasks_database",
]


def backup(out: Path) -> dict:
    buffer = io.StringIO()
    call_command(
        "dumpdata",
        exclude=EXCLUDE,
        natural_foreign=False,
        indent=None,
        stdout=buffer,
        verbosity=0,
    )
    rows = json.loads(buffer.getvalue() or "[]")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    media = Path(settings.MEDIA_ROOT)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps({"format": FORMAT, "counts": counts}))
        archive.writestr("data.json", buffer.getvalue())
        if media.exists():
            for path in media.rglob("*"):
                if path.is_file():
                    archive.write(path, f"media/{path.relative_to(media)}")
    return counts


class BackupError(ValueError):
    pass


def restore(archive_path: Path) -> dict:
    """Replace everything in this database with the backup's content."""
    try:
        archive = zipfile.ZipFile(archive_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"不是有效的备份文件：{exc}") from exc
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (KeyError, ValueError) as exc:
            raise BackupError("备份文件缺少清单（manifest.json）") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"备份格式不符：{manifest.get('format')}")
        call_command("migrate", interactive=False, verbosity=0)
        fixture = Path(settings.VAR_DIR) / "restore-data.json"
        fixture.parent.mkdir(parents=True, exist_ok=True)
        fixture.write_bytes(archive.read("data.json"))
        try:
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(fixture), verbosity=0)
        finally:
            fixture.unlink(missing_ok=True)
        media = Path(settings.MEDIA_ROOT)
        for name in archive.namelist():
            if name.startswith("media/") and not name.endswith("/"):
                target = media / name.removeprefix("media/")
                if not target.resolve().is_relative_to(media.resolve()):
                    raise BackupError(f"备份中的文件路径不安全：{name}")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
    return manifest["counts"]
