"""How a reported number becomes a stored one: codes, disaggregations and rate arithmetic.

Shared by the importer (every channel) and the web entry form, so that a value is judged
the same way whichever door it comes through.
"""

import math
from dataclasses import dataclass

from planwatch.catalog.models import Computation, Indicator, Scale
from planwatch.collection.models import Residence, Sex
from planwatch.collection.strict import is_plain_number
from planwatch.org.models import Level, OrgUnit

SEX_CODES = {
    "": Sex.TOTAL,
    "total": Sex.TOTAL,
    "合计": Sex.TOTAL,
    "总计": Sex.TOTAL,
    "female": Sex.FEMALE,
    "f": Sex.FEMALE,
    "女": Sex.FEMALE,
    "女性": Sex.FEMALE,
    "male": Sex.MALE,
    "m": Sex.MALE,
    "男": Sex.MALE,
    "男性": Sex.MALE,
}
RESIDENCE_CODES = {
    "": Residence.TOTAL,
    "total": Residence.TOTAL,
    "合计": Residence.TOTAL,
    "urban": Residence.URBAN,
    "城镇": Residence.URBAN,
    "城市": Residence.URBAN,
    "rural": Residence.RURAL,
    "农村": Residence.RURAL,
    "乡村": Residence.RURAL,
}
LEVEL_NAMES = {Level.DISTRICT: "district", Level.TOWNSHIP: "township", Level.VILLAGE: "village"}
TOTAL_WORDS = {"", "total", "合计", "总计", "全部"}


@dataclass(frozen=True)
class IndicatorRule:
    """What the importer needs to know of an indicator, read once per import."""

    id: int
    code: str
    name: str
    factor: float | None
    ratio: bool
    share: bool
    percent: bool
    additive: bool  # counts add up across sexes / residences; rates do not
    lead_department_id: int | None
    lead_department_name: str
    disaggregations: frozenset
    age_groups: frozenset
    org_levels: frozenset
    retired: bool

    @classmethod
    def of(cls, indicator: Indicator) -> "IndicatorRule":
        return cls(
            id=indicator.pk,
            code=indicator.code,
            name=indicator.name,
            factor=float(indicator.factor) if indicator.factor else None,
            ratio=indicator.computation == Computation.RATIO,
            share=indicator.is_share,
            percent=indicator.scale == Scale.PERCENT,
            additive=indicator.scale == Scale.COUNT,
            lead_department_id=indicator.lead_department_id,
            lead_department_name=str(indicator.lead_department or ""),
            disaggregations=frozenset(indicator.disaggregations),
            age_groups=frozenset(g["code"] for g in indicator.age_groups),
            org_levels=frozenset(indicator.org_levels or ["district"]),
            retired=indicator.retired,
        )


@dataclass(frozen=True)
class UnitRule:
    id: int
    code: str
    name: str
    level: int
    reference: bool
    path: frozenset  # own id and every ancestor's id

    @classmethod
    def all(cls) -> dict[str, "UnitRule"]:
        units = {u.pk: u for u in OrgUnit.objects.all()}
        out = {}
        for unit in units.values():
            path, node = {unit.pk}, unit
            while node.parent_id:
                path.add(node.parent_id)
                node = units[node.parent_id]
            out[unit.code] = cls(
                unit.pk, unit.code, unit.name, unit.level, unit.is_reference, frozenset(path)
            )
        return out


class BadNumber(ValueError):
    pass


def parse_number(text: str, column: str) -> float | None:
    """Plain decimal numbers only: a cell typed as text with stray characters is an error,
    never silently read as something else."""
    text = text.strip() if isinstance(text, str) else text
    if text in ("", None):
        return None
    if isinstance(text, int | float):
        number = float(text)
    else:
        # float() alone would read 9_7 as 97 and other scripts' digits as numbers.
        if not is_plain_number(text):
            raise BadNumber(f"“{text}”不是数字")
        number = float(text)
    if math.isnan(number) or math.isinf(number):
        raise BadNumber(f"“{text}”不是有效数字")
    if number < 0:
        raise BadNumber(f"不能为负数（{text}）")
    return number


def decimals_of(text: str) -> int:
    text = str(text).strip()
    if "e" in text.lower() or "." not in text:
        return 0
    return len(text.split(".", 1)[1])


def rate_from_counts(numerator: float, denominator: float, factor: float) -> float:
    return numerator / denominator * factor


def consistent(typed: float, typed_text: str, computed: float) -> bool:
    """A typed rate agrees with its counts when it is the computed rate rounded to the
    precision the user typed (half a unit of the last typed decimal)."""
    tolerance = 0.5 * 10 ** (-decimals_of(typed_text)) + 1e-9
    return abs(typed - computed) <= tolerance
