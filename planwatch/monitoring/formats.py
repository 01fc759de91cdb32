"""Values and results as CSV, JSON and .xlsx; published series as SDMX-CSV."""

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.styles import Font

from planwatch.collection.cell_text import append_row, csv_row
from planwatch.collection.export import long_rows
from planwatch.collection.long_format import LONG_COLUMNS, number_text, typed_cells
from planwatch.monitoring.models import RESULT_FIELDS

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
RESULT_COLUMNS = RESULT_FIELDS
SDMX_COLUMNS = [
    "DATAFLOW",
    "REF_AREA",
    "INDICATOR",
    "SEX",
    "AGE",
    "URBANISATION",
    "TIME_PERIOD",
    "OBS_VALUE",
    "UNIT_MEASURE",
    "OBS_STATUS",
    "COMMENT",
]
SDMX_DATAFLOW = "PLANWATCH:WCDP(1.0)"
SDMX_SEX = {"": "_T", "female": "F", "male": "M"}
SDMX_URBANISATION = {"": "_T", "urban": "U", "rural": "R"}


def _table(columns: list[str], rows, fmt: str) -> bytes:
    rows = list(rows)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(csv_row(row) for row in rows)
        return out.getvalue().encode("utf-8")
    if fmt == "json":
        return json.dumps(
            [dict(zip(columns, row, strict=True)) for row in rows], ensure_ascii=False
        ).encode("utf-8")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, list(row))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def values_export(qs, fmt: str) -> bytes:
    """The canonical long format in any of the three: text cells as import_values reads them
    for CSV, numbers as numbers for JSON and Excel."""
    if fmt == "csv":
        return _table(LONG_COLUMNS, long_rows(qs), "csv")

    return _table(LONG_COLUMNS, map(typed_cells, long_rows(qs)), fmt)


def results_export(qs, fmt: str) -> bytes:
    def rows():
        for r in qs.select_related("target__indicator", "org_unit").iterator(chunk_size=5000):
            yield [
                r.target.code,
                r.target.indicator.code,
                r.org_unit.code,
                r.sex,
                r.age_group,
                r.residence,
                r.as_of_year,
                r.status,
                r.latest_year,
                r.latest_value,
                r.projected_value,
                r.p_ratio,
                r.completion_progress,
                r.time_progress,
                r.attainment_probability,
                r.explanation,
                r.evidence,
                r.pooled_first_year,
                r.pooled_last_year,
                r.pooled_events,
                r.pooled_exposure,
                r.pooled_rate,
                r.pooled_lo95,
                r.pooled_hi95,
                r.pooled_reliable,
            ]

    return _table(RESULT_COLUMNS, rows(), fmt)


def sdmx_csv(values, comments_for=None) -> bytes:
    """SDMX-CSV (version 1) of the given values — callers pass only published ones. A
    reporter's comment is written only for the indicator ids in `comments_for` (those the
    plan office published with their comments); None writes every comment."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SDMX_COLUMNS)
    rows = values.select_related("indicator", "org_unit").order_by(
        "indicator__code", "org_unit__code", "sex", "age_group", "residence", "year"
    )
    for v in rows:
        comment = v.comment if comments_for is None or v.indicator_id in comments_for else ""
        writer.writerow(
            csv_row(
                [
                    SDMX_DATAFLOW,
                    v.org_unit.code,
                    v.indicator.code,
                    SDMX_SEX.get(v.sex, v.sex),
                    v.age_group or "_T",
                    SDMX_URBANISATION.get(v.residence, v.residence),
                    v.year,
                    number_text(v.value),
                    v.indicator.unit,
                    "A",
                    comment,
                ]
            )
        )
    return out.getvalue().encode("utf-8")
