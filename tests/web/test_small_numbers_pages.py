"""Pages show the small-numbers figures exactly as stored: pooled figure, weak evidence, the
funnel plot and its table, gap intervals, 小样本 warnings."""

import json
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from planwatch.catalog import numbers
from planwatch.monitoring.models import SeriesResult, Warning

pytestmark = pytest.mark.usefixtures("demo_results")


def total(code, year=2024):
    return SeriesResult.objects.get(
        target__indicator__code=code,
        org_unit__code="220112",
        as_of_year=year,
        preview=False,
        sex="",
        age_group="",
        residence="",
    )


def script_json(body, element_id):
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', body, re.S
    )
    return json.loads(match.group(1))


def test_rare_event_indicator_page_shows_pooled_figure_and_weak_evidence(clients):
    r = total("W1-01")
    assert r.evidence == "weak" and r.pooled_reliable is False
    body = clients["office"].get(reverse("indicator_detail", args=["W1-01"]) + "?year=2024")
    html = body.content.decode()
    assert 'id="pooled-figure"' in html and 'id="weak-evidence"' in html
    # one text per number: the page's figures are catalog.numbers' text of the stored values,
    # and the explanation beside them (written by the engine) uses the very same text
    ind = r.target.indicator
    latest = numbers.value(r.latest_value, ind.scale, ind.unit)
    pooled = numbers.value(r.pooled_rate, ind.scale, ind.unit)
    interval = numbers.interval(r.pooled_lo95, r.pooled_hi95, ind.scale)
    assert re.search(r'class="latest">2024: <strong>([^<]*)</strong>', html).group(1) == latest
    figure = re.search(r'id="pooled-figure">.*?<strong>([^<]*)</strong>', html).group(1)
    assert figure == pooled
    assert re.search(r'id="pooled-interval">([^<]*)<', html).group(1) == interval
    assert r.explanation.startswith(f"2024年为{latest}")
    assert f"合计{pooled}（95%置信区间{interval}）" in r.explanation
    assert escape(r.explanation) in html
    # the gap interval says 差异不显著 where it spans 0
    gap = r.gaps.get("residence")
    assert gap is not None
    assert (gap["ci95"][0] <= 0 <= gap["ci95"][1]) is (not gap["significant"])
    if not gap["significant"]:
        assert "差异不显著" in html


def test_indicator_page_funnel_is_the_stored_one(clients):
    r = total("W1-10")
    html = clients["office"].get(reverse("indicator_detail", args=["W1-10"]) + "?year=2024")
    html = html.content.decode()
    data = script_json(html, "funnel-W1-10-data")
    assert data["points"] == [
        {**p, "flag_label": data["points"][i]["flag_label"]}
        for i, p in enumerate(r.funnel["points"])
    ]
    assert data["centre"] == r.funnel["centre"]
    assert 'id="funnel-W1-10-table"' in html
    for p in r.funnel["points"]:
        if p["flag"] in ("high", "low"):
            assert p["unit"] in r.funnel["flagged"]


def test_township_page_funnel_highlights_the_township(clients):
    html = (
        clients["office"]
        .get(reverse("org_unit_detail", args=["220112004"]) + "?year=2024&funnel=W1-10")
        .content.decode()
    )
    data = script_json(html, "funnel-W1-10-data")
    assert data["highlight"] == "山河街道"
    assert 'class="highlight"' in html
    assert "漏斗图" in html


def test_small_sample_warnings_are_listed_under_their_own_label(clients):
    assert Warning.objects.filter(level="small_sample").exists()
    assert not Warning.objects.filter(
        level="red", result__evidence="weak", result__as_of_year=2024
    ).exists()
    html = clients["office"].get(reverse("warnings") + "?year=2024&level=small_sample")
    html = html.content.decode()
    assert "小样本，需持续观察" in html
    assert 'class="w-small_sample"' in html
