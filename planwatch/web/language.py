"""What a page shows in its own language, for views that build data for charts and tables
(templates use the same through the `loc`, `named` and `unit_of` filters)."""

from django.utils.translation import get_language

from planwatch.catalog import numbers
from planwatch.evaluation.english import RESIDENCE_WORDS_EN, SEX_WORDS_EN, TOTAL_EN
from planwatch.evaluation.vocabulary import RESIDENCE_WORDS, SEX_WORDS, TOTAL


def english() -> bool:
    return (get_language() or "").startswith("en")


def name_of(obj) -> str:
    """An org unit's or department's name: its English name on an English page if it has one."""
    if obj is None:
        return ""
    if english() and getattr(obj, "name_en", ""):
        return obj.name_en
    return str(obj)


def suffix(unit: str | None) -> str:
    """The unit after a number ("/10万", "%"; English " per 100,000")."""
    return numbers.unit_suffix_en(unit) if english() else numbers.unit_suffix(unit)


def axis(unit: str | None) -> str:
    """A value axis's title: the unit in words ("每10万（1/10万）", "Per 100,000")."""
    return numbers.unit_words_en(unit) if english() else numbers.unit_words(unit)


def group_words(code: str) -> str:
    """female/male/urban/rural (or "" for the total) in the page's language."""
    if not code:
        return TOTAL_EN if english() else TOTAL
    words = (SEX_WORDS_EN | RESIDENCE_WORDS_EN) if english() else (SEX_WORDS | RESIDENCE_WORDS)
    return words.get(code, code)


SCHOOL_STAGES_EN = {
    "primary": "primary school",
    "junior": "junior secondary",
    "senior": "senior secondary",
}


def age_group_words(code: str, name: str = "") -> str:
    """An age group's name ("35-44岁", "小学"): in English "aged 35–44", "primary school"."""
    if not english():
        return name or code
    if code in SCHOOL_STAGES_EN:
        return SCHOOL_STAGES_EN[code]
    if code.endswith("+"):
        return f"aged {code[:-1]} and over"
    return f"aged {code.replace('-', '–')}" if code else ""
