"""The places data belongs to: the statistical division tree of org units.

The member departments that report it are the plans' own (catalog.Department).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """Depth in the statistical division tree; the district is where the plans live."""

    NATION = 0, _("nation")
    PROVINCE = 1, _("province")
    CITY = 2, _("city")
    DISTRICT = 3, _("district")
    TOWNSHIP = 4, _("township")  # 街道, 镇, 乡 and 民族乡 alike: the 乡镇级 level
    VILLAGE = 5, _("village / community")


class OrgUnitQuerySet(models.QuerySet):
    def home_district(self) -> "OrgUnit":
        """The district this installation monitors (settings.PLANWATCH_DISTRICT_CODE): other
        districts may share the database, as reference units or at national scale."""
        return self.get(code=settings.PLANWATCH_DISTRICT_CODE)

    def home_townships(self):
        return self.filter(
            parent__code=settings.PLANWATCH_DISTRICT_CODE, level=Level.TOWNSHIP
        ).order_by("sort", "code")

    def home_units(self):
        """The district, its townships and the reference units (city, province): what the
        district's pages list. A database at national scale holds thousands more."""
        code = settings.PLANWATCH_DISTRICT_CODE
        return self.filter(
            models.Q(code=code)
            | models.Q(parent__code=code, level=Level.TOWNSHIP)
            | models.Q(is_reference=True)
        )


class OrgUnit(models.Model):
    code = models.CharField(_("statistical code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    # 街道 / 镇 / 乡 / 民族乡 / 社区 / 村: what the unit is called, beside its depth.
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Units above the district only carry published reference values (市, 省, 全国).
    is_reference = models.BooleanField(_("reference unit"), default=False)
    sort = models.PositiveIntegerField(default=0)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["level", "sort", "code"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["OrgUnit"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def is_within(self, other: "OrgUnit") -> bool:
        return self.pk == other.pk or any(a.pk == other.pk for a in self.ancestors())
