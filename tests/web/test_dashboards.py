"""Dashboards on the demo data: what they show is what the stored results say, for the
year chosen, within each user's scope."""

import io
import json
import re

import openpyxl
import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from planwatch.collection.models import DataValue
from planwatch.monitoring.models import SeriesResult, Warning

pytestmark = pytest.mark.usefixtures("demo_results")
DIRECTIONAL = ("increase", "decrease", "maintain_high")


def district_totals(year, plan=None):
    qs = SeriesResult.objects.filter(
        as_of_year=year,
        preview=False,
        org_unit__code="220112",
        sex="",
        age_group="",
        residence="",
    )
    return qs.filter(target__area__plan__code=plan) if plan else qs


def test_overview_counts_match_the_stored_results(clients):
    response = clients["leader"].get(reverse("overview"))
    assert response.status_code == 200
    assert response.context["year"] == 2024
    counts = response.context["counts"]
    numeric = district_totals(2024).exclude(target__comparator__in=DIRECTIONAL)
    for status, n in counts.items():
        assert n == numeric.filter(status=status).count(), status
    assert sum(counts.values()) == numeric.count()
    # directional targets (提高) apart, in their own words
    directional = district_totals(2024).filter(target__comparator__in=DIRECTIONAL)
    assert response.context["directional_total"] == directional.count() > 0
    assert "已实现预期方向" in dict(response.context["directional"])


def test_overview_of_one_plan_and_of_an_earlier_year(clients):
    response = clients["leader"].get(reverse("plan_overview", args=["women"]) + "?year=2022")
    assert response.context["year"] == 2022
    numeric = district_totals(2022, "women").exclude(target__comparator__in=DIRECTIONAL)
    assert sum(response.context["counts"].values()) == numeric.count()
    areas = [line.area.plan.code for line in response.context["areas"]]
    assert set(areas) == {"women"}


def test_overview_lists_red_warnings_with_reasons_and_links(clients):
    body = clients["office"].get(reverse("overview")).content.decode()
    red = Warning.objects.filter(result__in=district_totals(2024), level="red").select_related(
        "result__target__indicator"
    )
    assert red.exists()
    first = red.first()
    assert first.reason in body
    assert reverse("indicator_detail", args=[first.result.target.indicator.code]) in body


def test_the_chart_carries_the_same_numbers_as_the_table(clients):
    response = clients["leader"].get(reverse("overview"))
    chart = response.context["chart"]
    lines = {line["label"]: line["counts"] for line in chart["areas"]}
    for line in response.context["areas"]:
        assert dict(lines[line.area.name]) == dict(line.counts)


