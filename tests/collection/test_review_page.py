"""The review page a reviewer can work with: grouped by area and collapsed, groups in words,
the previous year beside each value, the reporter's explanation, and an Excel export."""

import io

import openpyxl
from django.urls import reverse

from planwatch.collection.batches import import_file
from planwatch.collection.models import Submission


def test_review_page_groups_words_previous_year_and_export(clients, rounds, write_csv):
    previous = [
        "W1-10,220112,2023,,,,,80,100,",
        "W1-10,220112,2023,,,urban,,40,50,",
        "W1-10,220112,2023,,,rural,,40,50,",
    ]
    current = [
        "W1-10,220112,2024,,,,,90,100,建册口径调整",
        "W1-10,220112,2024,,,urban,,44,50,",
        "W1-10,220112,2024,,,rural,,46,50,",
    ]
    assert import_file(write_csv(previous))[0].stored
    assert import_file(write_csv(current))[0].stored
    submission = Submission.objects.get(round__year=2024, department__code="health")
    page = clients["stats"].get(reverse("collection:submission", args=[submission.pk]))
    html = page.content.decode()
    assert 'class="entry-group" id="group-a' in html
    assert not any(g["open"] for g in page.context["groups"])  # collapsed unless queried
    (group,) = page.context["groups"]
    words = [v.group_words for v in group["values"]]
    assert sorted(words) == sorted(["合计", "城镇", "农村"])
    total = next(v for v in group["values"] if v.group_words == "合计")
    assert total.previous.value == 80.0 and total.value == 90.0
    assert "建册口径调整" in html

    export = clients["stats"].get(reverse("collection:submission_export", args=[submission.pk]))
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=4)]
    total_row = next(r for r in rows if r[0] == "W1-10" and r[4] == "合计")
    assert total_row[5] == 80.0 and total_row[6] == 90.0 and total_row[9] == "建册口径调整"
    assert (
        clients["education"]
        .get(reverse("collection:submission_export", args=[submission.pk]))
        .status_code
        == 403
    )
