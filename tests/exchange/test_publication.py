"""Publication: nothing unpublished is reachable without sign-in — not through the pages,
the exports, the static site, or guessed URLs."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client

from planwatch.audit.models import AuditEntry
from planwatch.catalog.models import Indicator
from planwatch.collection.batches import import_file
from planwatch.collection.models import ReportingRound, Submission
from planwatch.exchange.models import PublishedIndicator
from planwatch.monitoring.compute import recompute

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(db, tmp_path):
    for year in (2020, 2023, 2024):
        ReportingRound.objects.create(
            year=year, opens_on=datetime.date(year + 1, 1, 1), due_on=datetime.date(year + 1, 3, 1)
        )
    path = tmp_path / "v.csv"
    path.write_text(
        "indicator,org_unit,year,value\n"
        "C1-02,220112,2020,3.6\nC1-02,220112,2023,3.1\nC1-02,220112,2024,2.9\n"
        "C1-03,220112,2020,5.1\nC1-03,220112,2023,4.4\n"
    )
    assert import_file(path)[0].stored
    Submission.objects.filter(round__year__in=[2020, 2023]).update(status="approved")
    for year in (2023, 2024):
        recompute(year)
    PublishedIndicator.objects.create(
        indicator=Indicator.objects.get(code="C1-02"), from_year=2020, to_year=2024
    )


def test_public_pages_show_only_published_approved_values(data):
    anonymous = Client()
    index = anonymous.get("/public/").content.decode()
    assert "新生儿死亡率" in index
    assert "婴儿死亡率" not in index  # C1-03 is not published
    page = anonymous.get("/public/indicators/C1-02/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "3.1" in body and "3.6" in body
    assert "2.9" not in body  # 2024 is not approved yet, so it is not public
    assert anonymous.get("/public/indicators/C1-03/").status_code == 404
    assert anonymous.get("/public/indicators/NOPE/").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/overview/", "/warnings/", "/indicators/C1-03/", "/catalog/", "/warnings.xlsx", "/methods/"],
)
def test_signed_out_visitors_reach_nothing_else(data, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_sdmx_export_is_public_but_only_published(data):
    text = Client().get("/public/sdmx.csv").content.decode()
    assert "C1-02" in text and "C1-03" not in text
    assert ",2024," not in text


def test_static_site_contains_only_published_data(data, tmp_path):
    out = tmp_path / "site"
    call_command("publish", "--out", str(out), verbosity=0)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert "index.html" in files and "indicators/C1-02.html" in files
    assert "indicators/C1-03.html" not in files
    assert "static/planwatch/site.css" in files
    everything = "".join(
        (out / f).read_text(encoding="utf-8") for f in files if f.endswith((".html", ".csv"))
    )
    assert "婴儿死亡率" not in everything and "C1-03" not in everything
    assert "2.9" not in (out / "indicators" / "C1-02.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in (out / "indicators" / "C1-02.html").read_text("utf-8")


def test_only_the_plan_office_publishes_and_it_is_audited(data, clients):
    assert clients["leader"].get("/publication/").status_code == 403
    assert clients["stats"].post("/publication/", {}).status_code == 403
    response = clients["office"].post(
        "/publication/",
        {"pub-C1-03": "on", "from-C1-03": "2020", "to-C1-03": "2023"},
    )
    assert response.status_code == 302
    assert list(PublishedIndicator.objects.values_list("indicator__code", flat=True)) == ["C1-03"]
    entry = AuditEntry.objects.get(action="publication")
    assert entry.old == {"C1-02": [2020, 2024, False]}
    assert entry.new == {"C1-03": [2020, 2023, False]}
    assert Client().get("/public/indicators/C1-02/").status_code == 404


def test_only_published_reports_are_public(data, tmp_path, settings, users):
    from planwatch.reports import review
    from planwatch.reports.build import build_report, publish

    settings.MEDIA_ROOT = tmp_path / "media"
    kept = build_report("compilation", "children", 2023, author=users["office"])
    shown = build_report("compilation", "children", 2023, author=users["office"])
    # The office confirms publishing on data that are still incomplete (issue 12).
    review.submit(shown, by=users["office"])
    review.decide(shown, by=users["stats"], approve=True)
    review.decide(shown, by=users["office"], approve=True)
    publish(shown, by=users["office"], confirm_incomplete=True)
    anonymous = Client()
    assert anonymous.get(f"/public/reports/{kept.pk}/").status_code == 404
    download = anonymous.get(f"/public/reports/{shown.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"  # an .xlsx
    index = anonymous.get("/public/").content.decode()
    assert f"/public/reports/{shown.pk}/" in index
    assert f"/public/reports/{kept.pk}/" not in index
    out = tmp_path / "site"
    call_command("publish", "--out", str(out), verbosity=0)
    assert [p.name for p in (out / "reports").iterdir()] == [shown.file.name.rsplit("/", 1)[-1]]
