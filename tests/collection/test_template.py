"""The Excel round trip: download the department's template, fill it, upload, store."""

import io

import openpyxl
import pytest

from planwatch.catalog.models import Department
from planwatch.collection.batches import import_file
from planwatch.collection.models import DataValue
from planwatch.collection.xlsx_template import (
    FIRST_DATA_ROW,
    SHEET,
    TEMPLATE_VERSION,
    build_template,
)
from planwatch.org.models import OrgUnit


def _fill(content: bytes, tmp_path, fill) -> tuple:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[SHEET]
    header = [c.value for c in sheet[FIRST_DATA_ROW - 1]]
    col = {name: header.index(name) + 1 for name in header}
    fill(sheet, col, workbook)
    path = tmp_path / "filled.xlsx"
    workbook.save(path)
    return path


def _rows(sheet, code, unit="220112", sex="合计", residence="合计"):
    for r in range(FIRST_DATA_ROW, sheet.max_row + 1):
        cells = [sheet.cell(r, c).value for c in range(1, 9)]
        if cells[0] == code and cells[3] == unit and cells[5] == sex and cells[7] == residence:
            yield r


def test_template_structure(rounds):
    health = Department.objects.get(code="health")
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(2024, department=health)))
    sheet = workbook[SHEET]
    meta = workbook["_meta"]
    assert meta.sheet_state == "hidden"
    assert meta["B1"].value == TEMPLATE_VERSION
    assert sheet.protection.sheet is True
    header = [c.value for c in sheet[FIRST_DATA_ROW - 1]]
    assert header[:8] == [
        "指标代码",
        "指标名称",
        "单位",
        "组织单位代码",
        "组织单位",
        "性别",
        "年龄组",
        "城乡",
    ]
    assert header[8:11] == ["2021年", "2022年", "2023年"]
    assert "数值" in header and "分子" in header and "说明" in header
    codes = {sheet.cell(r, 1).value for r in range(FIRST_DATA_ROW, sheet.max_row + 1)}
    assert "W1-01" in codes  # maternal mortality belongs to the health commission
    assert "W2-02" not in codes  # enrolment belongs to education
    # Structure cells are locked, input cells are not; inputs only take numbers.
    value_col = header.index("数值") + 1
    assert sheet.cell(FIRST_DATA_ROW, 1).protection.locked is True
    assert sheet.cell(FIRST_DATA_ROW, value_col).protection.locked is False
    assert sheet.data_validations.dataValidation[0].type == "decimal"
    # One row per indicator × org unit × disaggregation: maternal mortality has residence.
    assert len(list(_rows(sheet, "W1-01"))) == 1
    assert len(list(_rows(sheet, "W1-01", residence="农村"))) == 1


def test_previous_years_are_shown_beside_the_empty_cells(rounds, tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(
        "indicator,org_unit,year,value\nC1-02,220112,2023,2.8\nC1-02,220112,2022,3.1\n",
        encoding="utf-8",
    )
    assert import_file(path)[0].stored
    health = Department.objects.get(code="health")
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(2024, department=health)))
    sheet = workbook[SHEET]
    (row,) = _rows(sheet, "C1-02")
    header = [c.value for c in sheet[FIRST_DATA_ROW - 1]]
    assert sheet.cell(row, header.index("2023年") + 1).value == 2.8
    assert sheet.cell(row, header.index("2022年") + 1).value == 3.1
    assert sheet.cell(row, header.index("数值") + 1).value is None


def test_fill_upload_preview_confirm(rounds, tmp_path, users):
    health = Department.objects.get(code="health")

    def fill(sheet, col, workbook):
        (row,) = _rows(sheet, "W1-01")
        sheet.cell(row, col["分子"], 2)
        sheet.cell(row, col["分母"], 15000)
        (row,) = _rows(sheet, "C1-02", sex="女性")
        sheet.cell(row, col["数值"], 2.1)
        sheet.cell(row, col["说明"], "女童")
        sheet.cell(row, 2, "有人改了名称")  # labels do not decide what is stored

    path = _fill(build_template(2024, department=health), tmp_path, fill)
    preview, _ = import_file(path, user=users["health"], channel="excel", dry_run=True)
    assert preview.ok, [str(p) for p in preview.problems]
    assert (preview.n_new, preview.n_changed) == (2, 0)
    assert {p["indicator"] for p in preview.preview} == {"W1-01", "C1-02"}
    assert DataValue.objects.count() == 0  # nothing until confirmed
    stored, _ = import_file(path, user=users["health"], channel="excel")
    assert stored.stored
    value = DataValue.objects.get(indicator__code="C1-02", sex="female")
    assert (value.value, value.comment, value.source) == (2.1, "女童", "excel")
    mmr = DataValue.objects.get(indicator__code="W1-01")
    assert mmr.value == pytest.approx(2 / 15000 * 1e5)


