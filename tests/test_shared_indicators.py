"""One statistic, one indicator: a statistic both plans monitor has one series and one value."""

import importlib
from datetime import UTC, datetime

import pytest
from django.apps import apps as live_apps

from planwatch.audit.models import AuditEntry
from planwatch.catalog.merging import merge_indicator
from planwatch.catalog.models import Indicator, Target
from planwatch.collection.models import DataValue, ValueChange
from planwatch.exchange.models import Dhis2DataElement, PublishedIndicator
from planwatch.org.models import OrgUnit

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 3, 1, tzinfo=UTC)


def _definition(i):
    return (i.numerator, i.denominator, i.factor, i.scale)


def test_no_statistic_is_defined_twice():
    live = list(Indicator.objects.filter(retired=False))
    names = [i.name.removeprefix("九年") for i in live]
    assert len(names) == len(set(names)), "two indicators share a name"
    ratios = [_definition(i) for i in live if i.computation == "ratio"]
    assert len(ratios) == len(set(ratios)), "two ratio indicators share numerator and denominator"


@pytest.mark.parametrize(
    ("code", "plans"),
    [("W7-01", {"women", "children"}), ("C3-02", {"women", "children"})],
)
def test_shared_indicator_carries_both_plans_targets(code, plans):
    indicator = Indicator.objects.get(code=code)
    assert {p.code for p in indicator.plans()} == plans
    areas = {(t.area.plan.code, t.area.number) for t in indicator.targets.all()}
    assert areas == (
        {("women", 7), ("children", 6)} if code == "W7-01" else {("women", 2), ("children", 3)}
    )
    assert not Indicator.objects.filter(code__in=["C6-01", "W2-01"]).exists()


def test_every_target_knows_its_plan_area():
    for target in Target.objects.select_related("objective", "measure", "area"):
        assert target.area_id == (target.objective or target.measure).area_id


def test_migration_merges_the_pairs_the_catalog_no_longer_defines():
    migration = importlib.import_module("planwatch.catalog.migrations.0002_shared_indicators")
    for kept, gone in migration.SHARED:
        assert Indicator.objects.filter(code=kept, retired=False).exists()
        assert not Indicator.objects.filter(code=gone).exists()


def _value(indicator, unit, year, value, **extra):
    return DataValue.objects.create(
        indicator=indicator, org_unit=unit, year=year, value=value, source="cli",
        updated_at=NOW, **extra,
    )  # fmt: skip


def test_merge_keeps_collected_data_and_says_what_conflicted():
    kept = Indicator.objects.get(code="W7-01")
    # The old database state: the children's plan had its own copy of the statistic.
    gone = Indicator.objects.create(
        code="C6-01", plan=Target.objects.get(code="C6-O7-1").area.plan,
        area=Target.objects.get(code="C6-O7-1").area, name="农村自来水普及率", scale="percent",
        unit="%", direction="higher", computation="ratio", factor=100, is_share=True,
        lead_department=kept.lead_department,
    )  # fmt: skip
    Target.objects.filter(code="C6-O7-1").update(indicator=gone)
    district = OrgUnit.objects.get(code="220112")
    town = OrgUnit.objects.get(code="220112001")
    _value(kept, district, 2023, 97.0)
    _value(gone, district, 2023, 97.0)  # identical: one copy is enough
    _value(kept, district, 2024, 98.1)
    _value(gone, district, 2024, 80.6)  # the two values for one statistic
    _value(gone, town, 2024, 91.5)  # only the children's copy had it: it moves
    Dhis2DataElement.objects.create(
        indicator=gone, data_element="deC6", category_option_combo="coc1"
    )
    PublishedIndicator.objects.create(indicator=gone, from_year=2021, to_year=2024)

    summary = merge_indicator(live_apps, "W7-01", "C6-01")

    assert not Indicator.objects.filter(code="C6-01").exists()
    assert Target.objects.get(code="C6-O7-1").indicator == kept
    values = {(v.org_unit.code, v.year): v.value for v in DataValue.objects.filter(indicator=kept)}
    assert values == {("220112", 2023): 97.0, ("220112", 2024): 98.1, ("220112001", 2024): 91.5}
    assert summary["moved_values"] == 1 and summary["identical_values"] == 1
    assert summary["conflicts"] == [
        {"org_unit_id": district.pk, "year": 2024, "group": "", "kept": 98.1, "dropped": 80.6}
    ]
    change = ValueChange.objects.get(indicator=kept, year=2024, org_unit=district)
    assert (change.old_value, change.new_value) == (80.6, 98.1)
    assert "C6-01" in change.reason and "保留 W7-01" in change.reason
    assert Dhis2DataElement.objects.get(data_element="deC6").indicator == kept
    assert PublishedIndicator.objects.get(indicator=kept).from_year == 2021
    entry = AuditEntry.objects.get(action="merge_indicator")
    assert entry.object_key == "C6-01→W7-01" and entry.new["conflicts"][0]["dropped"] == 80.6


def test_merge_is_a_no_op_once_done():
    before = DataValue.objects.count()
    assert merge_indicator(live_apps, "W7-01", "C6-01") is None
    assert DataValue.objects.count() == before
