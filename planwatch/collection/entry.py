"""The rows a reporter fills: indicator × org unit × disaggregation, as the catalog declares.

One list drives the web entry form, the Excel template and the submission board's counts.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from planwatch.catalog.models import Indicator
from planwatch.collection.labels import RESIDENCE_WORDS, SEX_WORDS, group_label
from planwatch.collection.models import EDITABLE_STATES, DataValue, Residence, Sex
from planwatch.org.models import OrgUnit

HISTORY_YEARS = 3
# Each group is saved by its own form: at four inputs a row, 200 rows stay well under Django's
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) whatever size a department's entry grows to.
GROUP_ROWS = 200


@dataclass
class EntryRow:
    indicator: Indicator
    org_unit: OrgUnit
    sex: str = ""
    age_group: str = ""
    residence: str = ""
    age_label: str = ""
    history: dict = field(default_factory=dict)  # year -> value
    current: DataValue | None = None
    restricted: bool = False  # returned for queries on other cells only

    @property
    def key(self) -> tuple:
        return (self.indicator.pk, self.org_unit.pk, self.sex, self.age_group, self.residence)

    @property
    def field_prefix(self) -> str:
        return "v-" + "-".join(str(k) or "_" for k in self.key)

    @property
    def locked(self) -> bool:
        """A value already approved (or locked) cannot be typed over: it needs an unlock."""
        if self.restricted:
            return True
        sub = self.current.submission if self.current is not None else None
        return sub is not None and sub.status not in EDITABLE_STATES

    @property
    def group_label(self) -> str:
        return group_label(self.indicator, self.sex, self.age_group, self.residence)

    @property
    def sex_label(self) -> str:
        return SEX_WORDS[self.sex]

    @property
    def residence_label(self) -> str:
        return RESIDENCE_WORDS[self.residence]


def disaggregation_cells(indicator: Indicator) -> list[tuple[str, str, str, str]]:
    """(sex, age_group, residence, age label): the total first, then each axis' parts."""
    cells = [("", "", "", "")]
    if "sex" in indicator.disaggregations:
        cells += [(Sex.FEMALE, "", "", ""), (Sex.MALE, "", "", "")]
    if "age_group" in indicator.disaggregations:
        cells += [("", g["code"], "", g["name"]) for g in indicator.age_groups]
    if "residence" in indicator.disaggregations:
        cells += [("", "", Residence.URBAN, ""), ("", "", Residence.RURAL, "")]
    return cells


def scope_indicators_and_units(*, department=None, org_unit=None):
    """Which indicators and units a reporter fills: a department its lead indicators at every
    level they are reported at; a township every township-level indicator for itself."""
    indicators = Indicator.objects.filter(retired=False).select_related("area", "plan")
    district = OrgUnit.objects.filter(pk=OrgUnit.objects.home_district().pk)
    townships = OrgUnit.objects.home_townships()
    if department is not None:
        indicators = indicators.filter(lead_department=department)
    indicators = list(indicators.order_by("plan__sort", "area__number", "code"))
    if org_unit is not None:
        # JSON containment is not portable to SQLite: filter the (small) list in Python.
        indicators = [i for i in indicators if "township" in i.org_levels]

        def units_for(ind):
            return [org_unit]
    else:
        districts, towns = list(district), list(townships)

        def units_for(ind):
            units = districts if "district" in ind.org_levels else []
            return units + (towns if "township" in ind.org_levels else [])

    return indicators, units_for


def entry_rows(year: int, *, department=None, org_unit=None) -> list[EntryRow]:
    indicators, units_for = scope_indicators_and_units(department=department, org_unit=org_unit)
    rows = []
    for indicator in indicators:
        for unit in units_for(indicator):
            for sex, age, residence, age_label in disaggregation_cells(indicator):
                rows.append(EntryRow(indicator, unit, sex, age, residence, age_label))
    if not rows:
        return rows
    wanted = {r.key for r in rows}
    found = defaultdict(dict)
    values = (
        DataValue.objects.select_related("submission")
        .filter(
            indicator__in=indicators,
            year__gte=year - HISTORY_YEARS,
            year__lte=year,
        )
        .filter(Q(org_unit__in={r.org_unit.pk for r in rows}))
    )
    for v in values:
        key = (v.indicator_id, v.org_unit_id, v.sex, v.age_group, v.residence)
        if key in wanted:
            found[key][v.year] = v
    for row in rows:
        series = found.get(row.key, {})
        row.current = series.get(year)
        row.history = {y: series[y].value for y in range(year - HISTORY_YEARS, year) if y in series}
    return rows


@dataclass
class EntryGroup:
    """One area's rows (or a part of a large area), saved by its own form."""

    key: str
    area: object
    rows: list
    part: int = 1
    parts: int = 1

    @property
    def filled(self) -> int:
        return sum(1 for r in self.rows if r.current is not None)


def entry_groups(rows: list[EntryRow], limit: int = GROUP_ROWS) -> list[EntryGroup]:
    """Rows grouped by plan area, an area split at indicator boundaries when it is large
    (and a single indicator split only when it alone exceeds the limit)."""
    by_area: dict = {}
    for row in rows:
        by_area.setdefault(row.indicator.area, []).append(row)
    groups = []
    for area, area_rows in by_area.items():
        parts, current = [], []
        by_indicator: dict = {}
        for row in area_rows:
            by_indicator.setdefault(row.indicator.pk, []).append(row)
        for indicator_rows in by_indicator.values():
            if current and len(current) + len(indicator_rows) > limit:
                parts.append(current)
                current = []
            for row in indicator_rows:
                if len(current) >= limit:
                    parts.append(current)
                    current = []
                current.append(row)
        if current:
            parts.append(current)
        for n, part in enumerate(parts, start=1):
            groups.append(EntryGroup(f"a{area.pk}-{n}", area, part, n, len(parts)))
    return groups
