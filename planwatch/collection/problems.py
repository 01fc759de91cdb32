"""What an import says about a file: hard errors (nothing is stored) and soft warnings."""

from dataclasses import asdict, dataclass

from planwatch.collection.labels import column_label, group_words, indicator_words

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    message: str
    # The caller's reference for the row: a file's row number (header = 1), the entry form's
    # row key, a DHIS2 dataValue's index (collection/sources.py)
    row: int | str | None = None
    column: str | None = None
    level: str = ERROR
    subject: str = ""  # the cell in words: indicator (code, name, unit) · unit · group
    link: str = ""  # back to the cell in the entry form
    where: str = ""  # the row in words when its reference is no row number

    def __str__(self) -> str:
        where = []
        if self.where:
            where.append(self.where)
        elif self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"“{column_label(self.column)}”列")
        if self.subject:
            where.append(f"（{self.subject}）")
        prefix = "".join(where)
        return f"{prefix}：{self.message}" if prefix else self.message

    def to_dict(self) -> dict:
        return asdict(self) | {"text": str(self)}


class FileRefused(Exception):
    """The file as a whole cannot be read: nothing in it is looked at further."""

    def __init__(self, message: str):
        super().__init__(message)
        self.problem = Problem(message)


def cell_problem(message: str, rowno: int, column: str | None, row: dict, rules, units):
    """An importer's complaint about one cell, in the reporter's words: the column as the
    template labels it, the indicator with its name and unit, the unit and group, a link."""
    from django.urls import reverse

    from planwatch.catalog.models import Indicator
    from planwatch.collection.rules import RESIDENCE_CODES, SEX_CODES

    code = (row.get("indicator") or "").strip()
    unit_code = (row.get("org_unit") or "").strip()
    rule, unit = rules.get(code), units.get(unit_code)
    subject = link = ""
    if rule is not None:
        indicator = Indicator.objects.only("code", "name", "unit", "age_groups").get(pk=rule.id)
        sex = SEX_CODES.get((row.get("sex") or "").strip().lower()) or ""
        residence = RESIDENCE_CODES.get((row.get("residence") or "").strip().lower()) or ""
        age = (row.get("age_group") or "").strip()
        parts = [indicator_words(indicator)]
        if unit is not None:
            parts.append(unit.name)
        parts.append(group_words(indicator, sex, age, residence))
        subject = " · ".join(parts)
        year = (row.get("year") or "").strip()
        if unit is not None and year.isdigit():
            prefix = "v-" + "-".join(str(k) or "_" for k in (rule.id, unit.id, sex, age, residence))
            link = f"{reverse('collection:entry', args=[int(year)])}?cell={prefix}#cell-{prefix}"
    # The column stays a code (the API's consumers read it); its label is in the text.
    return Problem(message, rowno, column, subject=subject, link=link)
