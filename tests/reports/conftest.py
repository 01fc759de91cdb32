import pytest

# The demo data with stored results, loaded once per module: the web tests' fixture, imported
# by the package name pytest gives tests/web (tests/ itself is not a package).
from web.conftest import demo_results  # noqa: F401


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Built reports and evidence files go to a throwaway folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, reference_data):
    """Read-only database access for module-scoped documents built once."""
    with django_db_blocker.unblock():
        yield
