"""Where an import's rows come from: a file (collection/files.py opens it), rows typed in the
entry form or sent to the API, DHIS2 data values (exchange/dhis2.py maps them), demo data.

A source yields (ordinal, cells): the ordinal orders the rows (the staging table's row
number); cells are a sequence in LONG_COLUMNS order — what the importer's fast path takes —
or a dict keyed by column name. The importer words every problem with the ordinal; the
source hands it back with the caller's own reference for the row (a file's row number, the
entry form's row key, a DHIS2 dataValue's index) and the words that say where it is, so the
message points where the user looks.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from planwatch.collection.long_format import LONG_COLUMNS
from planwatch.collection.problems import Problem


class RowSource:
    """Rows for the importer. A file's ordinal is its row number (header = 1), so its problems
    need no translation; typed rows carry `refs` and `labels`, one per ordinal (from 1)."""

    def __init__(
        self,
        kind: str,
        rows: Iterator[tuple[int, Sequence | dict]],
        meta: dict | None = None,
        *,
        refs: list | None = None,
        labels: list[str] | None = None,
        quoted: bool = True,
    ):
        self.kind = kind  # "csv" | "xlsx" | "template" | "rows"
        self.rows = rows
        self.meta = meta or {}
        self.refs = refs
        self.labels = labels
        # Whether text cells may carry the apostrophe an export puts before a formula-like
        # text (cell_text.restore takes it off); typed rows are exactly what was typed.
        self.quoted = quoted

    def ref(self, ordinal: int):
        return ordinal if self.refs is None else self.refs[ordinal - 1]

    def where(self, *ordinals: int) -> str:
        """'第5、6行' for a file, the rows' own labels for typed rows."""
        if self.labels is None:
            return "第" + "、".join(str(o) for o in ordinals) + "行"
        return "、".join(self.labels[o - 1] for o in ordinals)

    def locate(self, problem: Problem) -> Problem:
        if self.refs is None or problem.row is None:
            return problem
        return replace(problem, row=self.ref(problem.row), where=self.labels[problem.row - 1])


def typed_rows(
    rows: Iterable[tuple[object, dict | Sequence]],
    *,
    label: Callable[[object], str] | None = None,
) -> RowSource:
    """Rows that were never a file: (reference, cells) pairs, the cells a dict keyed by the
    long format's column names or a sequence in their order, any value read as its text.
    `label(reference)` words a row (default: '第{reference}行'). A row with nothing but
    blanks is skipped, as a file's blank line is."""
    refs, labels, cells = [], [], []
    for ref, row in rows:
        if isinstance(row, dict):
            row = [row.get(column) for column in LONG_COLUMNS]
        texts = tuple("" if cell is None else str(cell) for cell in row)
        if not "".join(texts).strip():
            continue
        refs.append(ref)
        labels.append(label(ref) if label is not None else f"第{ref}行")
        cells.append(texts)
    return RowSource("rows", enumerate(cells, start=1), refs=refs, labels=labels, quoted=False)
