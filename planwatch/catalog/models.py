"""The two plans as structured data: areas, objectives, measures, indicators and targets.

Everything here is loaded from the versioned data files in `catalog/data/` by
`planwatch load_catalog`; codes are the stable keys that collected data refers to.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)  # "women" | "children"
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    document = models.CharField(_("issuing document"), max_length=100, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        ordering = ["plan__sort", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="area_unique")]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A member unit of the plan office (成员单位): the plans name it as lead or co-responsible for
    objectives, measures and indicators, and it reports their data.

    It lives in the catalog, beside the plans that name it, so that the catalog stands on nothing
    above it; users, submissions and reports refer to it from the layers above.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.short_name or self.name


class ResponsibleMixin(models.Model):
    """Lead and co-responsible departments, editable by the plan office.

    `file_departments` remembers what the data file said when it was last loaded, so that a
    reload changes responsibilities only where the file itself changed and keeps the plan
    office's own edits otherwise.
    """

    lead_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)s_lead",
        verbose_name=_("lead department"),
    )
    co_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="%(class)s_co",
        verbose_name=_("co-responsible departments"),
    )
    file_departments = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        abstract = True

    def department_codes(self) -> list[str]:
        codes = [self.lead_department.code] if self.lead_department else []
        return codes + sorted(d.code for d in self.co_departments.all())

    def all_departments(self) -> list[Department]:
        lead = [self.lead_department] if self.lead_department else []
        return lead + [d for d in self.co_departments.all() if d not in lead]


class Objective(ResponsibleMixin):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["area__plan__sort", "area__number", "number"]
        constraints = [models.UniqueConstraint(fields=["area", "number"], name="objective_unique")]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return f"{self.area.name} {self.number}"

    @property
    def quantitative(self) -> bool:
        return self.targets.exists()


class Measure(ResponsibleMixin):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["area__plan__sort", "area__number", "number"]
        constraints = [models.UniqueConstraint(fields=["area", "number"], name="measure_unique")]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return f"{self.area.name} M{self.number}"


class Scale(models.TextChoices):
    PERCENT = "percent", _("percent")
    PERMILLE = "permille", _("per mille")
    PER_100K = "per_100k", _("per 100,000")
    PER_1000_POPULATION = "per_1000_population", _("per 1,000 population")
    PER_1000_CHILDREN = "per_1000_children", _("per 1,000 children")
    COUNT = "count", _("count")
    HOURS_PER_DAY = "hours_per_day", _("hours per day")
    MINUTES = "minutes", _("minutes")
    YEARS = "years", _("years")


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Computation(models.TextChoices):
    DIRECT = "direct", _("direct value")
    RATIO = "ratio", _("numerator / denominator × factor")


class Origin(models.TextChoices):
    """Why an indicator is monitored: the plan sets it, the national 纲要 monitoring carries it
    (纲要监测指标), or the plan office added it (扩充调整指标). The last two have no numeric
    target in the district plan; reports and pages mark them."""

    PLAN = "plan", _("plan indicator")
    NATIONAL = "national", _("national outline monitoring indicator")
    SUPPLEMENTARY = "supplementary", _("indicator added by the plan office")


class Disaggregation(models.TextChoices):
    SEX = "sex", _("sex")
    AGE_GROUP = "age_group", _("age group")
    RESIDENCE = "residence", _("urban / rural")


class Indicator(ResponsibleMixin):
    code = models.CharField(_("code"), max_length=20, unique=True)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    scale = models.CharField(_("scale"), max_length=30, choices=Scale.choices)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    computation = models.CharField(
        _("computation"), max_length=10, choices=Computation.choices, default=Computation.DIRECT
    )
    numerator = models.CharField(_("numerator"), max_length=200, blank=True)
    denominator = models.CharField(_("denominator"), max_length=200, blank=True)
    factor = models.PositiveIntegerField(_("factor"), null=True, blank=True)
    # A share's numerator is part of its denominator, so it can never pass 100 %.
    is_share = models.BooleanField(_("share of a whole"), default=False)
    # Years with counts pooled into one figure for small numbers (docs/methods.md §9).
    pooled_years = models.PositiveSmallIntegerField(_("years pooled"), default=3)
    disaggregations = models.JSONField(_("disaggregations"), default=list, blank=True)
    # [{"code": "35-44", "name": "35-44岁"}, ...] where age_group is a disaggregation.
    age_groups = models.JSONField(_("age groups"), default=list, blank=True)
    org_levels = models.JSONField(_("org unit levels"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Taken out of the data file but kept, because collected values may refer to it.
    retired = models.BooleanField(_("retired"), default=False)
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.PLAN
    )
    # Where a national or supplementary indicator comes from: the national monitoring
    # indicator and the document that defines it, or the office's reason for adding it.
    origin_source = models.TextField(_("source of the indicator"), blank=True)

    class Meta:
        ordering = ["plan__sort", "area__number", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def plans(self) -> list[Plan]:
        """Every plan that sets a target on this statistic, its home plan first."""
        plans = [self.plan]
        for target in self.targets.select_related("area__plan"):
            if target.area and target.area.plan not in plans:
                plans.append(target.area.plan)
        return plans

    def disaggregation_labels(self) -> list[str]:
        labels = dict(Disaggregation.choices)
        return [str(labels.get(code, code)) for code in self.disaggregations]

    @property
    def value_suffix(self) -> str:
        """The unit as written after a number: 12/10万, 3.0‰, 95%, 4.5个/千人口."""
        return self.unit[1:] if self.unit.startswith("1/") else self.unit

    @property
    def monitored_only(self) -> bool:
        """Monitored without a numeric target of the district plan (纲要监测 / 扩充调整)."""
        return self.origin != Origin.PLAN

    @property
    def valid_range(self) -> tuple[float, float | None]:
        upper = 100.0 if self.scale == Scale.PERCENT and self.is_share else None
        return (0.0, upper)


class Comparator(models.TextChoices):
    LE = "<=", _("at most (以下)")
    LT = "<", _("below")
    GE = ">=", _("at least (以上)")
    GT = ">", _("above")
    EQ = "=", _("equal to")
    MAINTAIN_GE = "maintain>=", _("maintain at least (保持在…以上)")
    MAINTAIN_LE = "maintain<=", _("maintain at most")
    REDUCE_BY_PCT = "reduce_by_pct", _("reduce by percent from base year")
    # Directional objectives (逐步提高, 持续下降, 稳定在较高水平): no value, judged on the change.
    INCREASE = "increase", _("increase (提高)")
    DECREASE = "decrease", _("decrease (下降)")
    MAINTAIN_HIGH = "maintain_high", _("stay at a high level (稳定在较高水平)")


DIRECTIONAL_COMPARATORS = (Comparator.INCREASE, Comparator.DECREASE, Comparator.MAINTAIN_HIGH)


class Scope(models.TextChoices):
    DISTRICT = "district", _("the district as a whole")
    EACH_TOWNSHIP = "each_township", _("every township separately")
    EACH_COMMUNITY = "each_community", _("every community / village separately")
    EACH_FACILITY = "each_facility", _("every facility separately")
    EACH_SCHOOL = "each_school", _("every school separately")


class Target(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    # The plan area whose objective or measure sets the target. An indicator shared by both
    # plans (one statistic, one series) has targets in areas of each plan, so the plan a result
    # belongs to is the target's, not the indicator's.
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("area"),
    )
    comparator = models.CharField(_("comparator"), max_length=20, choices=Comparator.choices)
    # None for a directional target, which has no number (a constraint keeps the others set).
    value = models.FloatField(_("target value"), null=True, blank=True)
    # The plan's own words for a directional target ("逐步提高", "明显提高"), shown as its target.
    wording = models.CharField(_("wording"), max_length=30, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    base_year = models.PositiveSmallIntegerField(_("base year"), default=2020)
    target_year = models.PositiveSmallIntegerField(_("target year"), default=2030)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default="district")
    quote = models.TextField(_("quote"))
    note = models.TextField(_("note"), blank=True)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(objective__isnull=False, measure__isnull=True)
                    | models.Q(objective__isnull=True, measure__isnull=False)
                ),
                name="target_has_one_source",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(comparator__in=DIRECTIONAL_COMPARATORS, value__isnull=True)
                    | (
                        ~models.Q(comparator__in=DIRECTIONAL_COMPARATORS)
                        & models.Q(value__isnull=False)
                    )
                ),
                name="target_value_unless_directional",
            ),
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.code} {self.comparator}"
        return f"{self.code} {self.comparator} {self.value:g}{self.unit}"

    def save(self, *args, **kwargs):
        source = self.objective or self.measure
        if source is not None:
            self.area_id = source.area_id
        super().save(*args, **kwargs)

    @property
    def directional(self) -> bool:
        return self.comparator in DIRECTIONAL_COMPARATORS

    @property
    def plan(self) -> Plan:
        return self.area.plan

    @property
    def source(self) -> str:
        return "objective" if self.objective_id else "measure"

    @property
    def source_item(self):
        return self.objective or self.measure

    @property
    def source_number(self) -> str:
        return str(self.objective.number) if self.objective_id else f"M{self.measure.number}"
