import datetime
from pathlib import Path

import pytest

HEADER = "indicator,org_unit,year,sex,age_group,residence,value,numerator,denominator,comment"


@pytest.fixture
def rounds(db):
    from planwatch.collection.models import ReportingRound

    return {
        year: ReportingRound.objects.create(
            year=year,
            opens_on=datetime.date(year + 1, 1, 1),
            due_on=datetime.date(year + 1, 3, 31),
        )
        for year in (2022, 2023, 2024)
    }


@pytest.fixture
def write_csv(tmp_path):
    def write(lines, name="values.csv", encoding="utf-8", header=HEADER) -> Path:
        path = tmp_path / name
        text = "\n".join([header, *lines]) + "\n" if header else "\n".join(lines)
        path.write_bytes(text.encode(encoding))
        return path

    return write


def _load_reference_data():
    from django.core.management import call_command

    call_command("load_org_units", verbosity=0)
    call_command("load_departments", verbosity=0)
    call_command("load_catalog", verbosity=0)


@pytest.fixture
def loaded(transactional_db):
    """The reference data for a test whose transactions really commit: the test database is
    flushed after each such test (see pytest_runtest_teardown below)."""
    _load_reference_data()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, the reference data again: the tests after it
    (module-scoped fixtures of other directories included) expect it, as the session's
    django_db_setup left it."""
    result = yield
    if "loaded" in getattr(item, "fixturenames", ()):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _load_reference_data()
    return result
