import datetime

from django.utils import translation

from planwatch.collection.forms import RoundForm
from planwatch.rectification.forms import IssueForm


def test_date_fields_offer_iso_dates_that_a_date_input_can_show():
    # With the Chinese locale's 2026/01/05 an <input type=date> stays empty.
    day = datetime.date(2026, 1, 5)
    with translation.override("zh-hans"):
        round_form = RoundForm(initial={"opens_on": day, "due_on": day})
        issue_form = IssueForm(initial={"issued_on": day, "due_on": day})
        for form, name in [(round_form, "opens_on"), (issue_form, "issued_on")]:
            html = str(form[name])
            assert 'type="date"' in html
            assert 'value="2026-01-05"' in html
