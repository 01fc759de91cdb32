"""纲要监测指标 on the area and indicator pages: a badge, and their stored values shown although
no result is stored for them (they have no target)."""

import re

import pytest
from django.urls import reverse

from planwatch.collection.models import APPROVED_STATES, DataValue
from planwatch.monitoring.models import SeriesResult

pytestmark = pytest.mark.usefixtures("demo_results")
YEAR = 2024


def approved(code):
    return DataValue.objects.get(
        indicator__code=code, org_unit__code="220112", year=YEAR, sex="", age_group="",
        residence="", submission__status__in=APPROVED_STATES,
    ).value  # fmt: skip


def row(page, code):
    return re.search(rf'<tr id="indicator-{code}">(.*?)</tr>', page, re.S).group(1)


def test_area_page_marks_them_and_shows_their_latest_stored_value(clients):
    page = clients["leader"].get(reverse("area_detail", args=["children", 2]), {"year": YEAR})
    html = page.content.decode()
    for code in ("C2-02", "C2-03", "C2-04"):
        assert not SeriesResult.objects.filter(target__indicator__code=code).exists()
        line = row(html, code)
        assert "纲要监测指标" in line
        assert f"{approved(code):.1f}" in line and f"({YEAR})" in line
    assert "纲要监测指标" not in row(html, "C2-01")  # the plan's own, with its target


def test_indicator_page_badge_source_and_values(clients):
    page = clients["health"].get(reverse("indicator_detail", args=["W1-14"]), {"year": YEAR})
    html = page.content.decode()
    assert 'class="badge origin-national"' in html
    assert "女性人均预期寿命延长" in re.search(r'id="indicator-origin">(.*?)</td>', html).group(1)
    assert "区规划未设量化目标" in html or "values are monitored" in html
    assert f"{approved('W1-14'):.2f}岁" in html


def test_english_page_badge_is_english(clients):
    client = clients["leader"]
    client.cookies["django_language"] = "en"
    html = client.get(reverse("indicator_detail", args=["C2-02"])).content.decode()
    assert "National outline indicator" in html
