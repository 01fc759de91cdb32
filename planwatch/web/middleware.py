"""Chinese first: the interface language is the one the user chose with the switch, and
Chinese otherwise — never guessed from the browser's Accept-Language, which on government
machines is often an English-language default."""

import time

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ServerTimingMiddleware:
    """Says how long the server spent on each response (Server-Timing: app;dur=ms), so that
    browsers' developer tools and the benchmarks see server time apart from the network."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed = (time.perf_counter() - start) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
        return response


class RejectNulMiddleware:
    """A NUL character in a query string or form field is never legitimate, and PostgreSQL
    refuses it outright: answer 400 here rather than a server error deep in a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if request.path.startswith("/api/values/"):
                # The values endpoint's own refusal shape (its schema's 400).
                return JsonResponse(
                    {"stored": False, "dry_run": False, "n_new": 0, "n_changed": 0,
                     "n_unchanged": 0, "detail": "NUL characters are not allowed.",
                     "conflicts": [{"row": None, "column": "request",
                                    "message": "NUL characters are not allowed."}]},
                    status=400,
                )  # fmt: skip
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "NUL characters are not allowed."}, status=400)
            return HttpResponseBadRequest("NUL characters are not allowed.")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path:
            return True
        for values in request.GET.lists():
            if any("\x00" in v for v in (values[0], *values[1])):
                return True
        if request.method == "POST" and request.content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            return any(
                "\x00" in k or any("\x00" in v for v in vs) for k, vs in request.POST.lists()
            )
        return False


class IdleSessionMiddleware:
    """Sessions expire after SESSION_COOKIE_AGE of inactivity: a signed-in request renews
    the session's expiry, at most once per RENEW_SECONDS (a write per page view would be a
    write-lock per page view on SQLite)."""

    RENEW_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("_renewed_at", 0) >= self.RENEW_SECONDS:
                request.session["_renewed_at"] = now  # saved, with a fresh expiry
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """The Content-Security-Policy on every response (pages, exports, the API): scripts only
    from this site's own static files, never inline; styles may be inline (a few templates
    set widths). Referrer-Policy and X-Content-Type-Options come from Django's
    SecurityMiddleware (SECURE_REFERRER_POLICY, SECURE_CONTENT_TYPE_NOSNIFF)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PLANWATCH_CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
