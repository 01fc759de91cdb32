"""Published reports on the public site: the list the public pages and the static copy show, and
the download. The public site (exchange) asks for them through ReportsConfig.public_documents."""

from pathlib import Path

from django.http import FileResponse, Http404
from django.urls import reverse

from planwatch.reports.models import Report


def published_reports():
    return Report.objects.filter(published=True).exclude(file="").order_by("-year", "kind")


def public_documents() -> list[dict]:
    return [
        {
            "title": str(report),
            "url": reverse("public_report", args=[report.pk]),
            "name": Path(report.file.name).name,
            "path": report.file.path,
        }
        for report in published_reports()
    ]


def public_report(request, pk):
    """A published report's file; anything unpublished is not found."""
    report = published_reports().filter(pk=pk).first()
    if report is None:
        raise Http404
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=Path(report.file.name).name
    )
