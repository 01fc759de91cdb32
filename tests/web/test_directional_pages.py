"""Directional targets (提高, 巩固提高) on the pages: the plan's words as the target, the status
as a direction, no completion bar; in English, the direction's own words."""

import pytest
from django.urls import reverse

from planwatch.evaluation.vocabulary import status_label
from planwatch.monitoring.models import SeriesResult

pytestmark = pytest.mark.usefixtures("demo_results")
YEAR = 2024


def district_result(code):
    return SeriesResult.objects.select_related("target").get(
        target__code=code, as_of_year=YEAR, preview=False, org_unit__code="220112",
        sex="", age_group="", residence="",
    )  # fmt: skip


@pytest.mark.parametrize("code", ["C1-M3-1", "W3-M5-1", "C3-O4-1"])
def test_indicator_page_shows_the_plan_s_words_and_the_direction(clients, code):
    r = district_result(code)
    page = clients["office"].get(
        reverse("indicator_detail", args=[r.target.indicator.code]), {"year": YEAR}
    )
    body = page.content.decode()
    label = status_label(r.status, r.rule, r.target.comparator)
    assert f">{label}</span>" in body
    assert f"<td>{r.target.wording}</td>" in body
    assert r.explanation in body


def test_department_page_reads_a_directional_status_in_chinese_and_english(clients):
    r = district_result("W3-M5-1")  # 城镇单位就业人员中的女性比例, 统计局
    assert r.status == "attained"
    client = clients["office"]
    area = client.get(reverse("area_detail", args=["women", 3]), {"year": YEAR})
    assert "已实现预期方向" in area.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("area_detail", args=["women", 3]), {"year": YEAR})
    body = english.content.decode()
    assert "direction achieved" in body and "to rise" in body
    assert "已实现预期方向" not in body
