"""One word per group: the female/male groups read 女性/男性 on the page, in the Excel template
and in the report, all from evaluation/vocabulary.py (read back from what each one produces)."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from planwatch.catalog.models import Department
from planwatch.collection.models import Sex
from planwatch.collection.xlsx_template import FIRST_DATA_ROW, SHEET, build_template
from planwatch.evaluation.vocabulary import SEX_WORDS
from planwatch.reports.build import render
from planwatch.reports.snapshot import take_snapshot

from .building import render_docx
from .reading import body_text

pytestmark = pytest.mark.usefixtures("demo_results")

FEMALE, MALE = "女性", "男性"  # the group in words, as issue 11 asks


def test_the_vocabulary_and_the_models_choices_say_the_same():
    assert SEX_WORDS == {"female": FEMALE, "male": MALE}
    with translation.override("zh-hans"):
        assert str(Sex.FEMALE.label) == FEMALE and str(Sex.MALE.label) == MALE


def test_the_indicator_page_names_the_groups_in_words(clients):
    html = clients["office"].get(reverse("indicator_detail", args=["C1-03"]) + "?year=2024")
    html = html.content.decode()
    # the gap's data table and the stored sentence above it
    assert f"<th>{FEMALE}</th><th>{MALE}</th>" in html
    sentence = re.search(r"(\d{4}年女性为[^<]*)</p>", html)
    assert sentence is not None and MALE in sentence.group(1)
    assert "年女为" not in html and "女高于男" not in html and "女低于男" not in html


def test_the_excel_template_names_the_groups_in_words(db):
    health = Department.objects.get(code="health")
    book = openpyxl.load_workbook(io.BytesIO(build_template(2024, department=health)))
    sheet = book[SHEET]
    header = [c.value for c in sheet[FIRST_DATA_ROW - 1]]
    column = header.index("性别") + 1
    words = {
        sheet.cell(r, column).value
        for r in range(FIRST_DATA_ROW, sheet.max_row + 1)
        if re.fullmatch(r"[WC]\d+-\d+", str(sheet.cell(r, 1).value))  # data rows, not the footer
    }
    assert words == {"合计", FEMALE, MALE}


def test_the_annual_report_names_the_groups_in_words(db):
    _snapshot, document = render_docx("annual", "children", 2024)
    text = "\n".join(body_text(document))
    assert re.search(rf"{FEMALE}(高于|低于|与){MALE}", text)
    assert not re.search(r"(^|[^妇])女(高于|低于|与)男", text)


def test_the_statistical_compilation_names_the_groups_in_words(db):
    snapshot = take_snapshot("compilation", "children", 2024)
    book = openpyxl.load_workbook(io.BytesIO(render(snapshot, datetime.datetime(2026, 3, 1))))
    sheet = book[book.sheetnames[1]]
    assert [c.value for c in sheet[4]][4] == "分组"
    groups = {row[4].value for row in sheet.iter_rows(min_row=5) if row[4].value}
    assert {FEMALE, MALE} <= groups and not {"女", "男"} & groups
