"""Derived evaluation results: recomputed from approved values, never edited by hand."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from planwatch.catalog.models import Indicator, Target
from planwatch.org.models import OrgUnit


class Status(models.TextChoices):
    ATTAINED = "attained", _("attained")
    ON_TRACK = "on_track", _("on track")
    NEEDS_ACCELERATION = "needs_acceleration", _("needs acceleration")
    OFF_TRACK = "off_track", _("off track")
    REGRESSING = "regressing", _("regressing")
    INSUFFICIENT_DATA = "insufficient_data", _("insufficient data")
    NO_DATA = "no_data", _("no data")


# Cache key of the years that have stored results (dashboards' year selector).
RESULT_YEARS_KEY = "planwatch:result-years"

# The public face of a result, the same in the API and in every export.
RESULT_FIELDS = [
    "target",
    "indicator",
    "org_unit",
    "sex",
    "age_group",
    "residence",
    "as_of_year",
    "status",
    "latest_year",
    "latest_value",
    "projected_value",
    "p_ratio",
    "completion_progress",
    "time_progress",
    "attainment_probability",
    "explanation",
    "evidence",
    "pooled_first_year",
    "pooled_last_year",
    "pooled_events",
    "pooled_exposure",
    "pooled_rate",
    "pooled_lo95",
    "pooled_hi95",
    "pooled_reliable",
]


class Evidence(models.TextChoices):
    STRONG = "strong", _("strong")
    WEAK = "weak", _("weak (small numbers)")


class SeriesResult(models.Model):
    """One target judged on one series (org unit × disaggregation) as of one year."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="results")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="results")
    sex = models.CharField(max_length=6, blank=True, default="")
    age_group = models.CharField(max_length=20, blank=True, default="")
    residence = models.CharField(max_length=5, blank=True, default="")
    as_of_year = models.PositiveSmallIntegerField()
    # A preview includes submitted, not yet approved values and is always marked as such.
    preview = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices)
    rule = models.CharField(max_length=120, blank=True)
    latest_year = models.PositiveSmallIntegerField(null=True)
    latest_value = models.FloatField(null=True)
    projected_value = models.FloatField(null=True)
    p_ratio = models.FloatField(null=True)
    completion_progress = models.FloatField(null=True)
    time_progress = models.FloatField(null=True)
    progress_gap_points = models.FloatField(null=True)
    attainment_probability = models.FloatField(null=True)
    explanation = models.TextField(blank=True)
    # The same sentence in English (evaluation/english.py), read by English pages.
    explanation_en = models.TextField(blank=True, default="")
    # Whether the status rests on reliable figures (small-numbers rules, docs/methods.md).
    evidence = models.CharField(max_length=6, choices=Evidence.choices, default=Evidence.STRONG)
    # The pooled figure of the last years with counts (null without counts); the latest
    # year's figure, the funnel plot and the gaps are in ``detail``.
    pooled_first_year = models.PositiveSmallIntegerField(null=True)
    pooled_last_year = models.PositiveSmallIntegerField(null=True)
    pooled_events = models.FloatField(null=True)
    pooled_exposure = models.FloatField(null=True)
    pooled_rate = models.FloatField(null=True)
    pooled_lo95 = models.FloatField(null=True)
    pooled_hi95 = models.FloatField(null=True)
    pooled_reliable = models.BooleanField(null=True)
    detail = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "target",
                    "org_unit",
                    "sex",
                    "age_group",
                    "residence",
                    "as_of_year",
                    "preview",
                ],
                name="seriesresult_key",
            )
        ]
        indexes = [
            models.Index(fields=["as_of_year", "preview", "status"]),
            # Dashboards read one unit's results for one year out of every unit's.
            models.Index(fields=["org_unit", "as_of_year", "preview"]),
        ]

    def __str__(self) -> str:
        return f"{self.target_id}/{self.org_unit_id}/{self.as_of_year}: {self.status}"

    @property
    def latest_figure(self) -> dict | None:
        return self.detail.get("latest") if self.detail else None

    @property
    def threshold(self) -> float | None:
        """The value the target is judged against, as the engine set it (a reduction by a
        share is relative to the base year's value): every target line is drawn from it."""
        return self.detail.get("threshold") if self.detail else None

    @property
    def funnel(self) -> dict | None:
        return self.detail.get("funnel") if self.detail else None

    @property
    def gaps(self) -> dict:
        return (self.detail.get("gaps") if self.detail else None) or {}

    @property
    def is_total(self) -> bool:
        return not (self.sex or self.age_group or self.residence)


class WarningLevel(models.TextChoices):
    RED = "red", _("red")
    YELLOW = "yellow", _("yellow")
    VOLATILITY = "volatility", _("volatility")
    DATA = "data", _("missing data")
    # A red judgement on figures too small to be reliable: 小样本，需持续观察.
    SMALL_SAMPLE = "small_sample", _("small numbers, keep watching")


class Warning(models.Model):
    """预警: one warning on one stored result, with its reason in Chinese."""

    result = models.ForeignKey(SeriesResult, on_delete=models.CASCADE, related_name="warnings")
    level = models.CharField(max_length=12, choices=WarningLevel.choices)
    kind = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField(null=True)
    reason = models.TextField()
    reason_en = models.TextField(blank=True, default="")
    # The test behind a volatility warning (method, counts, p, modified z): the methods annex
    # prints it, the reason in plain words does not.
    statistics = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["level"])]

    def __str__(self) -> str:
        return f"{self.level}: {self.reason[:40]}"


class Comparison(models.Model):
    """One indicator's gaps between groups and its townships' ranking as of one year, derived
    by the recompute (monitoring/comparisons.py) and read unchanged by pages and reports."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    as_of_year = models.PositiveSmallIntegerField()
    preview = models.BooleanField(default=False)
    # {axis: {"a": {year: value}, "b": {year: value}, "gap": pair_gap's dict}}
    gaps = models.JSONField(default=dict)
    ranking = models.JSONField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "as_of_year", "preview"], name="comparison_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.as_of_year}"


class RecomputeRequest(models.Model):
    """Outbox of the incremental recompute: approved data of a submission changed. The row is
    the task's key: a request made again before its task ran is one request (and one run);
    one made while its task runs raises the generation, so that run does not clear it and the
    next one recomputes again."""

    key = models.CharField(max_length=60, unique=True)
    submission_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    generation = models.PositiveIntegerField(default=1)
    requested_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key} ({self.generation})"
