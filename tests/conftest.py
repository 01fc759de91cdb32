"""Shared fixtures: the reference data loaded once, and one signed-in client per role."""

import datetime
from pathlib import Path

import pytest

# Django is imported inside the fixtures so that the pure engine's tests under
# tests/evaluation also run without Django (pytest -p no:django tests/evaluation).


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The catalog, org units and departments are reference data every test reads:
    # load them once into the test database; each test's transaction rolls back on top.
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker):
    """For module-scoped fixtures: pytest-django runs their tests after the transactional
    ones, whose flush has emptied the database by then."""
    with django_db_blocker.unblock():
        load_reference_data()


def load_reference_data():
    """Load the catalog, org units and departments unless they are there."""
    from django.core.management import call_command

    from planwatch.catalog.models import Department, Indicator
    from planwatch.org.models import OrgUnit

    if OrgUnit.objects.exists() and Department.objects.exists() and Indicator.objects.exists():
        return
    call_command("load_org_units", verbosity=0)
    call_command("load_departments", verbosity=0)
    call_command("load_catalog", verbosity=0)


def make_user(username, role, department=None, org_unit=None, superuser=False):
    from django.contrib.auth import get_user_model

    from planwatch.accounts.models import Profile
    from planwatch.catalog.models import Department
    from planwatch.org.models import OrgUnit

    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    if superuser:
        user.is_superuser = user.is_staff = True
        user.save()
    Profile.objects.create(
        user=user,
        role=role,
        department=Department.objects.get(code=department) if department else None,
        org_unit=OrgUnit.objects.get(code=org_unit) if org_unit else None,
    )
    return user


@pytest.fixture
def users(db):
    """One user per role, plus outsiders who must be refused."""
    from django.contrib.auth import get_user_model

    from planwatch.accounts.models import Role

    return {
        "admin": make_user("t_admin", Role.ADMIN, superuser=True),
        "office": make_user("t_office", Role.PLAN_OFFICE, department="plan_office"),
        "stats": make_user("t_stats", Role.STATISTICS, department="statistics"),
        "health": make_user("t_health", Role.DEPARTMENT, department="health"),
        "education": make_user("t_education", Role.DEPARTMENT, department="education"),
        "yunshan": make_user("t_yunshan", Role.TOWNSHIP, org_unit="220112001"),
        "leader": make_user("t_leader", Role.LEADER),
        "norole": get_user_model().objects.create_user(username="t_norole", password="x"),
    }


@pytest.fixture
def clients(users):
    from django.test import Client

    out = {"anonymous": Client()}
    for name, user in users.items():
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        out[name] = client
    return out


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached answers (result years, the demo flag, throttles) never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# Rounds and long-format files for the tests of the importer, its doors and its defences.
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


# Tests whose transactions really commit (races, killed processes).


@pytest.fixture
def loaded(transactional_db):
    """The reference data for a test whose transactions really commit: the test database is
    flushed after each such test (see pytest_runtest_teardown below)."""
    load_reference_data()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, the reference data again: the tests after it
    (module-scoped fixtures of other directories included) expect it, as the session's
    django_db_setup left it."""
    result = yield
    if "loaded" in getattr(item, "fixturenames", ()):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            load_reference_data()
    return result
