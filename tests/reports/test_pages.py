"""Report pages: building in the background with progress, download, publication, the office's
sections — and who may do what."""

import io

import pytest
from django.urls import reverse
from docx import Document

from planwatch.audit.models import AuditEntry
from planwatch.collection.models import ReportingRound
from planwatch.monitoring.models import SeriesResult
from planwatch.reports.build import build_report
from planwatch.reports.chapters import incompleteness
from planwatch.reports.models import Report, ReportSection

from .reading import body_text, cover_text

pytestmark = pytest.mark.usefixtures("demo_results")


def build_via_page(client, **data):
    return client.post(reverse("reports:build"), {"plan": "women", "year": "2024", **data})


def test_plan_office_builds_on_the_page_and_downloads_it(clients):
    response = build_via_page(clients["office"], kind="annual")
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    # The worker ran (inline in tests): the row says so, and the page shows it.
    assert report.status == "done" and report.progress == 100
    assert report.author.username == "t_office" and report.version == 1
    assert report.snapshot["year"] == 2024 and len(report.snapshot_sha256) == 64
    progress = clients["office"].get(reverse("reports:progress", args=[report.pk])).json()
    assert progress == {
        "status": "done",
        "status_label": progress["status_label"],
        "progress": 100,
        "stage": "完成",
        "done": True,
    }
    page = clients["office"].get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:download", args=[report.pk]) in page
    download = clients["office"].get(reverse("reports:download", args=[report.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert "women-2024-annual-v1.docx" in download["Content-Disposition"]
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "2024年统计监测报告" in cover_text(document)


def test_a_report_stays_downloadable_as_built_and_versions_count_up(clients):
    build_via_page(clients["stats"], kind="compilation")
    build_via_page(clients["stats"], kind="compilation")
    first, second = Report.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert first.snapshot_sha256 == second.snapshot_sha256  # same data …
    assert first.file.name != second.file.name  # … two kept documents
    listing = clients["leader"].get(reverse("reports:list") + "?kind=compilation&year=2024")
    assert list(listing.context["reports"]) == [second, first]
    assert not clients["leader"].get(reverse("reports:list") + "?kind=annual").context["reports"]


def test_feedback_for_every_responsible_department_at_once(clients):
    response = build_via_page(clients["office"], kind="feedback", department="")
    assert response.status_code == 302
    departments = set(Report.objects.values_list("department__code", flat=True))
    assert {"health", "education", "womens_federation"} <= departments
    assert Report.objects.filter(status="done").count() == len(departments)


@pytest.mark.parametrize("name", ["leader", "health", "yunshan", "norole"])
def test_only_the_plan_office_and_statistics_build(clients, name):
    assert clients[name].get(reverse("reports:build")).status_code == 403
    assert build_via_page(clients[name], kind="annual").status_code == 403
    assert not Report.objects.exists()


def test_anonymous_is_sent_to_sign_in(clients):
    response = clients["anonymous"].get(reverse("reports:list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_year_without_results_is_refused_on_the_form(clients):
    SeriesResult.objects.filter(as_of_year=2023).delete()  # approved values, not yet evaluated
    response = build_via_page(clients["office"], kind="annual", year="2023")
    assert response.status_code == 200
    assert "尚无2023年的评价结果" in response.content.decode()
    assert not Report.objects.exists()
    # The compilation needs values only.
    assert build_via_page(clients["office"], kind="compilation", year="2023").status_code == 302


def through_review(clients, report):
    """草稿 → 监测组 → 评估组 on the page, as the two groups do it."""
    url = reverse("reports:review", args=[report.pk])
    clients["office"].post(url, {"action": "submit"})
    clients["stats"].post(url, {"action": "approve"})
    clients["office"].post(url, {"action": "approve"})
    report.refresh_from_db()
    assert report.review == "approved"


def test_the_review_chain_goes_draft_monitoring_evaluation_then_publication(clients):
    ReportingRound.objects.filter(year=2024).update(status="locked")
    report = build_report("annual", "women", 2024)
    assert report.review == "draft"
    review, publish_url = (
        reverse(v, args=[report.pk]) for v in ("reports:review", "reports:publish")
    )
    clients["office"].post(publish_url)  # not before both groups approved
    report.refresh_from_db()
    assert not report.published
    clients["office"].post(review, {"action": "submit"})
    report.refresh_from_db()
    assert report.review == "monitoring"
    clients["office"].post(review, {"action": "approve"})  # not the 监测组's member
    clients["leader"].post(review, {"action": "approve"})
    report.refresh_from_db()
    assert report.review == "monitoring"
    clients["stats"].post(review, {"action": "return"})  # a return needs a comment
    report.refresh_from_db()
    assert report.review == "monitoring"
    clients["stats"].post(
        review, {"action": "return", "comment": "表2监测值与汇编不一致，请核对。"}
    )
    report.refresh_from_db()
    assert report.review == "returned"
    page = clients["office"].get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "表2监测值与汇编不一致，请核对。" in page and 'id="review-submit"' in page
    clients["office"].post(review, {"action": "submit"})
    clients["stats"].post(review, {"action": "approve"})
    report.refresh_from_db()
    assert report.review == "evaluation"
    clients["stats"].post(review, {"action": "approve"})  # the 评估组's turn, not the 监测组's
    report.refresh_from_db()
    assert report.review == "evaluation"
    clients["office"].post(review, {"action": "approve", "comment": "同意印发。"})
    report.refresh_from_db()
    assert report.review == "approved"
    clients["office"].post(publish_url)
    report.refresh_from_db()
    assert report.published and report.review == "published"
    steps = [(s.stage, s.action, s.user.username) for s in report.review_steps.all()]
    assert steps == [
        ("draft", "submit", "t_office"),
        ("monitoring", "return", "t_stats"),
        ("returned", "submit", "t_office"),
        ("monitoring", "approve", "t_stats"),
        ("evaluation", "approve", "t_office"),
        ("approved", "publish", "t_office"),
    ]
    audited = list(
        AuditEntry.objects.filter(action__startswith="report_review_")
        .order_by("pk")
        .values_list("action", "reason")
    )
    assert audited[1] == ("report_review_return", "表2监测值与汇编不一致，请核对。")
    assert len(audited) == 5 and AuditEntry.objects.filter(action="publish_report").count() == 1
    page = clients["leader"].get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "同意印发。" in page and 'id="review-approve"' not in page


def test_publish_is_for_the_plan_office_and_is_audited(clients):
    ReportingRound.objects.filter(year=2024).update(status="locked")  # a complete year
    report = build_report("compilation", "women", 2024)
    assert incompleteness(report.snapshot) == ""
    through_review(clients, report)
    url = reverse("reports:publish", args=[report.pk])
    for name in ("stats", "leader", "health"):
        assert clients[name].post(url).status_code == 403
    report.refresh_from_db()
    assert not report.published
    assert clients["office"].post(url).status_code == 302
    report.refresh_from_db()
    assert report.published and report.published_by.username == "t_office"
    entry = AuditEntry.objects.get(action="publish_report")
    assert entry.user.username == "t_office" and entry.object_key == str(report.pk)
    assert entry.new["sha256"] == report.document_sha256


def test_department_reporters_see_only_their_own_feedback(clients):
    own = build_report("feedback", "women", 2024, "health")
    other = build_report("feedback", "women", 2024, "education")
    annual = build_report("compilation", "women", 2024)
    listing = clients["health"].get(reverse("reports:list"))
    assert list(listing.context["reports"]) == [own]
    assert clients["health"].get(reverse("reports:detail", args=[own.pk])).status_code == 200
    assert clients["health"].get(reverse("reports:download", args=[own.pk])).status_code == 200
    for report in (other, annual):
        for view in ("reports:detail", "reports:download", "reports:progress"):
            assert clients["health"].get(reverse(view, args=[report.pk])).status_code == 403
    assert clients["yunshan"].get(reverse("reports:detail", args=[own.pk])).status_code == 403
    assert clients["yunshan"].get(reverse("reports:list")).status_code == 403
    assert clients["norole"].get(reverse("reports:list")).status_code == 403
    leader = clients["leader"].get(reverse("reports:list"))
    assert set(leader.context["reports"]) == {own, other, annual}
    assert clients["leader"].get(reverse("reports:download", args=[other.pk])).status_code == 200


def test_office_writes_the_sections_the_evaluation_prints(clients):
    url = reverse("reports:sections", args=["women", "midterm", 2024])
    data = {
        "overall": "总体进展良好。",
        "achievements": "",
        "problems": "",
        "recommendations": "完善部门协同机制。",
    }
    assert clients["leader"].get(url).status_code == 200
    assert clients["leader"].post(url, data).status_code == 403
    assert clients["stats"].post(url, data).status_code == 403
    assert clients["health"].get(url).status_code == 403
    assert clients["office"].post(url, data).status_code == 302
    assert dict(ReportSection.objects.values_list("key", "text")) == {
        "overall": "总体进展良好。",
        "recommendations": "完善部门协同机制。",
    }
    assert AuditEntry.objects.filter(action="report_section").count() == 2
    clients["office"].post(url, data)  # nothing changed: nothing recorded
    assert AuditEntry.objects.filter(action="report_section").count() == 2
    report = build_report("midterm", "women", 2024)
    text = "\n".join(body_text(Document(report.file.open("rb"))))
    assert "总体进展良好。" in text and "完善部门协同机制。" in text
    assert report.snapshot["sections"]["overall"] == "总体进展良好。"
    # The annual report has its 存在问题/对策建议 too, offered drafted from the data; the
    # compilation (tables only) has none.
    annual = clients["office"].get(reverse("reports:sections", args=["women", "annual", 2024]))
    assert annual.status_code == 200
    assert "领域，" in annual.context["form"].initial["problems"]
    assert "要针对" in annual.context["form"].initial["recommendations"]
    compilation = reverse("reports:sections", args=["women", "compilation", 2024])
    assert clients["office"].get(compilation).status_code == 404


def test_a_report_on_an_unlocked_year_says_so_and_needs_the_office_to_confirm(clients):
    ReportingRound.objects.filter(year=2024).update(status="open")
    report = build_report("annual", "women", 2024)
    document = Document(io.BytesIO(report.file.read()))
    assert "数据不完整：2024年数据尚未锁定" in cover_text(document)
    first = next(t for t in body_text(document) if t.startswith("特别提示。"))
    assert "尚未锁定" in first and "确认后方可印发" in first
    through_review(clients, report)
    url = reverse("reports:publish", args=[report.pk])
    page = clients["office"].get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'id="incomplete-data"' in page and 'name="confirm_incomplete"' in page
    clients["office"].post(url)
    report.refresh_from_db()
    assert not report.published  # refused without the office's confirmation
    clients["office"].post(url, {"confirm_incomplete": "1"})
    report.refresh_from_db()
    assert report.published
    entry = AuditEntry.objects.get(action="publish_report")
    assert "尚未锁定" in entry.new["confirmed_incomplete"]
