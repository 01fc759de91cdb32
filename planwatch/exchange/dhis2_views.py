"""DHIS2's `dataValueSets` door: the interchange the DHIS2 instances of the health system use,
in (through the code mapping; all or nothing) and out. A DRF view under /api/ with the REST
API's authentication and permission defaults (settings), but exchange's own: the API does not
stack on exchange, nor exchange on the API."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from planwatch.accounts.access import may_write_values, values_for_user
from planwatch.collection.models import DataValue
from planwatch.exchange import dhis2

DHIS2_SUMMARY = inline_serializer(
    "Dhis2ImportSummary",
    {
        "status": serializers.CharField(),
        "description": serializers.CharField(),
        "importCount": serializers.DictField(child=serializers.IntegerField()),
        "conflicts": serializers.ListField(child=serializers.DictField()),
        "dryRun": serializers.BooleanField(),
    },
)
DHIS2_SET = inline_serializer(
    "Dhis2DataValueSet",
    {"dataValues": serializers.ListField(child=serializers.DictField())},
)


@extend_schema(
    methods=["GET"],
    parameters=[OpenApiParameter("period", int, description="a year, e.g. 2024")],
    responses={200: DHIS2_SET},
)
@extend_schema(
    methods=["POST"],
    parameters=[OpenApiParameter("dryRun", bool, default=False)],
    request=DHIS2_SET,
    responses={200: DHIS2_SUMMARY, 409: DHIS2_SUMMARY},
)
@api_view(["GET", "POST"])
def dhis2_data_value_sets(request):
    """DHIS2 `dataValueSets` in (through the code mapping; all or nothing) and out."""
    if request.method == "GET":
        year = _period(request)
        values = values_for_user(request.user, DataValue.objects.all())
        return Response(dhis2.export_data_value_set(year=year, values=values))
    if not may_write_values(request.user):
        raise PermissionDenied("this role does not report data")
    dry_run = request.query_params.get("dryRun", "false").lower() in {"1", "true", "yes"}
    outcome = dhis2.import_data_value_set(request.data, user=request.user, dry_run=dry_run)
    summary = outcome.summary()
    return Response(summary, status=200 if summary["status"] == "SUCCESS" else 409)


def _period(request):
    raw = request.query_params.get("period")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise serializers.ValidationError({"period": "must be an integer"}) from exc
