"""A submission as the reviewer reads it, as an Excel workbook: groups in words, the previous
year beside each value, the reporter's explanation and the queries."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from planwatch.collection.cell_text import guard_cell

HEADERS = [
    "指标代码",
    "指标名称",
    "单位",
    "填报单位",
    "分组",
    "上年",
    "数值",
    "分子",
    "分母",
    "填报说明",
    "质询与答复",
]


def _text(cell, value) -> None:
    cell.value = value
    guard_cell(cell)  # free text typed by users never becomes a spreadsheet formula


def build_review_workbook(submission, groups) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "审核"
    sheet["A1"] = f"{submission.reporter_name} {submission.round.year}年度报送审核表"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["状态", submission.get_status_display()])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for group in groups:
        sheet.append([group["area"].name])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for v in group["values"]:
            queries = "\n".join(
                f"#{q.pk} {q.question}" + (f" → {q.answer}" if q.answer else "")
                for q in v.query_list
            )
            row = [
                v.indicator.code,
                v.indicator.name,
                v.indicator.unit,
                v.org_unit.name,
                v.group_words,
                v.previous.value if v.previous else None,
                v.value,
                v.numerator,
                v.denominator,
                None,
                None,
            ]
            sheet.append(row)
            r = sheet.max_row
            _text(sheet.cell(r, 10), v.comment)
            _text(sheet.cell(r, 11), queries)
            sheet.cell(r, 11).alignment = Alignment(wrap_text=True)
    for letter, width in zip(
        "ABCDEFGHIJK", (9, 30, 9, 12, 16, 10, 10, 10, 10, 30, 36), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
