"""Yearly collection: rounds, department submissions, the data values and their history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planwatch.audit.models import Channel
from planwatch.catalog.models import Department, Indicator
from planwatch.org.models import Level, OrgUnit

TOTAL = ""  # the empty code means "all" on every disaggregation axis


class Sex(models.TextChoices):
    TOTAL = "", _("total")
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class Residence(models.TextChoices):
    TOTAL = "", _("total")
    URBAN = "urban", _("urban")
    RURAL = "rural", _("rural")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open")
    LOCKED = "locked", _("locked")


class ReportingRound(models.Model):
    """填报任务: one year's collection."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")

    def __str__(self) -> str:
        return f"{self.year}年度填报"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")
    LOCKED = "locked", _("locked")


# States in which the department may still change its values.
EDITABLE_STATES = {SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}
# States whose values feed evaluation and reports.
APPROVED_STATES = {SubmissionStatus.APPROVED, SubmissionStatus.LOCKED}


class Submission(models.Model):
    """报送: one reporter's values for one round, reviewed as a whole. The reporter is a
    department or a township (the values its own reporter enters for it), never both."""

    round = models.ForeignKey(ReportingRound, on_delete=models.PROTECT, related_name="submissions")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    township = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
        limit_choices_to={"level": Level.TOWNSHIP},
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "department__sort", "township__sort"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "department"],
                condition=models.Q(department__isnull=False),
                name="submission_unique",
            ),
            models.UniqueConstraint(
                fields=["round", "township"],
                condition=models.Q(township__isnull=False),
                name="submission_unique_township",
            ),
            models.CheckConstraint(
                condition=models.Q(department__isnull=False, township__isnull=True)
                | models.Q(department__isnull=True, township__isnull=False),
                name="submission_one_reporter",
            ),
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.round} {self.reporter_name}"

    @property
    def reporter(self):
        """The department or the township whose submission this is."""
        return self.department if self.department_id is not None else self.township

    @property
    def reporter_name(self) -> str:
        return self.reporter.name

    @property
    def reporter_code(self) -> str:
        return self.reporter.code

    @property
    def entry_query(self) -> str:
        """The entry form's query string for this reporter's form."""
        if self.department_id is not None:
            return f"?department={self.department.code}"
        return f"?org_unit={self.township.code}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATES


class DataValueQuerySet(models.QuerySet):
    def counted(self, *, preview: bool = False):
        """The values that count: those of approved (or locked) submissions, and the
        reference units' published values, which belong to no submission. A preview counts
        the submitted ones too. Evaluation, pages, reports, exports and DHIS2 read these."""
        states = set(APPROVED_STATES) | ({SubmissionStatus.SUBMITTED} if preview else set())
        return self.filter(
            models.Q(submission__status__in=states) | models.Q(submission__isnull=True)
        )


class DataValue(models.Model):
    """The fact table: one number per indicator × org unit × year × disaggregation."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True, default="")
    age_group = models.CharField(_("age group"), max_length=20, blank=True, default="")
    residence = models.CharField(
        _("residence"), max_length=5, choices=Residence.choices, blank=True, default=""
    )
    value = models.FloatField(_("value"))
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, default="")
    # The reporter's comment is printed in the compilation's 备注 only when the reviewer says so.
    comment_in_report = models.BooleanField(
        _("comment printed in the compilation"), default=False, db_default=False
    )
    source = models.CharField(_("source"), max_length=10, choices=Channel.choices)
    # Reference units' published values belong to no submission.
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="values"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(_("updated at"))
    # Raised by every update: a confirm applies exactly what its preview showed only if no
    # stored row it touches has moved since (Importer's stamp).
    version = models.PositiveIntegerField(default=1, db_default=1)

    objects = DataValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "org_unit", "year", "sex", "age_group", "residence"],
                name="datavalue_key",
            )
        ]
        indexes = [models.Index(fields=["year", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.org_unit_id}/{self.year}: {self.value:g}"


class ValueChange(models.Model):
    """The history of every value: written in the same statement as the change itself.

    Keyed by the value's natural key rather than its id, so that a bulk import writes values
    and history in one pass, and history survives even a deleted value.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=6, blank=True, default="")
    age_group = models.CharField(max_length=20, blank=True, default="")
    residence = models.CharField(max_length=5, blank=True, default="")
    old_value = models.FloatField(null=True)
    new_value = models.FloatField(null=True)
    old_numerator = models.FloatField(null=True)
    new_numerator = models.FloatField(null=True)
    old_denominator = models.FloatField(null=True)
    new_denominator = models.FloatField(null=True)
    comment = models.TextField(blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField()
    reason = models.TextField(blank=True, default="")
    batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(
                fields=["indicator", "org_unit", "year", "sex", "age_group", "residence"],
                name="valuechange_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.old_value} → {self.new_value}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("value history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("value history is append-only")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("checking")
    CHECKED = "checked", _("checked, waiting for confirmation")
    REFUSED = "refused", _("refused")
    STORED = "stored", _("stored")
    FAILED = "failed", _("failed")


class ImportBatch(models.Model):
    """One uploaded file: its checks, its preview, and — once confirmed — what it stored."""

    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    n_new = models.PositiveIntegerField(default=0)
    n_changed = models.PositiveIntegerField(default=0)
    n_unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    # The stored state the preview was computed on (see Importer._stamp): confirming applies
    # the previewed diff only while the stored rows are still in this state.
    stamp = models.JSONField(null=True, blank=True)
    # Stamped by whatever process runs the batch, while it runs (collection/leases.py).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")


class UnlockRequest(models.Model):
    """解锁申请: a department asks to change an approved (or locked) submission."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="unlock_requests"
    )
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("unlock request")
        verbose_name_plural = _("unlock requests")

    def __str__(self) -> str:
        return f"{self.submission} {self.get_status_display()}"


class QueryStatus(models.TextChoices):
    OPEN = "open", _("awaiting answer")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class DataQuery(models.Model):
    """质询: the reviewer's question on one cell; the reporter answers it (and may correct)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="queries")
    value = models.ForeignKey(DataValue, on_delete=models.CASCADE, related_name="queries")
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=QueryStatus.choices, default=QueryStatus.OPEN
    )

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("data query")
        verbose_name_plural = _("data queries")

    def __str__(self) -> str:
        return f"#{self.pk} {self.value}"
