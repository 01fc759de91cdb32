"""Building documents in tests straight from the database, without storing a report."""

import datetime
import io


def render_docx(kind, plan, year, department=None, created=None):
    """(snapshot, python-docx Document) for a report built from the database as it is."""
    from docx import Document

    from planwatch.reports.build import render
    from planwatch.reports.snapshot import take_snapshot

    snapshot = take_snapshot(kind, plan, year, department)
    created = created or datetime.datetime(2026, 3, 1, 9, 0)
    return snapshot, Document(io.BytesIO(render(snapshot, created)))
