"""Public pages (no sign-in: only what is published) and the plan office's publication page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from planwatch.accounts.access import may_publish
from planwatch.audit.models import Channel, record
from planwatch.catalog.models import Indicator
from planwatch.collection.strict import BadYear, parse_year
from planwatch.exchange.models import PublishedIndicator
from planwatch.exchange.public import render_index, render_indicator
from planwatch.exchange.publication import commented, public_values, published
from planwatch.monitoring.formats import sdmx_csv


def public_index(request):
    return HttpResponse(render_index(root="/public/"))


def public_indicator(request, code):
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None or indicator.pk not in published():
        raise Http404
    return HttpResponse(render_indicator(indicator, root="/public/"))


def public_sdmx(request):
    response = HttpResponse(
        sdmx_csv(public_values(), comments_for=commented()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="planwatch-sdmx.csv"'
    return response


@login_required
def publication(request):
    """The plan office chooses which indicators, for which years, the public can see."""
    if not may_publish(request.user):
        raise PermissionDenied
    indicators = Indicator.objects.filter(retired=False).select_related("plan", "area")
    current = published()
    if request.method == "POST":
        with transaction.atomic():
            chosen = {}
            with_comments = set()
            for indicator in indicators:
                if request.POST.get(f"pub-{indicator.code}"):
                    try:
                        first = parse_year(request.POST.get(f"from-{indicator.code}") or 2020)
                        last = parse_year(request.POST.get(f"to-{indicator.code}") or 2020)
                    except BadYear as exc:
                        messages.error(
                            request,
                            _("Years must be whole numbers within the plan period: %(problem)s")
                            % {"problem": exc},
                        )
                        return redirect("publication")
                    chosen[indicator.pk] = (indicator, min(first, last), max(first, last))
                    if request.POST.get(f"comments-{indicator.code}"):
                        with_comments.add(indicator.pk)
            before = {
                p.indicator.code: [p.from_year, p.to_year, p.comments_public]
                for p in current.values()
            }
            PublishedIndicator.objects.exclude(indicator_id__in=chosen).delete()
            for indicator, first, last in chosen.values():
                PublishedIndicator.objects.update_or_create(
                    indicator=indicator,
                    defaults={
                        "from_year": first,
                        "to_year": last,
                        "comments_public": indicator.pk in with_comments,
                        "published_by": request.user,
                    },
                )
            after = {ind.code: [a, b, ind.pk in with_comments] for ind, a, b in chosen.values()}
            if before != after:
                record(
                    user=request.user,
                    action="publication",
                    obj_type="publication",
                    key="indicators",
                    old=before,
                    new=after,
                    channel=Channel.WEB,
                )
        messages.success(request, _("Publication saved."))
        return redirect("publication")
    rows = [(indicator, current.get(indicator.pk)) for indicator in indicators]
    return render(request, "exchange/publication.html", {"rows": rows})
