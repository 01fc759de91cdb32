"""Who a user is in the plans' organisation: one role, and the unit it is tied to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planwatch.catalog.models import Department
from planwatch.org.models import OrgUnit


class Role(models.TextChoices):
    PLAN_OFFICE = "plan_office", _("plan office")
    STATISTICS = "statistics", _("statistics bureau reviewer")
    DEPARTMENT = "department", _("department reporter")
    TOWNSHIP = "township", _("township reporter")
    LEADER = "leader", _("leader")
    ADMIN = "admin", _("system administrator")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="department") | models.Q(department__isnull=False),
                name="department_reporter_has_department",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="township") | models.Q(org_unit__isnull=False),
                name="township_reporter_has_org_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.username} ({self.get_role_display()})"


class Notice(models.Model):
    """An in-app message (e.g. a 催报 reminder), shown until the user has read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.text[:40]
