"""A statistic both plans monitor shows one value on the township page and in both reports."""

import pytest
from django.urls import reverse

from planwatch.collection.models import APPROVED_STATES, DataValue
from planwatch.reports.snapshot import take_snapshot

pytestmark = pytest.mark.usefixtures("demo_results")
YEAR = 2024


def approved(code, unit):
    return DataValue.objects.get(
        indicator__code=code, org_unit__code=unit, year=YEAR, sex="", age_group="", residence="",
        submission__status__in=APPROVED_STATES,
    ).value  # fmt: skip


def test_township_page_lists_a_shared_statistic_once_with_both_targets(clients):
    page = clients["office"].get(reverse("org_unit_detail", args=["220112001"]), {"year": YEAR})
    lines = [x for x in page.context["comparison"] if x.indicator.code == "W7-01"]
    assert len(lines) == 1
    line = lines[0]
    # both plans' numeric targets and the children's directional measure (提高…自来水普及率)
    assert {t.code for t, _r in line.judged} == {"W7-O7-1", "C6-O7-1", "C6-M9-1"}
    assert line.own.latest_value == pytest.approx(approved("W7-01", "220112001"))
    assert {r.latest_value for _t, r in line.judged} == {line.own.latest_value}
    assert page.content.decode().count(f'indicators/W7-01/?year={YEAR}"') == 1


@pytest.mark.parametrize("code", ["W7-01", "C3-02"])
def test_both_plans_reports_show_the_same_value_against_their_own_target(code, db):
    seen = {}
    for plan in ("women", "children"):
        snapshot = take_snapshot("annual", plan, YEAR)
        entries = [i for a in snapshot["areas"] for i in a["indicators"] if i["code"] == code]
        assert len(entries) == 1, plan
        entry = entries[0]
        seen[plan] = entry["district"][str(YEAR)]
        prefix = {"women": "W", "children": "C"}[plan]
        assert {t["code"][0] for t in entry["targets"]} == {prefix}
    assert seen["women"] == seen["children"] == pytest.approx(approved(code, "220112"))
