"""Departments' self-assessments: each writes its own, readers of everything read all, files are
limited and audited, and the reports quote what was written."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse
from docx import Document

from planwatch.audit.models import AuditEntry
from planwatch.catalog.models import Measure, Objective
from planwatch.reports import forms
from planwatch.reports.build import build_report
from planwatch.reports.models import Evidence, SelfAssessment

from .reading import body_text

pytestmark = pytest.mark.usefixtures("demo_results")
URL = reverse("reports:self_assessment", args=["health", 2024])


def health_measure():
    return Measure.objects.get(area__plan__code="women", area__number=1, number=4)


def post(client, measure, url=URL, **fields):
    prefix = f"m{measure.pk}"
    return client.post(url, {f"{prefix}-{k}": v for k, v in fields.items()})


def test_the_form_lists_what_the_department_answers_for(clients):
    page = clients["health"].get(URL)
    assert page.status_code == 200 and page.context["editable"]
    items = page.context["items"]
    measures = {i.obj.pk for i in items if i.kind == "m"}
    objectives = {i.obj.pk for i in items if i.kind == "o"}
    expected = Measure.objects.filter(
        Q(lead_department__code="health") | Q(co_departments__code="health")
    )
    assert measures == set(expected.values_list("pk", flat=True))
    assert health_measure().pk in measures
    qualitative = Objective.objects.filter(
        Q(lead_department__code="health") | Q(co_departments__code="health"),
        targets__isnull=True,
    )
    assert objectives == set(qualitative.values_list("pk", flat=True))
    assert not Objective.objects.filter(pk__in=objectives, targets__isnull=False).exists()


def test_a_department_saves_its_rating_text_and_evidence_audited(clients, media_root):
    measure = health_measure()
    pdf = SimpleUploadedFile("实施方案.pdf", b"%PDF-1.4 evidence", "application/pdf")
    response = post(
        clients["health"],
        measure,
        rating="in_progress",
        text="印发实施方案，开展培训3次",
        evidence=pdf,
    )
    assert response.status_code == 302
    assessment = SelfAssessment.objects.get()
    assert (assessment.department.code, assessment.year, assessment.measure) == (
        "health",
        2024,
        measure,
    )
    assert (assessment.rating, assessment.text) == ("in_progress", "印发实施方案，开展培训3次")
    evidence = Evidence.objects.get()
    assert evidence.name == "实施方案.pdf" and evidence.size == 17
    assert evidence.sha256 == hashlib.sha256(b"%PDF-1.4 evidence").hexdigest()
    path = media_root / evidence.file.name
    assert path.read_bytes() == b"%PDF-1.4 evidence"
    assert evidence.file.name.startswith("self_assessments/2024/health/")
    audit = AuditEntry.objects.filter(object_key=f"health/2024/m{measure.pk}")
    assert set(audit.values_list("action", flat=True)) == {"self_assessment", "add_evidence"}
    assert audit.get(action="self_assessment").new["rating"] == "in_progress"
    # Saving the same again changes nothing and records nothing.
    post(clients["health"], measure, rating="in_progress", text="印发实施方案，开展培训3次")
    assert audit.count() == 2
    download = clients["health"].get(reverse("reports:evidence", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence"


def test_text_without_a_rating_is_refused(clients):
    measure = health_measure()
    response = post(clients["health"], measure, text="做了一些工作")
    assert response.status_code == 200
    item = next(i for i in response.context["items"] if i.obj == measure)
    assert item.form.non_field_errors()
    assert 'class="has-error"' in response.content.decode()
    assert not SelfAssessment.objects.exists()


def test_evidence_is_limited_in_size_and_type(clients, monkeypatch):
    monkeypatch.setattr(forms, "EVIDENCE_MAX_BYTES", 10)
    big = SimpleUploadedFile("big.pdf", b"x" * 11)
    assert post(clients["health"], health_measure(), rating="done", evidence=big).status_code == 200
    script = SimpleUploadedFile("run.exe", b"MZ")
    assert (
        post(clients["health"], health_measure(), rating="done", evidence=script).status_code == 200
    )
    assert not Evidence.objects.exists() and not SelfAssessment.objects.exists()


def test_another_department_is_refused_and_readers_only_read(clients):
    measure = health_measure()
    post(clients["health"], measure, rating="done", evidence=SimpleUploadedFile("a.pdf", b"%PDF"))
    evidence = Evidence.objects.get()
    for name in ("education", "yunshan", "norole"):
        assert clients[name].get(URL).status_code == 403, name
        assert post(clients[name], measure, rating="not_started").status_code == 403, name
        assert clients[name].get(reverse("reports:evidence", args=[evidence.pk])).status_code == 403
    for name in ("leader", "office", "stats"):
        page = clients[name].get(URL)
        assert page.status_code == 200 and not page.context["editable"], name
        assert f'name="m{measure.pk}-rating"' not in page.content.decode()
        assert post(clients[name], measure, rating="not_started").status_code == 403, name
        assert clients[name].get(reverse("reports:evidence", args=[evidence.pk])).status_code == 200
    delete = reverse("reports:evidence_delete", args=[evidence.pk])
    assert clients["leader"].post(delete).status_code == 403
    assert clients["education"].post(delete).status_code == 403
    assert SelfAssessment.objects.get().rating == "done"
    assert clients["anonymous"].get(URL).status_code == 302


def test_removing_evidence_deletes_the_file_and_is_audited(
    clients, media_root, django_capture_on_commit_callbacks
):
    post(
        clients["health"],
        health_measure(),
        rating="done",
        evidence=SimpleUploadedFile("a.pdf", b"%PDF"),
    )
    evidence = Evidence.objects.get()
    path = media_root / evidence.file.name
    assert path.exists()
    url = reverse("reports:evidence_delete", args=[evidence.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert clients["health"].post(url).status_code == 302
    assert not Evidence.objects.exists() and not path.exists()
    entry = AuditEntry.objects.get(action="remove_evidence")
    assert entry.old["file"] == "a.pdf" and entry.user.username == "t_health"


def test_the_index_sends_a_department_to_its_own_form(clients):
    response = clients["health"].get(reverse("reports:self_assessment_index"))
    assert response.status_code == 302 and "/health/" in response["Location"]
    listing = clients["leader"].get(reverse("reports:self_assessment_index"))
    assert "health" in {d.code for d in listing.context["departments"]}
    assert clients["yunshan"].get(reverse("reports:self_assessment_index")).status_code == 403


def test_reports_quote_the_self_assessment(clients):
    measure = health_measure()
    post(
        clients["health"],
        measure,
        rating="in_progress",
        text="印发实施方案",
        evidence=SimpleUploadedFile("方案.pdf", b"%PDF"),
    )
    report = build_report("feedback", "women", 2024, "health")
    text = "\n".join(body_text(Document(report.file.open("rb"))))
    assert "卫健局【推进中】印发实施方案（佐证材料：方案.pdf）" in text
    quoted = report.snapshot["areas"][0]["measures"]
    assert any(m["number"] == 4 and m["assessments"][0]["rating"] == "in_progress" for m in quoted)
