"""The 报送进度 board counts every reporter's form once, in a fixed number of queries, and its
counts equal those of the forms themselves (built one by one here, as the old board did)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from planwatch.collection.board import board, township_board
from planwatch.collection.demo import load_demo
from planwatch.collection.entry import entry_rows
from planwatch.collection.models import ReportingRound
from planwatch.collection.soft_checks import warnings_for


def test_the_board_counts_each_form_as_the_form_does_in_few_queries(db):
    load_demo()
    round_ = ReportingRound.objects.get(year=2025)  # the open year: drafts with warnings
    with CaptureQueriesContext(connection) as queries:
        lines, towns = board(round_), township_board(round_)
    # 11 departments and 8 townships; building each form took 96 queries.
    assert len(lines) >= 10 and len(towns) == 8
    assert len(queries.captured_queries) <= 25

    def unexplained(submission):
        if submission is None or submission.status not in {"draft", "returned"}:
            return 0
        return sum(1 for w in warnings_for(submission.values.all()) if not w.has_comment)

    for line in lines:
        rows = entry_rows(2025, department=line.department)
        assert line.expected == len(rows), line.department.code
        assert line.open_warnings == unexplained(line.submission), line.department.code
    for line in towns:
        rows = entry_rows(2025, org_unit=line.township)
        assert line.expected == len(rows)
        assert line.filled == sum(1 for r in rows if r.current is not None)
        assert line.open_warnings == unexplained(line.submission)
    assert any(line.open_warnings for line in lines + towns)  # the check sees something
