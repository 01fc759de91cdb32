"""The answer to a malformed request: what was wrong, in the door's own shape."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _


def bad_request(request, exception=None):
    message = str(exception) if exception and str(exception) else _("Bad request.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    title = _("Bad request")
    return HttpResponseBadRequest(
        f'<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>{title}</title>'
        f"<h1>{title}</h1><p>{escape(message)}</p></html>"
    )
