"""全国 values: the platform's own file, only from the NBS monitoring reports, shown with source."""

from pathlib import Path

import pytest
from django.urls import reverse

from planwatch.catalog.models import Indicator
from planwatch.catalog.national import FILE, codes, national_for, national_series

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent / "planwatch"
UNIT_OF_SCALE = {"percent": "%", "permille": "‰", "per_100k": "1/10万"}


def test_every_national_value_belongs_to_a_live_indicator_of_the_same_kind():
    for code in codes():
        indicator = Indicator.objects.get(code=code, retired=False)
        for value in national_series(code).values():
            expected = UNIT_OF_SCALE.get(indicator.scale)
            if expected:
                assert FILE.read_text(encoding="utf-8").count(f"{code},{value.year},") == 1
                assert f",{expected}," in _row(code, value.year), (code, value.year)
            if indicator.is_share:
                assert 0 <= value.value <= 100


def _row(code, year):
    return next(
        line
        for line in FILE.read_text(encoding="utf-8").splitlines()
        if line.startswith(f"{code},{year},")
    )


def test_only_values_from_the_monitoring_reports_ship():
    for code in codes():
        for value in national_series(code).values():
            assert "统计监测报告" in value.source, value
            for flag in ("非监测报告", "待核", "非官方", "同义词"):
                assert flag not in value.source
            assert not value.url or value.url.startswith("https://www.stats.gov.cn/")


def test_maternal_mortality_as_the_nbs_reports_print_it():
    # 国家统计局 纲要统计监测报告: 16.9, 16.1, 15.7, 15.1, 14.3 per 100,000 (2020–2024)
    assert {y: v.value for y, v in national_series("W1-01").items()} == {
        2020: 16.9, 2021: 16.1, 2022: 15.7, 2023: 15.1, 2024: 14.3,
    }  # fmt: skip
    assert national_for("C3-02", 2025).year == 2023  # the latest published before the year
    assert national_for("C1-02", 2020) is None


def test_the_product_never_reads_the_shared_folder():
    for path in ROOT.rglob("*.py"):
        assert "/work/shared" not in path.read_text(encoding="utf-8"), path


def test_indicator_page_shows_the_national_value_with_its_source(clients):
    page = clients["office"].get(reverse("indicator_detail", args=["W1-01"])).content.decode()
    assert 'id="national-values"' in page
    assert "14.3/10万" in page
    assert "2024年《中国妇女发展纲要(2021—2030年)》统计监测报告" in page
