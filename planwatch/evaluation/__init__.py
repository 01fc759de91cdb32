"""planwatch.evaluation: the pure evaluation engine (no Django imports).

Targets and series in, results out, all plain dataclasses; see docs/methods.md for the rules.
"""

from .engine import evaluate, evaluate_many
from .gaps import (
    GapPoint,
    GapResult,
    RankEntry,
    Ranking,
    pair_gap,
    rank_units,
    sex_gap,
    urban_rural_gap,
)
from .model import (
    COMPARATORS,
    DIRECTIONAL,
    STATUSES,
    EarlyWarning,
    EvaluationResult,
    ForecastPoint,
    Point,
    Series,
    Target,
)
from .request import evaluate_request, parse_request
from .scope import ScopedResult, evaluate_scoped

__all__ = [
    "COMPARATORS",
    "DIRECTIONAL",
    "STATUSES",
    "EarlyWarning",
    "EvaluationResult",
    "ForecastPoint",
    "GapPoint",
    "GapResult",
    "Point",
    "RankEntry",
    "Ranking",
    "ScopedResult",
    "Series",
    "Target",
    "evaluate",
    "evaluate_many",
    "evaluate_request",
    "evaluate_scoped",
    "pair_gap",
    "parse_request",
    "rank_units",
    "sex_gap",
    "urban_rural_gap",
]
