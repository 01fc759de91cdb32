"""Stored values in the canonical long format, so that export → import round-trips exactly."""

import csv
from collections.abc import Iterable

from planwatch.collection.cell_text import csv_row
from planwatch.collection.files import LONG_COLUMNS
from planwatch.collection.models import DataValue


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    text = repr(float(value))  # the shortest text that reads back as the same float
    return text[:-2] if text.endswith(".0") else text


def values_queryset(*, year=None, indicator=None, approved_only=False, queryset=None):
    qs = queryset if queryset is not None else DataValue.objects.all()
    if year is not None:
        qs = qs.filter(year=year)
    if indicator:
        qs = qs.filter(indicator__code=indicator)
    if approved_only:
        qs = qs.counted()
    return qs.order_by("indicator__code", "org_unit__code", "year", "sex", "age_group", "residence")


def long_rows(qs) -> Iterable[list[str]]:
    fields = (
        "indicator__code",
        "org_unit__code",
        "year",
        "sex",
        "age_group",
        "residence",
        "value",
        "numerator",
        "denominator",
        "comment",
    )
    for row in qs.values_list(*fields).iterator(chunk_size=20_000):
        code, unit, year, sex, age, residence, value, numerator, denominator, comment = row
        yield [
            code,
            unit,
            str(year),
            sex,
            age,
            residence,
            number_text(value),
            number_text(numerator),
            number_text(denominator),
            comment,
        ]


def write_long_csv(out, qs) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    count = 0
    for row in long_rows(qs):
        writer.writerow(csv_row(row))
        count += 1
    return count
