"""Small builders shared by the evaluation tests."""

from planwatch.evaluation import Series, Target, evaluate


def run(comparator, value, pairs, valid_range=(None, None), counts=None, unit="", **target_kw):
    target = Target(comparator, value, unit=unit, **target_kw)
    series = Series.from_pairs(pairs, valid_range, counts)
    return evaluate(target, series)


def kinds(result, level=None):
    return [w.kind for w in result.warnings if level is None or w.level == level]
