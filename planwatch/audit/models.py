"""An append-only record of every change: who, when, what was before and after, how, why."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("web page")
    EXCEL = "excel", _("Excel upload")
    CSV = "csv", _("CSV file")
    API = "api", _("API")
    CLI = "cli", _("command line")
    SYSTEM = "system", _("system")
    DEMO = "demo", _("synthetic demo data")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(_("action"), max_length=50)
    object_type = models.CharField(_("object type"), max_length=50)
    object_key = models.CharField(_("object"), max_length=200, db_index=True)
    old = models.JSONField(_("before"), null=True, blank=True)
    new = models.JSONField(_("after"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_key"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_key}"

    def save(self, *args, **kwargs):
        # Nobody edits the record: an entry is written once and never changed.
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")


def record(*, user, action, obj_type, key, old=None, new=None, channel, reason="") -> AuditEntry:
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=obj_type,
        object_key=key,
        old=old,
        new=new,
        channel=channel,
        reason=reason,
    )
