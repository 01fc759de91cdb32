"""统计资料: the yearly statistical tables, one sheet per area, ready to print.

Indicators down, years across; under each indicator the district total, its parts (by sex, age
group, urban/rural) and every township. Cells hold the stored numbers themselves; the number
format decides how many decimals are printed.
"""

import io
import re
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from planwatch.collection.cell_text import append_row
from planwatch.reports import labels
from planwatch.reports.facts import ORIGIN_TITLES, series

FIXED_COLUMNS = ["指标代码", "监测指标", "单位", "地区", "分组"]
TAIL_COLUMNS = ["数据来源", "备注"]
HEADER_ROW = 4
FORMATS = {
    "percent": "0.0",
    "permille": "0.00",
    "per_100k": "0.0",
    "per_1000_population": "0.00",
    "per_1000_children": "0.00",
    "count": "#,##0",
    "hours_per_day": "0.0",
    "minutes": "0",
    "years": "0.00",
}
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E9EEF4")
FONT = "仿宋"
HEAD_FONT = "黑体"


def sheet_name(area: dict) -> str:
    # Excel forbids []:*?/\ in sheet names and keeps 31 characters.
    return re.sub(r"[\[\]:*?/\\]", "", f"{area['number']}{area['name']}")[:31]


def build(snapshot: dict, created: datetime, progress) -> bytes:
    book = Workbook()
    cover = book.active
    cover.title = "说明"
    _cover(cover, snapshot, created)
    for i, area in enumerate(snapshot["areas"]):
        _area_sheet(book.create_sheet(sheet_name(area)), snapshot, area)
        progress(30 + int(60 * (i + 1) / len(snapshot["areas"])), area["name"])
    book.properties.title = title(snapshot)
    book.properties.creator = "双阳区统计局"
    book.properties.created = created.replace(tzinfo=None)
    book.properties.modified = created.replace(tzinfo=None)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def title(snapshot) -> str:
    return f"双阳区{snapshot['plan']['subject']}统计资料（{snapshot['year']}年）"


def _cover(ws, snapshot, created) -> None:
    rows = [
        [title(snapshot)],
        [f"依据{snapshot['plan']['title']}监测指标编制"],
        [],
    ]
    if snapshot["demo"]:
        rows += [[f"【{labels.DEMO_MARK}】{labels.DEMO_NOTE}"], []]
    rows += [
        [f"数据截至{snapshot['year']}年，仅含已审核通过的数据。"],
        [f"数据快照编号：{snapshot['_hash'][:12]}"],
        [f"生成日期：{created.year}年{created.month}月{created.day}日"],
        [],
        ["符号说明："],
        [f"“{labels.MISSING_MARK}”表示该年度无数据（未报送或未审核通过）。"],
        ["数据来源为各指标的牵头单位；百分比指标的数值单位为%。"],
        [],
        ["表目录："],
    ]
    rows += [[f"表{a['number']}　{a['name']}"] for a in snapshot["areas"]]
    for row in rows:
        ws.append(row)
    ws["A1"].font = Font(name=HEAD_FONT, size=16, bold=True)
    if snapshot["demo"]:
        ws["A4"].font = Font(name=HEAD_FONT, size=12, bold=True, color="C00000")
    ws.column_dimensions["A"].width = 100
    _print_setup(ws, landscape=False)


def _area_sheet(ws, snapshot, area) -> None:
    years = snapshot["years"]
    columns = FIXED_COLUMNS + [f"{y}年" for y in years] + TAIL_COLUMNS
    last = len(columns)
    ws.append([f"表{area['number']}　{area['name']}（{years[0]}—{years[-1]}年）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws["A1"].font = Font(name=HEAD_FONT, size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    note = f"【{labels.DEMO_MARK}】" if snapshot["demo"] else ""
    ws.append([f"{note}数据截至{snapshot['year']}年，仅含已审核数据"])
    ws.append([])
    ws.append(columns)
    for cell in ws[HEADER_ROW]:
        cell.font = Font(name=HEAD_FONT, size=10.5)
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if not area["indicators"]:
        ws.append(["本领域未设置量化监测指标。"])
    for ind in area["indicators"]:
        for row in _indicator_rows(snapshot, ind):
            append_row(ws, row)
            _style_row(ws, ws.max_row, ind, len(years))
    widths = [10, 30, 9, 12, 10] + [9] * len(years) + [14, 40]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=len(FIXED_COLUMNS) + 1)
    ws.print_title_rows = f"1:{HEADER_ROW}"
    _print_setup(ws, landscape=True)
    if snapshot["demo"]:
        ws.oddHeader.center.text = labels.DEMO_MARK
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _indicator_rows(snapshot, ind) -> list[list]:
    years = snapshot["years"]
    district = snapshot["district"]
    rows = [_row(ind, district, "合计", series(ind["district"]), years, ind["lead"], _note(ind))]
    for group in ind["groups"]:
        values = series(group["values"])
        if values:
            rows.append(_row(ind, district, group["label"], values, years))
    for town in snapshot["townships"]:
        if town["code"] in ind["townships"]:
            values = series(ind["townships"][town["code"]])
            rows.append(_row(ind, town["name"], "合计", values, years))
    return rows


def _row(ind, place, group, values, years, source="", note="") -> list:
    by_year = [values.get(y, labels.MISSING_MARK) for y in years]
    return [ind["code"], ind["name"], ind["unit_label"], place, group, *by_year, source, note]


def _note(ind) -> str:
    parts = [f"【{ORIGIN_TITLES[ind['origin']]}】"] if ind.get("origin") in ORIGIN_TITLES else []
    parts += [ind["note"]] if ind["note"] else []
    parts += [f"{c['year']}年{c['unit']}：{c['text']}" for c in ind["comments"]]
    return "；".join(parts)


def _style_row(ws, row: int, ind, n_years: int) -> None:
    number_format = FORMATS.get(ind["scale"], "0.0")
    first_year = len(FIXED_COLUMNS) + 1
    for cell in ws[row]:
        cell.border = BOX
        cell.font = Font(name=FONT, size=10.5)
        if first_year <= cell.column < first_year + n_years:
            cell.number_format = number_format
            cell.alignment = Alignment(horizontal="right")
        else:
            cell.alignment = Alignment(vertical="top", wrap_text=True)


def _print_setup(ws, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.7, bottom=0.7)
    ws.print_options.horizontalCentered = True
