"""The REST API: the same access helpers, importer and workflow actions as the pages."""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import connection
from django.db.models import Prefetch
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from planwatch.accounts.access import (
    departments_for_user,
    may_write_values,
    org_units_for_user,
    results_for_user,
    values_for_user,
)
from planwatch.api import serializers as s
from planwatch.audit.models import Channel
from planwatch.catalog.models import Department, Indicator, Measure, Objective, Plan, Target
from planwatch.collection import workflow
from planwatch.collection.access import submissions_for_user
from planwatch.collection.batches import store_rows
from planwatch.collection.models import DataValue, Submission
from planwatch.collection.sources import typed_rows
from planwatch.monitoring.formats import CONTENT_TYPES, results_export, values_export
from planwatch.monitoring.models import SeriesResult, Warning
from planwatch.org.models import OrgUnit


def _int_param(request, name):
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise serializers.ValidationError({name: "must be an integer"}) from exc


FORMAT_PARAMETER = OpenApiParameter("format", str, enum=["csv", "json", "xlsx"], default="csv")
EXPORT_RESPONSES = {
    (200, "text/csv"): OpenApiTypes.BINARY,
    (200, "application/json"): {"type": "array", "items": {"type": "object"}},
    (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
}


def _format(request, suffix=None) -> str:
    """`?format=` or the router's `.json`-style suffix (which Django passes as `format`)."""
    fmt = suffix or request.query_params.get("format", "csv")
    if fmt not in CONTENT_TYPES:
        raise serializers.ValidationError({"format": "csv, json or xlsx"})
    return fmt


def _download(content: bytes, fmt: str, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="planwatch-{stem}.{fmt}"'
    return response


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """The two plans and their areas."""

    serializer_class = s.PlanSerializer
    lookup_field = "code"
    queryset = Plan.objects.prefetch_related("areas")


class ObjectiveViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ObjectiveSerializer
    lookup_value_regex = "[0-9]+"
    queryset = Objective.objects.select_related("area__plan", "lead_department").prefetch_related(
        "co_departments"
    )


class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.MeasureSerializer
    lookup_value_regex = "[0-9]+"
    queryset = Measure.objects.select_related("area__plan", "lead_department").prefetch_related(
        "co_departments"
    )


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    queryset = Indicator.objects.select_related("plan", "area", "lead_department").prefetch_related(
        "co_departments"
    )


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.TargetSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    queryset = Target.objects.select_related("indicator", "area__plan", "objective", "measure")


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.OrgUnitSerializer
    lookup_field = "code"

    def get_queryset(self):
        return org_units_for_user(self.request.user, OrgUnit.objects.select_related("parent"))


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.DepartmentSerializer
    lookup_field = "code"

    def get_queryset(self):
        return departments_for_user(self.request.user, Department.objects.all())


VALUE_FILTERS = [
    OpenApiParameter("indicator", str, description="indicator code"),
    OpenApiParameter("org_unit", str, description="org unit code"),
    OpenApiParameter("year", int),
]


@extend_schema(parameters=VALUE_FILTERS)
class DataValueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Stored data values within the caller's scope; POST writes rows through the importer."""

    serializer_class = s.DataValueSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        qs = DataValue.objects.select_related("indicator", "org_unit", "submission")
        params = self.request.query_params
        if params.get("indicator"):
            qs = qs.filter(indicator__code=params["indicator"])
        if params.get("org_unit"):
            qs = qs.filter(org_unit__code=params["org_unit"])
        year = _int_param(self.request, "year")
        if year is not None:
            qs = qs.filter(year=year)
        return values_for_user(self.request.user, qs).order_by("pk")

    @extend_schema(
        parameters=[*VALUE_FILTERS, FORMAT_PARAMETER],
        responses=EXPORT_RESPONSES,
    )
    @action(detail=False, methods=["get"])
    def export(self, request, format=None):
        """The values in scope as CSV (the long format import_values reads), JSON or .xlsx."""
        fmt = _format(request, format)
        return _download(values_export(self.get_queryset(), fmt), fmt, "values")

    @extend_schema(
        request=s.ValueWriteSerializer,
        responses={200: s.ValueWriteResultSerializer, 400: s.ValueWriteResultSerializer},
    )
    def create(self, request):
        """Write rows in the long format. All are stored or none; `dry_run` only checks.
        Each refused row comes back in `conflicts` with its row number (first row = 2)."""
        if not may_write_values(request.user):
            raise PermissionDenied("this role does not report data")
        try:
            payload = s.ValueWriteSerializer(data=request.data)
            valid = payload.is_valid()
        except ParseError as exc:
            return _refused([("request", [str(exc.detail)])])
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return _refused([("request", [f"请求体超过 {limit} 字节的上限（每次最多 50,000 行）"])])
        if not valid:
            return _refused(_flat_errors(payload.errors))
        rows = [_as_text(row) for row in payload.validated_data["rows"]]
        dry_run = payload.validated_data["dry_run"]
        # The API's row numbers are its documented ones (first row = 2, as under a header).
        source = typed_rows(enumerate(rows, start=2))
        result = store_rows(source, user=request.user, channel=Channel.API, dry_run=dry_run)
        body = {
            "stored": result.stored,
            "dry_run": dry_run,
            "n_new": result.n_new,
            "n_changed": result.n_changed,
            "n_unchanged": result.n_unchanged,
            "conflicts": [
                {"row": p.row, "column": p.column, "message": p.message} for p in result.problems
            ],
        }
        return Response(body, status=status.HTTP_200_OK if result.ok else 400)


def _refused(errors) -> Response:
    """A malformed request answered in the same shape as a refused import, so that clients
    read one kind of 400 from this endpoint."""
    conflicts = [
        {"row": None, "column": field, "message": str(message)}
        for field, messages in errors
        for message in messages
    ]
    body = {"stored": False, "dry_run": False, "n_new": 0, "n_changed": 0, "n_unchanged": 0}
    return Response({**body, "conflicts": conflicts}, status=400)


def _flat_errors(errors, prefix=""):
    """DRF's nested error dict as (field path, [messages]) pairs."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from _flat_errors(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(errors, list) and errors and not isinstance(errors[0], str):
        for index, value in enumerate(errors):
            if value:
                yield from _flat_errors(value, f"{prefix}[{index}]")
    else:
        yield (
            prefix or "request",
            [str(e) for e in (errors if isinstance(errors, list) else [errors])],
        )


def _as_text(row: dict) -> dict:
    def text(v):
        return "" if v is None else (repr(v) if isinstance(v, float) else str(v))

    return {key: text(value) for key, value in row.items()}


class SubmissionViewSet(viewsets.ReadOnlyModelViewSet):
    """Submissions within the caller's scope, and their workflow actions."""

    serializer_class = s.SubmissionSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        qs = Submission.objects.select_related("round", "department").order_by("pk")
        return submissions_for_user(self.request.user, qs)

    @extend_schema(request=s.ActionSerializer, responses={200: s.SubmissionSerializer})
    @action(detail=True, methods=["post"], url_path=r"(?P<step>submit|approve|return|unlock)")
    def step(self, request, pk=None, step=None):
        """Run one workflow step (submit, approve, return with `text`, unlock with `text`)."""
        submission = self.get_object()
        text = s.ActionSerializer(data=request.data)
        text.is_valid(raise_exception=True)
        reason = text.validated_data["text"]
        actions = {
            "submit": lambda: workflow.submit(submission, request.user, channel=Channel.API),
            "approve": lambda: workflow.approve(submission, request.user, channel=Channel.API),
            "return": lambda: workflow.return_(
                submission, request.user, reason, channel=Channel.API
            ),
            "unlock": lambda: workflow.unlock(
                submission, request.user, reason, channel=Channel.API
            ),
        }
        try:
            updated = actions[step]()
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=409)
        return Response(s.SubmissionSerializer(updated).data)


RESULT_FILTERS = [
    OpenApiParameter("year", int, description="as-of year (default: the latest)"),
    OpenApiParameter("plan", str, description="women or children"),
    OpenApiParameter("org_unit", str, description="org unit code"),
    OpenApiParameter("target", str, description="target code"),
]


@extend_schema(parameters=RESULT_FILTERS)
class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Stored evaluation results (status, progress, forecast, warnings) from approved data."""

    serializer_class = s.ResultSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        qs = SeriesResult.objects.filter(preview=False).select_related(
            "target__indicator", "org_unit"
        )
        params = self.request.query_params
        year = _int_param(self.request, "year")
        if year is not None:
            qs = qs.filter(as_of_year=year)
        if params.get("plan"):
            qs = qs.filter(target__area__plan__code=params["plan"])
        if params.get("org_unit"):
            qs = qs.filter(org_unit__code=params["org_unit"])
        if params.get("target"):
            qs = qs.filter(target__code=params["target"])
        qs = qs.prefetch_related(Prefetch("warnings", queryset=Warning.objects.order_by("pk")))
        return results_for_user(self.request.user, qs).order_by("pk")

    @extend_schema(
        parameters=[*RESULT_FILTERS, FORMAT_PARAMETER],
        responses=EXPORT_RESPONSES,
    )
    @action(detail=False, methods=["get"])
    def export(self, request, format=None):
        """The results in scope as CSV, JSON or .xlsx."""
        fmt = _format(request, format)
        return _download(results_export(self.get_queryset(), fmt), fmt, "results")


@extend_schema(
    responses={
        200: inline_serializer("Health", {"status": serializers.CharField()}),
        503: inline_serializer("Unhealthy", {"status": serializers.CharField()}),
    }
)
@api_view(["GET"])
@permission_classes([AllowAny])
def health(request):
    """Liveness and database reachability, for monitoring; says nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy, whatever its type
        return Response({"status": "database unavailable"}, status=503)
    return Response({"status": "ok"})


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    return Response({"detail": "Not found."}, status=404)
