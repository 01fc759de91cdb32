"""Hostile files: zip bombs, huge shared strings, lying dimensions, foreign encodings — all
refused before they cost memory or time, in Chinese, naming the limit; uploads not kept."""

import io
import os
import time
import zipfile

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from planwatch.collection.batches import import_file, runs_in_background
from planwatch.collection.models import DataValue, ImportBatch
from planwatch.collection.retention import purge_uploads

pytestmark = pytest.mark.django_db
HEADER = ["indicator", "org_unit", "year", "value"]


def workbook_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, member: str, transform) -> bytes:
    """The same workbook with one member's XML changed (streamed: a bomb is never in memory)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                with target.open(member, "w", force_zip64=True) as fh:
                    transform(content, fh)
            else:
                target.writestr(info.filename, content)
    return out.getvalue()


def refused_text(path) -> str:
    started = time.monotonic()
    result, _batch = import_file(path)
    assert not result.stored and DataValue.objects.count() == 0
    assert time.monotonic() - started < 5  # refused from the zip's directory, not parsed
    return " ".join(p.message for p in result.problems)


def test_a_whitespace_zip_bomb_is_refused_before_parsing(rounds, tmp_path):
    def pad(content, fh):
        head, tail = content.split(b"<sheetData>", 1)
        fh.write(head + b"<sheetData>")
        chunk = b" " * (1 << 20)
        for _ in range(60):  # 60 MB of whitespace, packed into ~60 KB
            fh.write(chunk)
        fh.write(tail)

    data = rewrite(
        workbook_bytes([["C1-02", "220112", 2024, 2.5]]), "xl/worksheets/sheet1.xml", pad
    )
    assert len(data) < 1_000_000
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    text = refused_text(path)
    assert "压缩比" in text and "超过上限 100:1" in text


def test_the_unpacked_size_limit_is_named(rounds, tmp_path, settings):
    settings.PLANWATCH_IMPORT_LIMITS = {
        **settings.PLANWATCH_IMPORT_LIMITS,
        "xlsx_unpacked_bytes": 1024 * 1024,
    }
    rows = [["C1-02", f"2201120{i % 10:02d}", 2024, i] for i in range(30000)]
    path = tmp_path / "big.xlsx"
    path.write_bytes(workbook_bytes(rows))
    assert "解压后为" in (text := refused_text(path)) and "超过上限 1 MB" in text


def test_one_huge_shared_string_is_refused(rounds, tmp_path):
    def huge(content, fh):
        fh.write(
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        )
        chunk = b"x" * (1 << 20)
        for _ in range(70):
            fh.write(chunk)
        fh.write(b"</t></si></sst>")

    base = workbook_bytes([["C1-02", "220112", 2024, 2.5]])
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            huge(None, fh)
    path = tmp_path / "strings.xlsx"
    path.write_bytes(out.getvalue())
    text = refused_text(path)
    assert "压缩比" in text or "共享字符串" in text


def test_a_stated_dimension_over_the_row_limit_is_refused_unread(rounds, tmp_path, settings):
    settings.PLANWATCH_IMPORT_LIMITS = {**settings.PLANWATCH_IMPORT_LIMITS, "rows": 10}

    def claim(content, fh):
        fh.write(content.replace(b'<dimension ref="A1:D2"/>', b'<dimension ref="A1:D5000"/>'))

    data = rewrite(
        workbook_bytes([["C1-02", "220112", 2024, 2.5]]), "xl/worksheets/sheet1.xml", claim
    )
    path = tmp_path / "claim.xlsx"
    path.write_bytes(data)
    assert "文件有 5000 行，超过上限 10 行" in refused_text(path)


def test_rows_are_counted_when_the_dimension_lies(rounds, tmp_path, settings):
    settings.PLANWATCH_IMPORT_LIMITS = {**settings.PLANWATCH_IMPORT_LIMITS, "rows": 10}
    rows = [["C1-02", f"2201120{i:02d}", 2024, 1] for i in range(1, 13)]

    def lie(content, fh):
        fh.write(content.replace(b'<dimension ref="A1:D13"/>', b'<dimension ref="A1:D2"/>'))

    path = tmp_path / "lie.xlsx"
    path.write_bytes(rewrite(workbook_bytes(rows), "xl/worksheets/sheet1.xml", lie))
    assert "超过上限 10 行" in refused_text(path)


def test_a_csv_over_the_row_limit_is_refused(rounds, write_csv, settings):
    settings.PLANWATCH_IMPORT_LIMITS = {**settings.PLANWATCH_IMPORT_LIMITS, "rows": 3}
    lines = [f"C1-02,2201120{i:02d},2024,,,,1,,," for i in range(1, 6)]
    result, _batch = import_file(write_csv(lines))
    assert not result.stored and "超过 3 行的上限" in " ".join(p.message for p in result.problems)


def test_a_shift_jis_csv_is_refused_not_read_as_gb18030(rounds, tmp_path):
    path = tmp_path / "sjis.csv"
    text = (
        "indicator,org_unit,year,value,comment\n"
        "C1-02,220112,2024,2.5,東京都品川区のデータ確認済み\n"
    )
    path.write_bytes(text.encode("shift_jis"))
    result, _batch = import_file(path)
    assert not result.stored and DataValue.objects.count() == 0
    assert "Shift-JIS" in result.problems[0].message


def test_a_gbk_csv_is_still_read(rounds, tmp_path):
    path = tmp_path / "gbk.csv"
    text = "指标代码,组织单位代码,年份,数值,备注\nC1-02,220112,2024,2.5,经核实的数据\n"
    path.write_bytes(text.encode("gbk"))
    assert import_file(path)[0].stored
    assert DataValue.objects.get().comment == "经核实的数据"


def test_a_small_workbook_that_unpacks_big_is_checked_by_the_worker(rounds, users):
    rows = [["C1-02", f"2201120{i % 10:02d}", 2024, i] for i in range(100000)]
    data = workbook_bytes(rows)
    assert len(data) < 2 * 1024 * 1024  # small enough to have been checked in the request
    batch = ImportBatch.objects.create(user=users["health"], channel="excel", file_name="b.xlsx")
    batch.file.save("b.xlsx", ContentFile(data))
    assert runs_in_background(batch)


def test_a_refused_upload_is_deleted_at_once(clients, rounds):
    bad = io.BytesIO(b"indicator,org_unit,year,value\nC1-02,220112,2024,-3\n")
    bad.name = "bad.csv"
    clients["health"].post(reverse("collection:upload", args=[2024]), {"file": bad})
    batch = ImportBatch.objects.get()
    assert batch.status == "refused" and batch.errors
    assert not batch.file


def test_uploads_are_deleted_after_the_retention_period(clients, rounds, settings, tmp_path):
    settings.PLANWATCH_UPLOAD_RETENTION_DAYS = 30
    good = io.BytesIO(b"indicator,org_unit,year,value\nC1-02,220112,2024,3\n")
    good.name = "good.csv"
    clients["health"].post(reverse("collection:upload", args=[2024]), {"file": good})
    batch = ImportBatch.objects.get()
    path = batch.file.path
    assert os.path.exists(path)
    purge_uploads(now=timezone.now() + timezone.timedelta(days=29))
    assert os.path.exists(path)
    purge_uploads(now=timezone.now() + timezone.timedelta(days=31))
    batch.refresh_from_db()
    assert not batch.file and not os.path.exists(path)


def test_stale_temp_files_are_cleaned(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    stale, fresh = tmp_path / "upload-stale.part", tmp_path / "upload-fresh.part"
    stale.write_bytes(b"x" * 1000)
    fresh.write_bytes(b"x")
    old = time.time() - 2 * 24 * 3600
    os.utime(stale, (old, old))
    purge_uploads()
    assert not stale.exists() and fresh.exists()
