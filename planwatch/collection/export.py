"""Stored values in the canonical long format, so that export → import round-trips exactly."""

import csv
from collections.abc import Iterable

from planwatch.collection.cell_text import csv_row
from planwatch.collection.long_format import LONG_COLUMNS, cells_of
from planwatch.collection.models import DataValue

VALUE_FIELDS = (
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
    for row in qs.values_list(*VALUE_FIELDS).iterator(chunk_size=20_000):
        yield cells_of(*row)


def write_long_csv(out, qs) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    count = 0
    for row in long_rows(qs):
        writer.writerow(csv_row(row))
        count += 1
    return count
