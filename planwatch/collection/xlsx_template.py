"""The per-department Excel template: generated from the catalog, read back by the importer.

The visible sheet is what a reporter fills; a hidden, protected sheet carries the template
version and, for every data row, the codes the row stands for — so editing labels in the
visible sheet can never change which value a number is stored as.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from planwatch.collection.cell_text import guard_cell
from planwatch.collection.entry import HISTORY_YEARS, entry_rows
from planwatch.collection.long_format import cell_text
from planwatch.collection.problems import FileRefused
from planwatch.collection.sources import RowSource

TEMPLATE_META_SHEET = "_meta"  # the hidden sheet files.py recognises a template by
TEMPLATE_VERSION = "planwatch-template-2"
# Templates downloaded before the stamp block was added still read back (their first data row).
READABLE_VERSIONS = {"planwatch-template-1": 4, TEMPLATE_VERSION: 5}
SHEET = "填报"
FIRST_DATA_ROW = 5
# Visible columns after the history years: what the reporter types.
INPUT_HEADERS = [("value", "数值"), ("numerator", "分子"), ("denominator", "分母")]
OLD_LABELS = {"数值(value)": "数值"}
COMMENT_HEADER = ("comment", "说明")
FORM_OWNER = "双阳区妇女儿童工作委员会办公室"


def number_format_for(indicator) -> str:
    """The indicator's decimals (as the catalog states them, else by its unit)."""
    decimals = getattr(indicator, "decimals", None)
    if decimals is None:
        unit = indicator.unit or ""
        decimals = 2 if unit == "‰" else 1 if unit in {"%", "岁", "年"} or "/" in unit else 0
        if indicator.scale == "count":
            decimals = 0
    return "0" if decimals == 0 else "0." + "0" * decimals


