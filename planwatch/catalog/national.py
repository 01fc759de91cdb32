"""National values (全国) beside the district's, from the platform's own data file.

`data/national.csv` holds values read from the National Bureau of Statistics' statistical
monitoring reports on the two national 纲要 (2021–2030), each with the report it comes from.
Values that came from other publications (press conferences, bulletins) or were marked as
needing a check were left out; see data/national.md. Pure Python, read once.
"""

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FILE = Path(__file__).resolve().parent / "data" / "national.csv"


@dataclass(frozen=True)
class NationalValue:
    indicator: str
    year: int
    value: float
    name: str  # the national report's own name of the statistic
    source: str
    url: str

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "value": self.value,
            "name": self.name,
            "source": self.source,
            "url": self.url,
        }


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[int, NationalValue]]:
    out: dict[str, dict[int, NationalValue]] = {}
    with FILE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            value = NationalValue(
                row["indicator"],
                int(row["year"]),
                float(row["value"]),
                row["national_name"],
                row["source"],
                row["url"],
            )
            out.setdefault(value.indicator, {})[value.year] = value
    return out


def national_series(code: str) -> dict[int, NationalValue]:
    return dict(sorted(_table().get(code, {}).items()))


def national_for(code: str, year: int) -> NationalValue | None:
    """The national value of `year`, or the latest published before it (its year says which)."""
    earlier = [y for y in _table().get(code, {}) if y <= year]
    return _table()[code][max(earlier)] if earlier else None


def codes() -> set[str]:
    return set(_table())
