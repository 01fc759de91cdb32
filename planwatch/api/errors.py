"""DRF's exception handler, plus the request errors Django raises under it."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.response import Response
from rest_framework.views import exception_handler


def handle(exc, context):
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response({"detail": f"request body over the limit of {limit} bytes"}, status=400)
    return exception_handler(exc, context)