def test_indicator_page_series_target_forecast_and_peers(clients):
    response = clients["office"].get(reverse("indicator_detail", args=["W1-10"]) + "?year=2024")
    monitoring = response.context["monitoring"]
    chart = monitoring["chart"]
    stored = {
        v.year: v.value
        for v in DataValue.objects.filter(
            indicator__code="W1-10", org_unit__code="220112", sex="", residence="", year__lte=2024
        )
    }
    assert chart["district"]["data"] == stored
    assert chart["target"] == 90
    assert chart["path"][0][0] == 2020 and chart["path"][1] == [2030, 90]
    assert chart["forecast"] and chart["forecast"][-1]["year"] == 2030
    assert 0 <= chart["probability"] <= 1
    result = monitoring["main_result"]
    # As the page prints it: escaped (the sentence may say 达标概率<1%).
    assert escape(result.explanation) in response.content.decode()
    ranking = monitoring["ranking"]
    assert len(ranking["entries"]) == 8  # the townships, ranked
    assert ranking["entries"][0]["value"] >= ranking["entries"][-1]["value"]  # higher is better
    # The JSON the browser draws from is on the page.
    match = re.search(
        r'<script id="indicator-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert json.loads(match.group(1))["district"]["data"]["2024"] == pytest.approx(stored[2024])


def test_lower_is_better_ranking_and_reference_series(clients):
    response = clients["office"].get(reverse("indicator_detail", args=["C1-03"]) + "?year=2023")
    chart = response.context["monitoring"]["chart"]
    assert chart["references"][0]["label"] == "全国"
    assert chart["references"][0]["data"][2023] == 4.5
    gaps = response.context["monitoring"]["gaps"]
    assert {g["axis"] for g in gaps} == {"sex", "residence"}


def test_year_selector_reproduces_an_earlier_picture(clients):
    r2022 = clients["office"].get(reverse("indicator_detail", args=["W1-02"]) + "?year=2022")
    data = r2022.context["monitoring"]["chart"]["district"]["data"]
    assert max(data) == 2022
    stored = SeriesResult.objects.get(
        target__code="W1-O3-1",
        as_of_year=2022,
        org_unit__code="220112",
        sex="",
        age_group="",
        residence="",
    )
    assert r2022.context["monitoring"]["main_result"].pk == stored.pk


def test_area_page_shows_status_and_progress(clients):
    response = clients["leader"].get(reverse("area_detail", args=["women", 1]))
    body = response.content.decode()
    objective = next(o for o in response.context["objectives"] if o.number == 2)
    target, result, spark = objective.monitored[0]
    assert target.code == "W1-O2-1"
    assert result is not None and result.get_status_display() in body
    assert spark and max(spark) == 2024
    assert 'data-chart="spark"' in body


def test_warning_list_filters_and_exports(clients):
    all_rows = clients["stats"].get(reverse("warnings")).context["warnings"]
    red = clients["stats"].get(reverse("warnings") + "?level=red").context["warnings"]
    assert red and len(red) < len(all_rows)
    assert {w.level for w in red} == {"red"}
    health = clients["stats"].get(reverse("warnings") + "?department=health").context["warnings"]
    assert {w.result.target.indicator.lead_department.code for w in health} == {"health"}
    export = clients["stats"].get(reverse("warnings_export") + "?level=red")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(red)
    assert {r[0] for r in rows} == {"红色预警"}


def test_department_reporter_sees_only_its_own_indicators(clients):
    response = clients["education"].get(reverse("overview"))
    own = Q(target__indicator__lead_department__code="education") | Q(
        target__indicator__co_departments__code="education"
    )
    numeric = district_totals(2024).exclude(target__comparator__in=DIRECTIONAL)
    expected = numeric.filter(own).distinct().count()
    assert 0 < response.context["total"] == expected < district_totals(2024).count()
    results = list(
        SeriesResult.objects.filter(pk__in=[w.result_id for w in response.context["warnings"]])
    )
    assert all(
        r.target.indicator.lead_department.code == "education"
        or r.target.indicator.co_departments.filter(code="education").exists()
        for r in results
    )
    page = clients["education"].get(reverse("indicator_detail", args=["W1-01"]))
    assert page.context["monitoring"] is None  # health's indicator: no values shown
    assert "indicator-data" not in page.content.decode()


def test_township_reporter_sees_its_township_and_the_district_only(clients):
    page = clients["yunshan"].get(reverse("indicator_detail", args=["W1-10"]))
    monitoring = page.context["monitoring"]
    assert [e["unit"] for e in monitoring["ranking"]["entries"]] == ["云山街道"]
    units = {v.org_unit.code for v in page.context["values"]}
    assert units == {"220112", "220112001"}
    own = clients["yunshan"].get(reverse("org_unit_detail", args=["220112001"]))
    assert own.context["comparison"]
    assert all(line.rank is None for line in own.context["comparison"])


def test_township_page_compares_with_district_and_peers(clients):
    page = clients["office"].get(reverse("org_unit_detail", args=["220112003"]))
    lines = page.context["comparison"]
    assert lines
    line = next(x for x in lines if x.target.code == "W1-M4-1")
    assert line.district is not None and 1 <= line.rank <= line.peers == 8


def test_pages_read_results_without_recomputing(clients, django_assert_max_num_queries):
    before = SeriesResult.objects.order_by("-computed_at").first().computed_at
    with django_assert_max_num_queries(40):
        clients["leader"].get(reverse("overview"))
    clients["leader"].get(reverse("indicator_detail", args=["W1-10"]))
    assert SeriesResult.objects.order_by("-computed_at").first().computed_at == before


def test_department_lands_on_its_indicators_with_their_status(clients):
    response = clients["health"].get(reverse("department_detail", args=["health"]))
    indicators = list(response.context["indicators"])
    mmr = next(i for i in indicators if i.code == "W1-01")
    assert mmr.result is not None
    assert mmr.result.get_status_display() in response.content.decode()
    assert reverse("collection:entry", args=[2025]) in response.content.decode()


def test_the_values_table_lists_the_district_s_units_not_the_whole_database(clients):
    # A national-scale database holds thousands of other units: listing each of their values
    # made the page 2.3 MB and 5 s at 600 units (issue 16's load test).
    from planwatch.catalog.models import Indicator
    from planwatch.org.models import Level, OrgUnit

    city = OrgUnit.objects.get(code="220112").parent
    elsewhere = OrgUnit.objects.create(
        code="229901", name="外区甲", level=Level.DISTRICT, parent=city
    )
    village = OrgUnit.objects.create(
        code="229901001", name="外区乙镇", level=Level.TOWNSHIP, parent=elsewhere
    )
    indicator = Indicator.objects.get(code="W1-10")
    for unit in (elsewhere, village):
        DataValue.objects.create(
            indicator=indicator, org_unit=unit, year=2024, value=50.0, updated_at=timezone.now()
        )
    page = clients["office"].get(reverse("indicator_detail", args=["W1-10"]) + "?year=2024")
    listed = {v.org_unit.code for v in page.context["values"]}
    home = set(
        DataValue.objects.filter(indicator=indicator, year__lte=2024)
        .filter(Q(org_unit__code="220112") | Q(org_unit__parent__code="220112"))
        .values_list("org_unit__code", flat=True)
    )
    assert home and home <= listed
    assert not listed & {"229901", "229901001"}
    assert "外区甲" not in page.content.decode()
