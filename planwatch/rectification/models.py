"""预警通报 and its 整改 items.

A bulletin freezes what it said when it was issued (indicator, value, target, reason): the
warnings it came from are recomputed and replaced with every recompute, the bulletin is not.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planwatch.catalog.models import Department, Indicator
from planwatch.org.models import OrgUnit


class Bulletin(models.Model):
    """预警通报, numbered like the office's other documents: 双妇儿工委办〔2026〕3号."""

    year = models.PositiveSmallIntegerField(_("year of issue"))
    number = models.PositiveSmallIntegerField(_("number"))
    monitoring_year = models.PositiveSmallIntegerField(_("monitoring year"))
    title = models.CharField(_("title"), max_length=200)
    preface = models.TextField(_("preface"), blank=True)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("rectification report due on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Issued on synthetic demo data: the document says 示例数据 on every page.
    demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="bulletin_number_per_year")
        ]
        verbose_name = _("warning bulletin")
        verbose_name_plural = _("warning bulletins")

    def __str__(self) -> str:
        return self.document_number

    @property
    def document_number(self) -> str:
        return f"{settings.PLANWATCH_BULLETIN_PREFIX}〔{self.year}〕{self.number}号"


class ItemStatus(models.TextChoices):
    OPEN = "open", _("awaiting rectification report")
    ANSWERED = "answered", _("answered, awaiting review")
    RETURNED = "returned", _("sent back")
    CLOSED = "closed", _("closed")


# Items a department still owes an answer for: late once the bulletin's date has passed.
AWAITING = (ItemStatus.OPEN, ItemStatus.RETURNED)


class RectificationItem(models.Model):
    """整改事项: one warned indicator for one responsible department in one bulletin."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="items")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="rectification_items"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    # What the bulletin said, as it said it.
    target_code = models.CharField(max_length=30)
    target_text = models.CharField(max_length=200)
    level = models.CharField(max_length=12)
    level_label = models.CharField(max_length=20)
    latest_year = models.PositiveSmallIntegerField(null=True)
    latest_text = models.CharField(max_length=60)
    reason = models.TextField()
    sort = models.PositiveIntegerField(default=0)
    # The department's answer and the office's decision.
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    measures = models.TextField(_("rectification measures"), blank=True)
    complete_by = models.DateField(_("to be completed by"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    office_comment = models.TextField(_("office comment"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["bulletin", "department__sort", "sort", "pk"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")

    def __str__(self) -> str:
        return f"{self.bulletin} {self.department} {self.indicator.code}"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """督办: an answer still owed after the bulletin's date. Derived from the date, not
        stored, so that no clock job has to flip it."""
        today = today or timezone.localdate()
        return self.status in AWAITING and today > self.bulletin.due_on

    def tracking_state(self, today: datetime.date | None = None) -> str:
        return "overdue" if self.is_overdue(today) else self.status


TRACKING_LABELS = {
    "open": "待反馈",
    "overdue": "逾期未反馈",
    "answered": "已反馈，待审核",
    "returned": "已退回，待重新反馈",
    "closed": "已办结",
}
