"""What is stored is what was previewed, never a value into a submitted submission, and a
check never holds the database's write lock."""

import contextlib
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from planwatch.collection import workflow
from planwatch.collection.batches import import_file, store_rows
from planwatch.collection.importer import Importer
from planwatch.collection.models import (
    DataValue,
    ImportBatch,
    Submission,
    SubmissionStatus,
    ValueChange,
)
from planwatch.collection.sources import typed_rows

pytestmark = pytest.mark.django_db


class _Release:
    def __init__(self, lock):
        self.lock = lock

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.lock.release()


def stored(code, unit):
    return DataValue.objects.get(indicator__code=code, org_unit__code=unit).value


def upload(client, text: bytes, name="health.csv"):
    import io

    buffer = io.BytesIO(text)
    buffer.name = name
    response = client.post(reverse("collection:upload", args=[2024]), {"file": buffer})
    assert response.status_code == 302
    return response["Location"]


def test_confirm_refuses_when_a_previewed_unchanged_row_moved_since(
    clients, users, rounds, write_csv
):
    assert import_file(write_csv(["W1-10,220112001,2024,,,,90,,,", "C1-02,220112,2024,,,,2.5,,,"]))[
        0
    ].stored
    page = upload(
        clients["health"],
        b"indicator,org_unit,year,value\nW1-10,220112001,2024,90\nC1-02,220112,2024,2.7\n",
    )
    batch = ImportBatch.objects.get(file_name="health.csv")
    assert (batch.status, batch.n_changed, batch.n_unchanged) == ("checked", 1, 1)
    # The township corrects the row the preview showed as unchanged.
    correction = write_csv(["W1-10,220112001,2024,,,,91,,,更正"], name="fix.csv")
    assert import_file(correction, user=users["yunshan"])[0].stored
    history = ValueChange.objects.count()
    assert clients["health"].post(page).status_code == 302
    batch.refresh_from_db()
    assert batch.status == "refused"
    assert stored("W1-10", "220112001") == 91  # the correction is kept
    assert stored("C1-02", "220112") == 2.5  # and nothing of the stale file is stored
    assert ValueChange.objects.count() == history
    text = " ".join(e["text"] for e in batch.errors)
    assert "自预览以来" in text
    assert "第2行" in text and "W1-10 220112001 2024年" in text and "t_yunshan" in text


def test_confirm_refuses_when_a_previewed_changed_row_moved_since(clients, rounds, write_csv):
    import_file(write_csv(["C1-02,220112,2024,,,,2.5,,,"]))
    page = upload(clients["health"], b"indicator,org_unit,year,value\nC1-02,220112,2024,2.7\n")
    import_file(write_csv(["C1-02,220112,2024,,,,2.6,,,"], name="b.csv"))
    clients["health"].post(page)
    assert stored("C1-02", "220112") == 2.6
    assert ImportBatch.objects.get(file_name="health.csv").status == "refused"


def test_confirm_stores_the_preview_when_nothing_moved(clients, rounds, write_csv):
    import_file(write_csv(["C1-02,220112,2024,,,,2.5,,,"]))
    page = upload(clients["health"], b"indicator,org_unit,year,value\nC1-02,220112,2024,2.7\n")
    clients["health"].post(page)
    assert stored("C1-02", "220112") == 2.7
    assert DataValue.objects.get().version == 2  # every update raises the version


def test_a_submit_between_check_and_store_refuses_the_import(rounds, write_csv, users):
    """Deterministic interleaving: the department submits while the file is being read."""
    import_file(write_csv(["C1-02,220112,2024,,,,2.5,,,"]))
    submission = Submission.objects.get(round__year=2024, department__code="health")

    def submit_now(rows):
        Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.SUBMITTED)

    importer = Importer(user=users["health"])  # reads the states while still a draft
    result = importer.store(
        write_csv(["C1-02,220112,2024,,,,2.9,,,"], name="b.csv"), progress=submit_now
    )
    assert not result.stored
    assert "已报送、正在审核" in result.problems[0].message
    assert stored("C1-02", "220112") == 2.5


@pytest.mark.django_db(transaction=True)
def test_a_check_holds_no_transaction_while_it_reads(loaded, rounds, write_csv):
    """On SQLite every transaction here is BEGIN IMMEDIATE, the database's one write lock:
    reading and checking a file must run outside one, so that sign-ins and entries go on."""
    import_file(write_csv(["C1-02,220112,2024,,,,2.5,,,"]))
    seen = []

    def progress(rows):
        seen.append((connection.in_atomic_block, connection.get_autocommit()))

    result = Importer().check(
        write_csv(["C1-02,220112,2024,,,,2.9,,,"], name="b.csv"), progress=progress
    )
    assert result.ok and result.n_changed == 1
    assert seen and all(s == (False, True) for s in seen)
    stored_result = Importer().store(
        write_csv(["C1-02,220112,2024,,,,2.9,,,"], name="c.csv"), progress=progress
    )
    assert stored_result.stored
    assert all(s == (False, True) for s in seen)


@pytest.mark.django_db(transaction=True)
def test_race_of_entries_and_submit_never_stores_into_a_submitted_submission(
    loaded, rounds, write_csv, users
):
    """A township's entries (the API's path) race the submit of its own submission. Whoever
    wins, a value is never committed after the submit: every stored change predates the
    submission's submitted_at. Truly concurrent on PostgreSQL; the test's in-memory SQLite
    database has table locks instead of a file's write lock, so there the two threads take
    turns (both orders), as a file database's write lock would make them."""
    import_file(write_csv(["W1-10,220112001,2024,,,,90,,,"]), user=users["yunshan"])
    concurrent = connection.vendor == "postgresql"
    races = 8 if concurrent else 4
    turn = threading.Lock()
    for attempt in range(races):
        submission = Submission.objects.get(round__year=2024, township__code="220112001")
        Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.DRAFT)
        barrier = threading.Barrier(2)
        outcome = {}
        first = threading.Event()

        def take_turn(mine_first, first=first, barrier=barrier):
            barrier.wait()
            if concurrent:
                return contextlib.nullcontext()
            if not mine_first:
                first.wait(30)
            turn.acquire()
            first.set()
            return _Release(turn)

        def enter(value=91 + attempt, out=outcome, take_turn=take_turn, attempt=attempt):
            row = {"indicator": "W1-10", "org_unit": "220112001", "year": "2024"}
            try:
                with take_turn(attempt % 2 == 0):
                    rows = [{**row, "value": str(value)}]
                    result = store_rows(
                        typed_rows(enumerate(rows, 2)), user=users["yunshan"], channel="api"
                    )
                out["stored"] = result.stored
            except Exception as exc:
                out["enter_error"] = repr(exc)
            finally:
                connections.close_all()

        def submit(out=outcome, take_turn=take_turn, attempt=attempt, pk=submission.pk):
            try:
                with take_turn(attempt % 2 == 1):
                    workflow.submit(Submission.objects.get(pk=pk), users["yunshan"])
                out["submitted"] = True
            except Exception as exc:
                out["submit_error"] = repr(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=enter), threading.Thread(target=submit)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert "enter_error" not in outcome, outcome
        assert outcome.get("submitted"), outcome
        submission.refresh_from_db()
        assert submission.status == SubmissionStatus.SUBMITTED
        late = ValueChange.objects.filter(
            indicator__code="W1-10", at__gt=submission.submitted_at
        ).count()
        assert late == 0, (attempt, outcome)
