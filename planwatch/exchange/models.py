"""Mappings to other systems' codes, and what the plan office has made public."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planwatch.catalog.models import Indicator
from planwatch.org.models import OrgUnit


class Part(models.TextChoices):
    VALUE = "value", _("value")
    NUMERATOR = "numerator", _("numerator")
    DENOMINATOR = "denominator", _("denominator")


class Dhis2DataElement(models.Model):
    """One DHIS2 data element × category option combo ↔ one part of one of our series."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="dhis2")
    sex = models.CharField(max_length=6, blank=True, default="")
    age_group = models.CharField(max_length=20, blank=True, default="")
    residence = models.CharField(max_length=5, blank=True, default="")
    part = models.CharField(max_length=12, choices=Part.choices, default=Part.VALUE)
    data_element = models.CharField(_("DHIS2 data element"), max_length=60)
    category_option_combo = models.CharField(_("DHIS2 category option combo"), max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["data_element", "category_option_combo"], name="dhis2_de_coc_unique"
            ),
            models.UniqueConstraint(
                fields=["indicator", "sex", "age_group", "residence", "part"],
                name="dhis2_series_part_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data_element}.{self.category_option_combo} ↔ {self.indicator_id}"


class Dhis2OrgUnit(models.Model):
    org_unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="dhis2")
    code = models.CharField(_("DHIS2 org unit"), max_length=60, unique=True)

    def __str__(self) -> str:
        return f"{self.code} ↔ {self.org_unit_id}"


class PublishedIndicator(models.Model):
    """An indicator the plan office has made public, for a span of years."""

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="published")
    from_year = models.PositiveSmallIntegerField(default=2020)
    to_year = models.PositiveSmallIntegerField()
    # Reporters' comments are notes to the reviewers, not statements to the public: published
    # only when the plan office says so.
    comments_public = models.BooleanField(_("comments public"), default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    published_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator__code"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.from_year}–{self.to_year}"
