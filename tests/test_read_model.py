"""The read model: one filter for the values that count, the target line from the stored
threshold, and no sideways arrows from documents and exchange into the pages."""

import ast
import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

import planwatch
from planwatch.catalog.models import Department, Indicator
from planwatch.collection.models import DataValue, ReportingRound, Submission
from planwatch.monitoring import queries
from planwatch.monitoring.compute import recompute
from planwatch.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def _value(indicator, unit, year, status):
    """A value of its own year (one per key), in a submission of that status or none."""
    submission = None
    if status is not None:
        round_ = ReportingRound.objects.create(
            year=year, opens_on=datetime.date(year + 1, 1, 1), due_on=datetime.date(year + 1, 3, 1)
        )
        health = Department.objects.get(code="health")
        submission = Submission.objects.create(round=round_, department=health, status=status)
    return DataValue.objects.create(
        indicator=indicator,
        org_unit=unit,
        year=year,
        value=1.0,
        source="csv",
        submission=submission,
        updated_at=timezone.now(),
    )


def test_the_values_that_count(db):
    """Approved and locked submissions and the reference units' published values count; a
    preview adds the submitted ones; drafts and returned ones never count."""
    indicator = Indicator.objects.get(code="C1-02")
    district = OrgUnit.objects.home_district()
    city = OrgUnit.objects.filter(is_reference=True).first()
    made = {
        status: _value(indicator, district, 2020 + i, status)
        for i, status in enumerate(["draft", "submitted", "returned", "approved", "locked"])
    }
    made["reference"] = _value(indicator, city, 2024, None)
    counted = set(DataValue.objects.counted().values_list("pk", flat=True))
    assert counted == {made[k].pk for k in ("approved", "locked", "reference")}
    preview = set(DataValue.objects.counted(preview=True).values_list("pk", flat=True))
    assert preview == counted | {made["submitted"].pk}


def test_the_indicator_chart_draws_the_stored_threshold(clients, rounds, tmp_path):
    """儿童伤害死亡率 falls by 20 % from its 2020 value: 10 → a line at 8, stored by the
    recompute and drawn as stored (not derived again from whatever year the page sees)."""
    from planwatch.collection.batches import import_file

    path = tmp_path / "c2.csv"
    path.write_text(
        "indicator,org_unit,year,value\nC2-01,220112,2020,10\nC2-01,220112,2022,9.5\n"
        "C2-01,220112,2023,9.0\n"
    )
    ReportingRound.objects.get_or_create(
        year=2020,
        defaults={"opens_on": datetime.date(2021, 1, 1), "due_on": datetime.date(2021, 3, 1)},
    )
    assert import_file(path)[0].stored
    Submission.objects.update(status="approved")
    recompute(2023)
    result = queries.district_results(2023).get(target__code="C2-O1-1")
    assert result.threshold == pytest.approx(8.0)
    page = clients["office"].get(reverse("indicator_detail", args=["C2-01"]) + "?year=2023")
    chart = page.context["monitoring"]["chart"]
    assert chart["target"] == pytest.approx(8.0)
    assert json.dumps(chart["target"]) == json.dumps(result.threshold)


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


@pytest.mark.parametrize("package", ["reports", "exchange", "api"])
def test_documents_exchange_and_api_do_not_import_the_pages(package):
    """They stand beside the pages and read the read model below them (monitoring.queries)."""
    root = Path(planwatch.__file__).parent / package
    sideways = [
        (str(path.relative_to(root.parent)), module)
        for path in root.rglob("*.py")
        for module in _imports(path)
        if module == "planwatch.web" or module.startswith("planwatch.web.")
    ]
    assert sideways == []


def test_without_its_base_year_the_chart_draws_what_the_engine_judged(clients, rounds, tmp_path):
    """No 2020 value: the page used to take the first year it saw as the base and draw a line
    the evaluation never judged against; it now draws the stored threshold, whatever it is."""
    from planwatch.collection.batches import import_file

    path = tmp_path / "c2.csv"
    path.write_text("indicator,org_unit,year,value\nC2-01,220112,2022,9.5\nC2-01,220112,2023,9.0\n")
    assert import_file(path)[0].stored
    Submission.objects.update(status="approved")
    recompute(2023)
    result = queries.district_results(2023).get(target__code="C2-O1-1")
    page = clients["office"].get(reverse("indicator_detail", args=["C2-01"]) + "?year=2023")
    chart = page.context["monitoring"]["chart"]
    assert chart["target"] == result.threshold
    assert chart["target"] != pytest.approx(9.5 * 0.8)


@pytest.mark.parametrize(
    ("asked", "years", "expected"),
    [
        ("2023", [2022, 2023, 2024], 2023),
        ("2019", [2022, 2023, 2024], 2024),  # no results for it: the latest
        ("abc", [2022, 2023], 2023),
        (None, [2022, 2023], 2023),
        ("2023", [], None),
    ],
)
def test_the_year_asked_for_or_the_latest(asked, years, expected):
    """One year choice for the dashboards and the new-bulletin page."""
    assert queries.year_or_latest(asked, years) == expected
