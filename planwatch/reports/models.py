"""Reports as stored documents, the plan office's own text, and departments' self-assessments."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from planwatch.audit.models import Channel
from planwatch.catalog.models import Department, Measure, Objective, Plan


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("annual monitoring report")
    MIDTERM = "midterm", _("mid-term evaluation report")
    FINAL = "final", _("final evaluation report")
    COMPILATION = "compilation", _("statistical compilation")
    FEEDBACK = "feedback", _("department feedback")


# The evaluation reports carry sections the plan office writes itself.
EVALUATION_KINDS = {ReportKind.MIDTERM, ReportKind.FINAL}


class BuildStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ReviewState(models.TextChoices):
    """草稿 → 审核（监测组，然后评估组）→ 印发; a return sends the version back to its authors."""

    DRAFT = "draft", _("draft")
    MONITORING = "monitoring", _("under review by the monitoring group")
    EVALUATION = "evaluation", _("under review by the evaluation group")
    APPROVED = "approved", _("approved, ready for publication")
    RETURNED = "returned", _("returned for revision")
    PUBLISHED = "published", _("published")


class Report(models.Model):
    """One built document: which data it was made from, by whom, and whether it is public."""

    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(
        _("status"), max_length=10, choices=BuildStatus.choices, default=BuildStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="reports/%Y/", blank=True)
    # The data the document was written from, so that it can be explained and rebuilt later.
    snapshot = models.JSONField(default=dict, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    demo = models.BooleanField(_("demo data"), default=False)
    review = models.CharField(
        _("review"), max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        # NULL departments never collide in a plain unique constraint: one constraint per case.
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "plan", "year", "version"],
                condition=Q(department__isnull=True),
                name="report_version_unique",
            ),
            models.UniqueConstraint(
                fields=["kind", "plan", "year", "department", "version"],
                condition=Q(department__isnull=False),
                name="report_department_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.year} {self.get_kind_display()} v{self.version}"

    @property
    def is_finished(self) -> bool:
        return self.status in {BuildStatus.DONE, BuildStatus.FAILED}

    @property
    def extension(self) -> str:
        return "xlsx" if self.kind == ReportKind.COMPILATION else "docx"

    @property
    def download_name(self) -> str:
        dept = f"-{self.department.code}" if self.department_id else ""
        return f"{self.plan.code}-{self.year}-{self.kind}{dept}-v{self.version}.{self.extension}"


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("submitted for review")
    APPROVE = "approve", _("approved")
    RETURN = "return", _("returned")
    PUBLISH = "publish", _("published")


class ReviewStep(models.Model):
    """One step of a report version's review, shown on the report page (and audited)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="review_steps")
    stage = models.CharField(max_length=12, choices=ReviewState.choices)
    action = models.CharField(max_length=10, choices=ReviewAction.choices)
    comment = models.TextField(_("comment"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self) -> str:
        return f"{self.report} {self.stage} {self.action}"


class SectionKey(models.TextChoices):
    OVERALL = "overall", _("overall judgement")
    ACHIEVEMENTS = "achievements", _("main achievements")
    PROBLEMS = "problems", _("main problems")
    RECOMMENDATIONS = "recommendations", _("recommendations")


class ReportSection(models.Model):
    """Text the plan office writes for a mid-term or final evaluation; the report quotes it."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=20, choices=SectionKey.choices)
    text = models.TextField(_("text"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "year", "key"], name="report_section_unique"
            )
        ]
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")

    def __str__(self) -> str:
        return f"{self.plan} {self.year} {self.kind} {self.key}"


class Rating(models.TextChoices):
    DONE = "done", _("completed")
    IN_PROGRESS = "in_progress", _("in progress")
    NOT_STARTED = "not_started", _("not started")


class SelfAssessment(models.Model):
    """自评: what one department did in one year for one measure or qualitative objective."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="self_assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="self_assessments"
    )
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="self_assessments"
    )
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    text = models.TextField(_("what was done"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "department__sort", "pk"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(measure__isnull=False, objective__isnull=True)
                    | Q(measure__isnull=True, objective__isnull=False)
                ),
                name="self_assessment_has_one_item",
            ),
            models.UniqueConstraint(
                fields=["department", "year", "measure"],
                condition=Q(measure__isnull=False),
                name="self_assessment_measure_unique",
            ),
            models.UniqueConstraint(
                fields=["department", "year", "objective"],
                condition=Q(objective__isnull=False),
                name="self_assessment_objective_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year} {self.item}"

    @property
    def item(self):
        return self.measure or self.objective


def evidence_path(instance: "Evidence", filename: str) -> str:
    # A random prefix keeps two files of the same name apart and makes paths unguessable.
    assessment = instance.assessment
    name = PurePath(filename).name
    return (
        f"self_assessments/{assessment.year}/{assessment.department.code}/"
        f"{uuid.uuid4().hex[:12]}-{name}"
    )


class Evidence(models.Model):
    """A file a department attaches to its self-assessment (a notice, minutes, photos)."""

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path, max_length=255)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name