def test_wrong_template_version_is_refused(rounds, tmp_path):
    health = Department.objects.get(code="health")

    def fill(sheet, col, workbook):
        workbook["_meta"]["B1"] = "planwatch-template-0"
        (row,) = _rows(sheet, "C1-02")
        sheet.cell(row, col["数值"], 2.5)

    result, _ = import_file(_fill(build_template(2024, department=health), tmp_path, fill))
    assert not result.ok
    assert "模板版本不符" in str(result.problems[0])
    assert DataValue.objects.count() == 0


def test_text_in_a_number_cell_is_refused_by_row_and_column(rounds, tmp_path):
    health = Department.objects.get(code="health")
    target_row = {}

    def fill(sheet, col, workbook):
        (row,) = _rows(sheet, "C1-02")
        target_row["row"] = row
        sheet.cell(row, col["数值"], "约2.5")

    result, _ = import_file(_fill(build_template(2024, department=health), tmp_path, fill))
    assert not result.ok
    assert result.problems[0].row == target_row["row"]
    assert "“约2.5”不是数字" in str(result.problems[0])


def test_a_township_template_holds_only_its_own_unit(rounds):
    unit = OrgUnit.objects.get(code="220112001")
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(2024, org_unit=unit)))
    sheet = workbook[SHEET]
    # Data rows only: the stamp block (单位负责人 …) follows the table.
    units = {
        sheet.cell(r, 4).value
        for r in range(FIRST_DATA_ROW, sheet.max_row + 1)
        if str(sheet.cell(r, 1).value or "").isascii() and sheet.cell(r, 1).value
    }
    assert units == {"220112001"}


def test_a_template_that_can_be_stamped_and_printed(rounds, tmp_path, users):
    path = tmp_path / "history.csv"
    path.write_text(
        "indicator,org_unit,year,value,numerator,denominator\nW1-10,220112,2023,,4100,7267\n",
        encoding="utf-8",
    )
    assert import_file(path)[0].stored
    health = Department.objects.get(code="health")
    content = build_template(2024, department=health)
    sheet = openpyxl.load_workbook(io.BytesIO(content))[SHEET]
    header = [c.value for c in sheet[FIRST_DATA_ROW - 1]]
    assert all("(" not in h and not h.isascii() for h in header if h)  # Chinese only
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    for label in ("表号", "填报单位（盖章）", "单位负责人", "填表人", "联系电话", "报出日期"):
        assert any(t.startswith(label) for t in texts), label
    assert any(t == "填报单位（盖章）：卫健局" or t.endswith(health.name) for t in texts)
    # History to the indicator's decimals: 4100/7267 = 56.4194…% shows as 56.4.
    (row,) = _rows(sheet, "W1-10")
    cell = sheet.cell(row, header.index("2023年") + 1)
    assert cell.value == pytest.approx(4100 / 7267 * 100)
    assert cell.number_format == "0.0"
    # Landscape A4, the header row repeated on each page, all columns on one page wide.
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows.replace("$", "") == f"{FIRST_DATA_ROW - 1}:{FIRST_DATA_ROW - 1}"

    # … and it still round-trips through the importer.
    def fill(sheet, col, workbook):
        (row,) = _rows(sheet, "C1-02")
        sheet.cell(row, col["数值"], 2.5)

    result, _ = import_file(_fill(content, tmp_path, fill), user=users["health"], channel="excel")
    assert result.stored, [str(p) for p in result.problems]
    assert DataValue.objects.get(indicator__code="C1-02", year=2024).value == 2.5
