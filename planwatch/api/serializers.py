"""What the API says about each object: codes, not database ids, wherever a code exists."""

from rest_framework import serializers

from planwatch.catalog.models import Area, Department, Indicator, Measure, Objective, Plan, Target
from planwatch.collection.long_format import LONG_COLUMNS
from planwatch.collection.models import DataValue, Submission
from planwatch.collection.strict import is_plain_number
from planwatch.monitoring.models import RESULT_FIELDS, SeriesResult, Warning
from planwatch.org.models import OrgUnit


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["number", "name", "name_en"]


class PlanSerializer(serializers.ModelSerializer):
    areas = AreaSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["code", "name", "name_en", "document", "start_year", "end_year", "areas"]


class DepartmentCodes(serializers.Serializer):
    lead = serializers.CharField(allow_null=True)
    co = serializers.ListField(child=serializers.CharField())


class ResponsibleSerializer(serializers.ModelSerializer):
    departments = serializers.SerializerMethodField()

    def get_departments(self, obj) -> DepartmentCodes:
        return {
            "lead": obj.lead_department.code if obj.lead_department else None,
            "co": sorted(d.code for d in obj.co_departments.all()),
        }


class ObjectiveSerializer(ResponsibleSerializer):
    plan = serializers.CharField(source="area.plan.code")
    area = serializers.IntegerField(source="area.number")

    class Meta:
        model = Objective
        fields = ["id", "plan", "area", "number", "text", "departments"]


class MeasureSerializer(ResponsibleSerializer):
    plan = serializers.CharField(source="area.plan.code")
    area = serializers.IntegerField(source="area.number")

    class Meta:
        model = Measure
        fields = ["id", "plan", "area", "number", "title", "text", "departments"]


class IndicatorSerializer(ResponsibleSerializer):
    plan = serializers.CharField(source="plan.code")
    area = serializers.IntegerField(source="area.number")
    disaggregations = serializers.ListField(child=serializers.CharField())
    org_levels = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Indicator
        fields = [
            "code",
            "plan",
            "area",
            "name",
            "name_en",
            "scale",
            "unit",
            "direction",
            "computation",
            "numerator",
            "denominator",
            "factor",
            "is_share",
            "disaggregations",
            "org_levels",
            "departments",
            "retired",
            "origin",
        ]


class TargetSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="area.plan.code")
    indicator = serializers.CharField(source="indicator.code")
    source = serializers.CharField(read_only=True)
    source_number = serializers.CharField(read_only=True)

    class Meta:
        model = Target
        fields = [
            "code",
            "plan",
            "indicator",
            "source",
            "source_number",
            "comparator",
            "value",
            "wording",
            "unit",
            "base_year",
            "target_year",
            "scope",
            "quote",
            "note",
        ]


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "name_en", "level", "kind", "parent", "is_reference"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name", "short_name", "name_en", "active"]


class DataValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    org_unit = serializers.CharField(source="org_unit.code")
    approval = serializers.SerializerMethodField()

    class Meta:
        model = DataValue
        # The long format's own columns, in its order, then what the API adds.
        fields = ["id", *LONG_COLUMNS, "source", "approval", "updated_at"]

    def get_approval(self, obj) -> str:
        return obj.submission.status if obj.submission_id else "published"


class StrictFloatField(serializers.FloatField):
    """A JSON number, or a text in plain decimal notation: DRF's own float() would read
    "9_7" as 97 (see collection/strict.py)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or (isinstance(data, str) and not is_plain_number(data.strip())):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer, or a text of ASCII digits only ("2_024" is not a year)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or (
            isinstance(data, str) and not (data.strip().isascii() and data.strip().isdigit())
        ):
            self.fail("invalid")
        return super().to_internal_value(data)


class ValueRowSerializer(serializers.Serializer):
    """One row of the canonical long format, as the importer reads it."""

    indicator = serializers.CharField()
    org_unit = serializers.CharField()
    year = StrictIntegerField()
    sex = serializers.CharField(required=False, allow_blank=True, default="")
    age_group = serializers.CharField(required=False, allow_blank=True, default="")
    residence = serializers.CharField(required=False, allow_blank=True, default="")
    value = StrictFloatField(required=False, allow_null=True, default=None)
    numerator = StrictFloatField(required=False, allow_null=True, default=None)
    denominator = StrictFloatField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ValueWriteSerializer(serializers.Serializer):
    rows = serializers.ListField(
        child=ValueRowSerializer(), allow_empty=False, min_length=1, max_length=50_000
    )
    dry_run = serializers.BooleanField(default=False)


class ConflictSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ValueWriteResultSerializer(serializers.Serializer):
    stored = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    n_new = serializers.IntegerField()
    n_changed = serializers.IntegerField()
    n_unchanged = serializers.IntegerField()
    conflicts = ConflictSerializer(many=True)


class SubmissionSerializer(serializers.ModelSerializer):
    """A department's or a township's submission: exactly one of the two codes is set."""

    year = serializers.IntegerField(source="round.year")
    department = serializers.CharField(source="department.code", allow_null=True)
    township = serializers.CharField(source="township.code", allow_null=True)
    reporter = serializers.CharField(source="reporter_name", read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "year",
            "department",
            "township",
            "reporter",
            "status",
            "review_comment",
            "submitted_at",
            "reviewed_at",
        ]


class ActionSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")


class WarningSerializer(serializers.ModelSerializer):
    class Meta:
        model = Warning
        fields = ["level", "kind", "year", "reason"]


class ResultSerializer(serializers.ModelSerializer):
    target = serializers.CharField(source="target.code")
    indicator = serializers.CharField(source="target.indicator.code")
    org_unit = serializers.CharField(source="org_unit.code")
    warnings = WarningSerializer(many=True, read_only=True)

    class Meta:
        model = SeriesResult
        fields = ["id", *RESULT_FIELDS, "warnings"]
