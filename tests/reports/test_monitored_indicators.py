"""纲要监测指标 and 扩充调整指标 in the annual report, mid-term and final evaluation (issue 12
item 3): a table of their own in the annex, each value equal to the stored approved value,
全国 where the platform's file has it, and no status (the plan sets them no target)."""

import datetime

import pytest
from django.utils import timezone

from planwatch.catalog.models import Area, Indicator, Origin
from planwatch.collection.models import DataValue
from planwatch.org.models import OrgUnit

from .building import render_docx
from .reading import blocks, table_after
from .test_annual import approved, shown

pytestmark = pytest.mark.usefixtures("demo_results")
OFFICE_VALUES = {2020: 8.0, 2023: 6.5, 2024: 6.1}


@pytest.fixture(scope="module")
def documents(demo_results, django_db_blocker):
    """One 扩充调整指标 with stored values beside the demo, and the three documents."""
    with django_db_blocker.unblock():
        area = Area.objects.get(plan__code="children", number=2)
        office = Indicator.objects.create(
            code="C2-X01", plan=area.plan, area=area, name="儿童烧烫伤住院率", scale="per_100k",
            unit="1/10万", direction="lower", computation="ratio", factor=100000,
            origin=Origin.SUPPLEMENTARY, origin_source="区儿童伤害监测方案增设",
        )  # fmt: skip
        district = OrgUnit.objects.home_district()
        for year, value in OFFICE_VALUES.items():
            DataValue.objects.create(
                indicator=office, org_unit=district, year=year, value=value,
                updated_at=timezone.now(),
            )  # fmt: skip
        created = datetime.datetime(2026, 3, 1, 9, 0)
        docs = {
            ("annual", "children"): render_docx("annual", "children", 2024, created=created),
            ("midterm", "women"): render_docx("midterm", "women", 2024, created=created),
            ("final", "children"): render_docx("final", "children", 2024, created=created),
        }
    yield docs
    with django_db_blocker.unblock():
        DataValue.objects.filter(indicator=office).delete()
        office.delete()


def rows_of(document, title):
    table = table_after(document, f"{title}监测情况")
    return table[0], {row[0]: row for row in table[1:]}


@pytest.mark.parametrize(
    "kind, plan", [("annual", "children"), ("midterm", "women"), ("final", "children")]
)
def test_national_indicators_listed_with_their_stored_values(documents, db, kind, plan):
    _snapshot, document = documents[(kind, plan)]
    header, rows = rows_of(document, "纲要监测指标")
    assert header[:6] == ["代码", "监测指标", "单位", "2020年", "2023年", "2024年"]
    expected = Indicator.objects.filter(
        origin=Origin.NATIONAL, plan__code=plan, retired=False, targets__isnull=True
    )
    assert set(rows) == {i.code for i in expected} and rows
    for ind in expected:
        row = rows[ind.code]
        assert row[1] == ind.name
        for column, year in ((3, 2020), (4, 2023), (5, 2024)):
            assert row[column] == shown(approved(ind, year), ind), (ind.code, year)
        # no status column: nothing is judged
        assert "达标" not in "".join(header)


def test_national_values_beside_them_from_the_platforms_file(documents, db):
    _snapshot, document = documents[("midterm", "women")]
    _header, rows = rows_of(document, "纲要监测指标")
    assert rows["W1-15"][7] == "77.1"  # 婚前医学检查率, 2024年《中国妇女发展纲要》统计监测报告
    assert rows["W1-14"][7] == "80.88"  # 女性人均预期寿命 2020, 2 decimals as NBS prints it
    life = Indicator.objects.get(code="W1-14")
    change = approved(life, 2024) - approved(life, 2020)
    assert rows["W1-14"][6] == ("上升" if change > 0 else "下降") + f"{abs(change):.2f}岁"


def test_the_offices_indicator_in_a_table_of_its_own(documents, db):
    for key in (("annual", "children"), ("final", "children")):
        _snapshot, document = documents[key]
        _header, rows = rows_of(document, "扩充调整指标")
        assert list(rows) == ["C2-X01"]
        assert rows["C2-X01"][3:6] == ["8.0", "6.5", "6.1"]
        assert rows["C2-X01"][6] == "下降1.9个十万分点"
        text = "\n".join(b[2] for b in blocks(document) if b[0] == "p")
        assert "C2-X01：区儿童伤害监测方案增设" in text
    _snapshot, women = documents[("midterm", "women")]
    with pytest.raises(AssertionError):
        rows_of(women, "扩充调整指标")
