"""DHIS2 `dataValueSets` JSON in and out, through a mapping kept in the platform.

A health information system pushes its figures as DHIS2 data values (data element ×
category option combo × org unit × period); the mapping turns each into one part (value,
numerator or denominator) of one of our series, and the rows then go through the same
importer as every other channel: all stored or none.
"""

from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import transaction

from planwatch.audit.models import Channel
from planwatch.catalog.models import Indicator
from planwatch.collection.batches import store_rows
from planwatch.collection.entry import disaggregation_cells
from planwatch.collection.long_format import number_text
from planwatch.collection.models import DataValue
from planwatch.collection.sources import typed_rows
from planwatch.exchange.models import Dhis2DataElement, Dhis2OrgUnit, Part
from planwatch.org.models import OrgUnit

DEFAULT_COC = "default"


@dataclass
class Dhis2Import:
    stored: bool = False
    dry_run: bool = False
    conflicts: list[dict] = field(default_factory=list)
    n_new: int = 0
    n_changed: int = 0
    n_unchanged: int = 0

    def summary(self) -> dict:
        """The shape of DHIS2's own import summary, so DHIS2 clients read it as they know."""
        ok = not self.conflicts
        return {
            "status": "SUCCESS" if ok else "ERROR",
            "description": (
                ("试运行，未写入" if self.dry_run else "已导入")
                if ok
                else "存在冲突，未写入任何数据"
            ),
            "importCount": {
                "imported": self.n_new if self.stored else 0,
                "updated": self.n_changed if self.stored else 0,
                "ignored": self.n_unchanged if ok else 0,
                "deleted": 0,
            },
            "conflicts": self.conflicts,
            "dryRun": self.dry_run,
        }


def _coc(sex: str, age: str, residence: str) -> str:
    if sex:
        return sex.upper()
    if age:
        return f"AGE_{age}"
    if residence:
        return residence.upper()
    return DEFAULT_COC


@transaction.atomic
def load_default_mapping() -> int:
    """Data element `PW_<indicator>` (and `_NUM`/`_DEN` for counts) × a combo per
    disaggregation cell; org units by their statistical code. Existing rows are kept."""
    created = 0
    for indicator in Indicator.objects.filter(retired=False):
        parts = [Part.VALUE]
        if indicator.computation == "ratio":
            parts += [Part.NUMERATOR, Part.DENOMINATOR]
        for sex, age, residence, _label in disaggregation_cells(indicator):
            for part in parts:
                suffix = {"value": "", "numerator": "_NUM", "denominator": "_DEN"}[part]
                _obj, made = Dhis2DataElement.objects.get_or_create(
                    indicator=indicator,
                    sex=sex,
                    age_group=age,
                    residence=residence,
                    part=part,
                    defaults={
                        "data_element": f"PW_{indicator.code}{suffix}",
                        "category_option_combo": _coc(sex, age, residence),
                    },
                )
                created += made
    for unit in OrgUnit.objects.all():
        _obj, made = Dhis2OrgUnit.objects.get_or_create(org_unit=unit, defaults={"code": unit.code})
        created += made
    return created