def build_template(year: int, *, department=None, org_unit=None) -> bytes:
    rows = entry_rows(year, department=department, org_unit=org_unit)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    owner = department.name if department else org_unit.name
    owner_code = department.code if department else org_unit.code
    history_years = list(range(year - HISTORY_YEARS, year))
    headers = [
        "指标代码",
        "指标名称",
        "单位",
        "组织单位代码",
        "组织单位",
        "性别",
        "年龄组",
        "城乡",
        *[f"{y}年" for y in history_years],
        *[label for _, label in INPUT_HEADERS],
        COMMENT_HEADER[1],
    ]
    last_col = len(headers)
    sheet["A1"] = f"{year}年度双阳区妇女儿童发展规划监测数据填报表"
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    sheet["A2"] = f"填报单位（盖章）：{owner}"
    sheet.cell(2, last_col - 3, f"表号：双妇儿监{year}-{owner_code}")
    sheet["A3"] = f"报告期：{year}年1月1日至{year}年12月31日"
    sheet.cell(3, last_col - 3, f"制表机关：{FORM_OWNER}")
    header_row = FIRST_DATA_ROW - 1
    for col, title in enumerate(headers, 1):
        cell = sheet.cell(header_row, col, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    first_input = 9 + len(history_years)
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    meta = workbook.create_sheet(TEMPLATE_META_SHEET)
    meta.append(["template_version", TEMPLATE_VERSION])
    meta.append(["year", year])
    meta.append(["department", department.code if department else ""])
    meta.append(["org_unit", org_unit.code if org_unit else ""])
    meta.append(["first_data_row", FIRST_DATA_ROW])
    meta.append(["row", "indicator", "org_unit", "sex", "age_group", "residence"])
    for offset, row in enumerate(rows):
        r = FIRST_DATA_ROW + offset
        current = row.current
        cells = [
            row.indicator.code,
            row.indicator.name,
            row.indicator.unit,
            row.org_unit.code,
            row.org_unit.name,
            row.sex_label,
            row.age_label or "合计",
            row.residence_label,
            *[row.history.get(y) for y in history_years],
            current.value if current and current.numerator is None else None,
            current.numerator if current else None,
            current.denominator if current else None,
            current.comment if current else None,
        ]
        history_format = number_format_for(row.indicator)
        for col, value in enumerate(cells, 1):
            cell = sheet.cell(r, col, value)
            guard_cell(cell)  # a comment like "=1+1" is text, never a formula
            if 9 <= col < first_input:
                cell.number_format = history_format
            if col >= first_input:
                cell.protection = Protection(locked=False)
                cell.fill = input_fill
        meta.append(
            [r, row.indicator.code, row.org_unit.code, row.sex, row.age_group, row.residence]
        )
    last = FIRST_DATA_ROW + max(len(rows), 1) - 1
    numbers = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="请输入数字",
        error="此单元格只能填写不小于 0 的数字",
    )
    sheet.add_data_validation(numbers)
    for col in range(first_input, first_input + len(INPUT_HEADERS)):
        letter = get_column_letter(col)
        numbers.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
    widths = [10, 34, 10, 12, 14, 6, 10, 6] + [10] * (len(history_years) + 3) + [30]
    for col, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    # The block a county form needs before it can be stamped, under the table.
    foot = last + 2
    sheet.cell(foot, 1, "单位负责人：")
    sheet.cell(foot, 4, "填表人：")
    sheet.cell(foot, 6, "联系电话：")
    sheet.cell(foot, 9, "报出日期：    年  月  日")
    sheet.cell(
        foot + 1, 1, "填表说明：只填写黄色单元格；比率指标请尽量填写分子和分母，数值将自动计算；"
    )
    sheet.cell(foot + 2, 1, "数值异常请在“说明”中写明原因（每个指标说明一次即可）；请勿增删行列。")
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 3)
    # Print: landscape A4, the header row on every page, all columns on one page wide.
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people may widen columns
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_template(workbook) -> RowSource:
    meta_sheet = workbook[TEMPLATE_META_SHEET]
    meta_rows = list(meta_sheet.iter_rows(values_only=True))
    meta = {str(r[0]): r[1] for r in meta_rows[:5] if r and r[0]}
    if meta.get("template_version") not in READABLE_VERSIONS:
        found = meta.get("template_version") or "无"
        raise FileRefused(
            f"模板版本不符（文件为 {found}，当前为 {TEMPLATE_VERSION}），请重新下载模板"
        )
    if SHEET not in workbook.sheetnames:
        raise FileRefused(f"模板缺少工作表“{SHEET}”")
    codes = {}
    for r in meta_rows[6:]:
        if r and r[0] is not None:
            codes[int(r[0])] = [cell_text(c) for c in r[1:6]]
    sheet = workbook[SHEET]
    first_row = READABLE_VERSIONS[meta["template_version"]]
    year = cell_text(meta.get("year"))
    header = [
        OLD_LABELS.get(cell_text(c), cell_text(c))
        for c in next(
            sheet.iter_rows(min_row=first_row - 1, max_row=first_row - 1, values_only=True)
        )
    ]
    try:
        positions = {key: header.index(label) for key, label in [*INPUT_HEADERS, COMMENT_HEADER]}
    except ValueError as exc:
        raise FileRefused("模板表头已被改动，请重新下载模板") from exc

    def rows():
        for number, record in enumerate(
            sheet.iter_rows(min_row=first_row, values_only=True), start=first_row
        ):
            entered = {
                key: cell_text(record[i]) if i < len(record) else "" for key, i in positions.items()
            }
            if not any(entered.values()):
                continue  # a row left empty is simply not reported
            if number not in codes:
                yield number, {"__unknown_row__": True}
                continue
            indicator, unit, sex, age, residence = codes[number]
            yield (
                number,
                {
                    "indicator": indicator,
                    "org_unit": unit,
                    "year": year,
                    "sex": sex,
                    "age_group": age,
                    "residence": residence,
                    **entered,
                },
            )
        workbook.close()

    return RowSource("template", rows(), meta)