def import_data_value_set(payload: dict, *, user, dry_run: bool = False) -> Dhis2Import:
    outcome = Dhis2Import(dry_run=dry_run)
    if not isinstance(payload, dict) or not isinstance(payload.get("dataValues"), list):
        outcome.conflicts.append({"object": "dataValues", "value": "缺少 dataValues 列表"})
        return outcome
    elements = {
        (m.data_element, m.category_option_combo): m
        for m in Dhis2DataElement.objects.select_related("indicator")
    }
    units = {m.code: m.org_unit for m in Dhis2OrgUnit.objects.select_related("org_unit")}
    rows: OrderedDict = OrderedDict()
    origin: dict[tuple, list[int]] = {}
    defaults = {k: payload.get(k) for k in ("period", "orgUnit")}
    for index, item in enumerate(payload["dataValues"]):
        if not isinstance(item, dict):
            outcome.conflicts.append({"object": f"dataValues[{index}]", "value": "不是对象"})
            continue
        de = item.get("dataElement")
        coc = item.get("categoryOptionCombo") or DEFAULT_COC
        ou = item.get("orgUnit") or defaults["orgUnit"]
        period = str(item.get("period") or defaults["period"] or "")
        mapping = elements.get((de, coc))
        unit = units.get(ou)
        problems = []
        if mapping is None:
            problems.append({"object": f"{de}.{coc}", "value": "数据元素/分类组合未映射"})
        if unit is None:
            problems.append({"object": str(ou), "value": "组织机构未映射"})
        if not (len(period) == 4 and period.isdigit()):
            problems.append({"object": period, "value": "期间须为年度（如 2024）"})
        if problems:
            for p in problems:
                outcome.conflicts.append({**p, "index": index})
            continue
        key = (
            mapping.indicator.code,
            unit.code,
            period,
            mapping.sex,
            mapping.age_group,
            mapping.residence,
        )
        row = rows.setdefault(
            key,
            {
                "indicator": key[0],
                "org_unit": key[1],
                "year": key[2],
                "sex": key[3],
                "age_group": key[4],
                "residence": key[5],
                "value": "",
                "numerator": "",
                "denominator": "",
                "comment": "",
            },
        )
        if row[mapping.part]:
            outcome.conflicts.append(
                {"object": f"{de}.{coc}", "value": "同一数值重复出现", "index": index}
            )
            continue
        row[mapping.part] = str(item.get("value", ""))
        if item.get("comment"):
            row["comment"] = str(item["comment"])
        origin.setdefault(key, []).append(index)
    if outcome.conflicts or not rows:
        if not rows and not outcome.conflicts:
            outcome.conflicts.append({"object": "dataValues", "value": "没有数据值"})
        return outcome
    # A row's reference is the index of its first dataValue (a rate's numerator).
    source = typed_rows(
        ((origin[key][0], row) for key, row in rows.items()),
        label=lambda index: f"dataValues[{index}]",
    )
    result = store_rows(source, user=user, channel=Channel.API, dry_run=dry_run)
    for problem in result.problems:
        outcome.conflicts.append(
            {"object": problem.column or "row", "value": problem.message, "index": problem.row}
        )
    outcome.stored = result.stored
    outcome.n_new, outcome.n_changed, outcome.n_unchanged = (
        result.n_new,
        result.n_changed,
        result.n_unchanged,
    )
    return outcome


def export_data_value_set(*, year: int | None = None, values=None) -> dict:
    """Approved values (and published reference values) as DHIS2 data values."""
    qs = values if values is not None else DataValue.objects.all()
    qs = qs.counted()
    if year is not None:
        qs = qs.filter(year=year)
    elements = {
        (m.indicator_id, m.sex, m.age_group, m.residence, m.part): m
        for m in Dhis2DataElement.objects.all()
    }
    units = {m.org_unit_id: m.code for m in Dhis2OrgUnit.objects.all()}
    out = []
    for v in qs.order_by(
        "indicator__code", "org_unit__code", "year", "sex", "age_group", "residence"
    ):
        if v.org_unit_id not in units:
            continue
        parts = [("numerator", v.numerator), ("denominator", v.denominator)]
        if v.numerator is None:
            parts = [("value", v.value)]
        for part, number in parts:
            mapping = elements.get((v.indicator_id, v.sex, v.age_group, v.residence, part))
            if mapping is None or number is None:
                continue
            item = {
                "dataElement": mapping.data_element,
                "categoryOptionCombo": mapping.category_option_combo,
                "orgUnit": units[v.org_unit_id],
                "period": str(v.year),
                "value": number_text(number),
            }
            if v.comment and part != "denominator":
                item["comment"] = v.comment
            out.append(item)
    return {"dataValues": out}
