"""The one importer behind every door: file upload, CLI, web entry, API and DHIS2.

It reads a row source (collection/sources.py: a file, typed rows, DHIS2 values) and words
every problem with the source's row ordinal; the source hands each back with the caller's own
reference for the row. Batches, their ending and the audit are collection/batches.py's.

A file is stored whole or not at all. Rows are checked one by one in Python (codes, numbers,
scope, workflow state), then written to a temporary staging table where the checks that span
rows (duplicate keys, female + male = total, urban + rural = total) and the preview (new,
changed, unchanged) are single SQL statements, and where confirming the import is one
`INSERT … ON CONFLICT` beside one history insert. Memory stays flat whatever the file size.

Speed (bench/bench_import.py, 3.2 million rows): a clean row takes a fast path that checks it
against tables prepared once per import, and falls back to the full row check — the one that
words the problems — at the first thing out of the ordinary, so that what is accepted or
refused, and what is said, is decided by one piece of code. While rows stream past, a few
fingerprints show whether the cross-row checks could find anything at all; the SQL checks run
only when they could. And when nothing is stored yet for the file's years and indicators, the
diff is the staged rows themselves.
"""

import math
from array import array
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from planwatch.accounts.access import value_writer
from planwatch.audit.models import Channel
from planwatch.catalog.models import Indicator
from planwatch.collection.cell_text import restore
from planwatch.collection.faults import pause_point
from planwatch.collection.files import open_rows
from planwatch.collection.long_format import LONG_COLUMNS
from planwatch.collection.models import (
    EDITABLE_STATES,
    ReportingRound,
    RoundStatus,
    Submission,
    SubmissionStatus,
)
from planwatch.collection.problems import ERROR, WARNING, FileRefused, Problem, cell_problem
from planwatch.collection.rules import (
    LEVEL_NAMES,
    RESIDENCE_CODES,
    SEX_CODES,
    BadNumber,
    IndicatorRule,
    UnitRule,
    consistent,
    parse_number,
    rate_from_counts,
)
from planwatch.collection.sources import RowSource
from planwatch.collection.strict import BadYear, parse_year, year_bounds

MAX_PROBLEMS = 500
PROGRESS_ROWS = 20_000  # the progress callback is called every so many rows
# Rows written to the staging table at a time: a batch this small stays in the CPU's cache
# while it is built and written (checking and batching alone took 13 % longer at 20,000).
STAGE_ROWS = 2_000
PREVIEW_ROWS = 200
KEY = ("indicator_id", "org_unit_id", "year", "sex", "age_group", "residence")
# The staging table, column by column: name, SQL type, type for PostgreSQL's binary COPY.
# The counts come last, so that a row without them can be written without them (_write_stage).
STAGE = (
    ("rowno", "INTEGER", "int4"),
    ("indicator_id", "BIGINT", "int8"),
    ("org_unit_id", "BIGINT", "int8"),
    ("year", "INTEGER", "int4"),
    ("sex", "VARCHAR(6)", "text"),
    ("age_group", "VARCHAR(20)", "text"),
    ("residence", "VARCHAR(5)", "text"),
    ("value", "DOUBLE PRECISION", "float8"),
    ("comment", "TEXT", "text"),
    ("department_id", "BIGINT", "int8"),
    ("additive", "INTEGER", "int4"),
    ("numerator", "DOUBLE PRECISION", "float8"),
    ("denominator", "DOUBLE PRECISION", "float8"),
)
STAGE_COLUMNS = tuple(name for name, _sql_type, _copy_type in STAGE)
# Positions in a staged row (a tuple in STAGE order).
SEX, RESIDENCE, VALUE, ADDITIVE, NUMERATOR, DENOMINATOR = map(
    STAGE_COLUMNS.index, ("sex", "residence", "value", "additive", "numerator", "denominator")
)
INF = math.inf
SQLITE_CACHE_SIZE = -65536  # KiB (64 MiB), see Importer._page_cache
# The same codes as plain strings: the database drivers bind a plain str faster than an enum.
FAST_SEX_CODES = {text: str(code.value) for text, code in SEX_CODES.items()}
FAST_RESIDENCE_CODES = {text: str(code.value) for text, code in RESIDENCE_CODES.items()}
STATE_LABEL = {
    SubmissionStatus.SUBMITTED: "已报送、正在审核",
    SubmissionStatus.APPROVED: "已审核通过",
    SubmissionStatus.LOCKED: "已锁定",
}


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    n_rows: int = 0
    n_new: int = 0
    n_changed: int = 0
    n_unchanged: int = 0
    stored: bool = False
    preview: list[dict] = field(default_factory=list)
    truncated: bool = False
    stamp: list | None = None  # the stored state the diff was computed on (Importer._stamp)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.truncated = True


class _Scope:
    """Which indicators and org units this user may write: `accounts.access` decides."""

    def __init__(self, user):
        self.writer = value_writer(user)
        if self.writer is None:
            raise FileRefused("当前账号没有填报权限")

    @property
    def everything(self) -> bool:
        return self.writer.everything

    def indicator_problem(self, rule: IndicatorRule) -> str | None:
        return self.writer.indicator_problem(rule.lead_department_id, rule.lead_department_name)

    def unit_problem(self, unit: UnitRule) -> str | None:
        return self.writer.unit_problem(unit.path, unit.reference)


def staged_row(
    rowno, rule, unit, year, sex, age, residence, value, comment, numerator, denominator
):
    """A checked row as the staging table takes it (STAGE order): the one constructor of both
    row checks, so that the fast path and the full check cannot stage a row differently."""
    return (
        rowno,
        rule.id,
        unit.id,
        year,
        sex,
        age,
        residence,
        value,
        comment,
        None if unit.reference else rule.lead_department_id,
        1 if rule.additive else 0,
        numerator,
        denominator,
    )


class _FastIndicator:
    """An indicator as the fast path needs it (see Importer._prepare_fast_path)."""

    __slots__ = (
        "blocked_years",
        "by_residence",
        "by_sex",
        "levels",
        "percent_share",
        "rule",
    )

    def __init__(self, rule: IndicatorRule, levels: frozenset, blocked_years: frozenset):
        self.rule = rule
        self.levels = levels  # the org-unit levels (Level values) it is reported at
        self.blocked_years = blocked_years  # years its lead department's submission is past draft
        self.by_sex = "sex" in rule.disaggregations
        self.by_residence = "residence" in rule.disaggregations
        self.percent_share = rule.percent and rule.share


class _StagedSummary:
    """What the importer learns about the staged rows as they stream past, so that the SQL
    after them does only what it must.

    Cross-row checks: rows that can clash — the same key twice, or the parts and the total of
    a sum — share indicator, unit, year and age group: a *group*. When every group comes as
    one run of consecutive rows (no group fingerprint is seen twice), as in any file written
    group by group like an export, both checks can be done run by run: no two rows of a run
    may share sex and residence, and female + male and urban + rural must match the total —
    here a little inside the SQL tolerance, so that only a clear pass counts. On a national
    file the SQL checks would cost more than all the row checks together; they run only
    when a fingerprint is seen twice (a split group, or a hash collision), a duplicate is
    possible or a sum is near or over the tolerance, and then they decide and word the
    problems.

    The diff: the (year, indicator) pairs of the staged rows (see Importer._diff).
    """

    # |total − a − b| is a clear pass at most 0.4 + 0.9e-6 × |total|; SQL allows 0.5 + 1e-6 × …
    CLEAR_ABS, CLEAR_REL = 0.4, 0.9e-6

    def __init__(self):
        self.group_hashes = array("q")
        self.group = None
        self.run = []
        self.duplicates_suspect = self.sums_suspect = False
        self.no_duplicates = self.sums_fine = False
        self.years_indicators = set()  # (year, indicator id) of every staged row, for _diff

    def add(self, staged: tuple) -> None:
        # Positions in STAGE: 1 indicator, 2 unit, 3 year, 5 age group.
        group = (staged[1], staged[2], staged[3], staged[5])
        if group != self.group:
            self._close_run()
            self.group = group
            self.group_hashes.append(hash(group))
            self.years_indicators.add((staged[3], staged[1]))
        self.run.append(staged)

    def finish(self) -> None:
        self._close_run()
        runs_are_groups = _all_distinct(self.group_hashes)
        self.group_hashes = None
        self.no_duplicates = runs_are_groups and not self.duplicates_suspect
        self.sums_fine = self.no_duplicates and not self.sums_suspect

    def _close_run(self) -> None:
        run = self.run
        self.run = []
        if len(run) < 2:
            return
        if len(run) == 3:
            total, a, b = run
            if (
                not total[SEX]
                and a[SEX] == "female"
                and b[SEX] == "male"
                and total[RESIDENCE] == a[RESIDENCE] == b[RESIDENCE]
            ):
                # The usual run: total, female, male of one residence (no urban/rural triple).
                if not self.sums_suspect:
                    self.sums_suspect = self._maybe_off(total, a, b)
                return
        cells = {(row[SEX], row[RESIDENCE]): row for row in run}
        if len(cells) < len(run):
            self.duplicates_suspect = True
            return
        if self.sums_suspect:
            return
        get = cells.get
        for (sex, residence), total in cells.items():
            if not sex and self._maybe_off(
                total, get(("female", residence)), get(("male", residence))
            ):
                self.sums_suspect = True
            if not residence and self._maybe_off(total, get((sex, "urban")), get((sex, "rural"))):
                self.sums_suspect = True

    @classmethod
    def _maybe_off(cls, total: tuple, a: tuple | None, b: tuple | None) -> bool:
        """Might the SQL sum check flag this (total, part, part)? Numerators, denominators and,
        where the indicator is additive, values are compared, each when all three rows have
        it."""
        if a is None or b is None:
            return False
        for column in (
            (NUMERATOR, DENOMINATOR, VALUE) if total[ADDITIVE] else (NUMERATOR, DENOMINATOR)
        ):
            t, x, y = total[column], a[column], b[column]
            if t is None or x is None or y is None:
                continue
            if abs(t - x - y) > cls.CLEAR_ABS + cls.CLEAR_REL * abs(t):
                return True
        return False


def _all_distinct(hashes: array) -> bool:
    import numpy as np

    if len(hashes) < 2:
        return True
    values = np.sort(np.frombuffer(hashes, dtype=np.int64))
    return not bool((values[1:] == values[:-1]).any())


class Importer:
    def __init__(self, *, user=None, channel: str = Channel.CSV, reason: str = ""):
        self.user = user
        self.channel = channel
        self.reason = reason
        self.scope = _Scope(user)
        self.indicators = {
            i.code: IndicatorRule.of(i) for i in Indicator.objects.select_related("lead_department")
        }
        self.units = UnitRule.all()
        self.rounds = {r.year: r for r in ReportingRound.objects.all()}
        self.year_bounds = year_bounds()
        # A township reporter's rows go to its township's own submission, everyone else's to
        # the lead department's (accounts.access.ValueWriter.township_id).
        self.township_id = self.scope.writer.township_id
        self.submission_state = {
            (s.round.year, s.department_id): s.status
            for s in Submission.objects.select_related("round").filter(department__isnull=False)
        }
        self.township_state = {}
        if self.township_id is not None:
            own = Submission.objects.select_related("round").filter(township_id=self.township_id)
            self.township_state = {s.round.year: s.status for s in own}
        self.vendor = connection.vendor
        self._prepare_fast_path()

    # --- entry points --------------------------------------------------------------------

    def check(
        self, source: RowSource | Path, *, name: str | None = None, progress=None
    ) -> ImportResult:
        """Check the rows (a RowSource, or the path of a file to open as one)."""
        return self._run(source, name=name, store=False, progress=progress)

    def store(
        self,
        source: RowSource | Path,
        *,
        name: str | None = None,
        progress=None,
        batch=None,
        expect=None,
    ) -> ImportResult:
        """Store the rows. With `expect` (the stamp of the preview the user confirmed), only
        while the stored rows they touch are as they were then: else nothing is stored and the
        problems say what changed since."""
        return self._run(
            source, name=name, store=True, progress=progress, batch=batch, expect=expect
        )

    # --- the pipeline --------------------------------------------------------------------

    def _run(self, source, *, name, store, progress=None, batch=None, expect=None) -> ImportResult:
        """Reading, checking and the diff run outside any write transaction: on SQLite a
        write transaction is the database's single write lock, and a check of a big file
        would hold it for minutes. Only storing takes it, briefly (_store)."""
        result = ImportResult()
        try:
            if not isinstance(source, RowSource):
                max_bytes = settings.PLANWATCH_IMPORT_MAX_BYTES
                source = open_rows(Path(source), name=name, max_bytes=max_bytes)
            self.source = source
            self.restore = restore if source.quoted else _as_typed
            with self._page_cache():
                self._create_stage()
                try:
                    try:
                        self._stage_rows(source, result, progress)
                    except FileRefused as exc:
                        result.add(exc.problem)
                    if result.ok:
                        self._cross_row_checks(result)
                    if result.ok:
                        result.stamp = self._stamp()
                        self._diff(result)
                        pause_point("check")
                    if result.ok and store:
                        if expect is not None and result.stamp != expect:
                            self._changed_since(result, batch)
                        else:
                            self._store(result, batch)
                finally:
                    self._drop_stage()
        except FileRefused as exc:
            result.problems = [exc.problem]
        if isinstance(source, RowSource) and source.refs is not None:
            result.problems = [source.locate(p) for p in result.problems]
            result.warnings = [source.locate(p) for p in result.warnings]
            for row in result.preview:
                row["row"] = source.ref(row["row"])
        return result

    def _store(self, result: ImportResult, batch) -> None:
        """The write transaction: the workflow states re-read under the same locks the
        workflow takes to change them, the diff re-made if a stored row moved since it was
        computed, then one insert each for history and values."""
        with transaction.atomic():
            self._recheck_states(result)
            if not result.ok:
                return
            stamp = self._stamp()
            if stamp != result.stamp:
                self._drop_diff()
                self._diff(result)
                result.stamp = stamp
            self._held_elsewhere(result)
            if not result.ok:
                return
            self._apply(result, batch)
            result.stored = True
            pause_point("store")  # inside the transaction: a kill here stores nothing

    @contextmanager
    def _page_cache(self):
        """On SQLite, a larger page cache while an import runs: the hot pages of the values' and
        history's indexes then stay in memory, instead of being written out and read back again
        and again (a second less on 3.2 million rows). The connection's own size after."""
        if self.vendor != "sqlite":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            (before,) = cursor.fetchone()
            cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_SIZE}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")

    def _stage_rows(self, source, result: ImportResult, progress: Callable | None) -> None:
        buffer = []
        self.summary = summary = _StagedSummary()
        fast, check, keep, summarise = self._fast_row, self._check_row, buffer.append, summary.add
        n_rows = 0
        try:
            for rowno, row in source.rows:
                n_rows += 1
                # CSV rows come as sequences of cells; anything the fast path does not vouch
                # for, and every Excel row (a dict), gets the full check.
                staged = fast(rowno, row) if type(row) is not dict else None
                if staged is None:
                    if type(row) is not dict:
                        row = dict(zip(LONG_COLUMNS, row, strict=True))
                    staged = check(rowno, row, result)
                if staged is not None and not result.problems:
                    keep(staged)
                    summarise(staged)
                    if len(buffer) >= STAGE_ROWS:
                        self._write_stage(buffer)
                        buffer.clear()
                if progress is not None and n_rows % PROGRESS_ROWS == 0:
                    result.n_rows = n_rows
                    progress(n_rows)
                if result.truncated:
                    break
        finally:
            result.n_rows = n_rows  # also when the file turns out unreadable halfway
        if buffer and result.ok:
            self._write_stage(buffer)
        summary.finish()
        if progress is not None:
            progress(result.n_rows)
        if result.n_rows == 0:
            result.add(Problem("文件中没有数据行"))

    # --- the fast path -------------------------------------------------------------------

    def _prepare_fast_path(self) -> None:
        """What the fast path looks up, keyed by a clean cell's exact text. A cell that is not
        found (unknown, out of scope, written with spaces or capitals, …) sends the row to the
        full check, which decides."""
        level_of = {name: level for level, name in LEVEL_NAMES.items()}
        blocked = {}  # department → the years its submission is past draft
        for (year, department_id), state in self.submission_state.items():
            if state not in EDITABLE_STATES:
                blocked.setdefault(department_id, set()).add(year)
        self.fast_indicators = {}
        for code, rule in self.indicators.items():
            if rule.retired or rule.lead_department_id is None:
                continue
            if self.scope.indicator_problem(rule) is not None:
                continue
            levels = frozenset(level_of[name] for name in rule.org_levels if name in level_of)
            if self.township_id is not None:
                years = frozenset(
                    y for y, st in self.township_state.items() if st not in EDITABLE_STATES
                )
            else:
                years = frozenset(blocked.get(rule.lead_department_id, ()))
            self.fast_indicators[code] = _FastIndicator(rule, levels, years)
        self.fast_units = {
            code: unit for code, unit in self.units.items() if self.scope.unit_problem(unit) is None
        }
        self.fast_years = {
            str(year): year
            for year, round_ in self.rounds.items()
            if round_.status != RoundStatus.LOCKED
        }

    def _fast_row(self, rowno: int, cells: Sequence[str]):
        """A clean row → its staging tuple, exactly as _check_row would build it; None as soon
        as anything is unusual (then _check_row judges the row and says what is wrong)."""
        (
            code,
            unit_code,
            year_text,
            sex_text,
            age,
            residence_text,
            value_text,
            numerator_text,
            denominator_text,
            comment,
        ) = cells
        fast = self.fast_indicators.get(code)
        unit = self.fast_units.get(unit_code)
        year = self.fast_years.get(year_text)
        if fast is None or unit is None or year is None:
            return None
        if not unit.reference and (unit.level not in fast.levels or year in fast.blocked_years):
            return None
        rule = fast.rule
        sex = FAST_SEX_CODES.get(sex_text)
        residence = FAST_RESIDENCE_CODES.get(residence_text)
        if sex is None or residence is None:
            return None
        if (sex and not fast.by_sex) or (residence and not fast.by_residence):
            return None
        if age:
            age = age.strip()
            if age and age not in rule.age_groups:
                return None
        # parse_number's accepted numbers: float() of the text, finite and not negative
        # (float() ignores surrounding spaces as parse_number's strip does; a NaN fails `<=`).
        if "_" in value_text or "_" in numerator_text or "_" in denominator_text:
            return None  # float() reads 9_7 as 97; parse_number refuses it and says so
        try:
            value = float(value_text) if value_text else None
            numerator = float(numerator_text) if numerator_text else None
            denominator = float(denominator_text) if denominator_text else None
        except ValueError:
            return None
        if value is not None and not 0.0 <= value < INF:
            return None
        if numerator is None or denominator is None:
            if numerator is not denominator:  # one of the two without the other
                return None
        else:
            if not (0.0 <= numerator < INF and 0.0 < denominator < INF):
                return None  # includes a denominator of 0
            if rule.share and numerator > denominator:
                return None
            if rule.factor:
                computed = rate_from_counts(numerator, denominator, rule.factor)
                if value is not None and not consistent(value, value_text.strip(), computed):
                    return None
                value = computed
        if value is None or (fast.percent_share and value > 100):
            return None
        return staged_row(
            rowno,
            rule,
            unit,
            year,
            sex,
            age,
            residence,
            value,
            self.restore(comment.strip()),
            numerator,
            denominator,
        )

    def _check_row(self, rowno: int, row: dict, result: ImportResult):
        """One row → a staging tuple, or None with its problems added to the result."""
        if "__extra__" in row:
            result.add(Problem("该行的列数多于表头", rowno))
            return None
        if "__unknown_row__" in row:
            result.add(Problem("该行不是模板生成的行（请勿在模板中增删行）", rowno))
            return None
        errors_before = len(result.problems)

        def fail(column, message):
            result.add(cell_problem(message, rowno, column, row, self.indicators, self.units))

        code = (row.get("indicator") or "").strip()
        rule = self.indicators.get(code)
        if rule is None:
            fail("indicator", f"未知的指标代码“{code}”" if code else "指标代码不能为空")
        elif rule.retired:
            fail("indicator", f"指标“{code}”已停用")
        elif (problem := self.scope.indicator_problem(rule)) is not None:
            fail("indicator", problem)

        unit_code = (row.get("org_unit") or "").strip()
        unit = self.units.get(unit_code)
        if unit is None:
            fail(
                "org_unit", f"未知的组织单位代码“{unit_code}”" if unit_code else "组织单位不能为空"
            )
        elif (problem := self.scope.unit_problem(unit)) is not None:
            fail("org_unit", problem)
        elif rule is not None and not unit.reference:
            level = LEVEL_NAMES.get(unit.level)
            if level not in rule.org_levels:
                fail("org_unit", f"指标“{code}”不在{unit.name}这一级填报")

        year_text = (row.get("year") or "").strip()
        year = None
        try:
            year = parse_year(year_text, self.year_bounds)
        except BadYear as exc:
            fail("year", str(exc))
        round_ = self.rounds.get(year) if year is not None else None
        if year is not None and round_ is None:
            fail("year", f"{year}年没有填报任务（不在任何填报周期内）")
        elif round_ is not None and round_.status == RoundStatus.LOCKED:
            fail("year", f"{year}年度数据已锁定，不能修改")

        sex = SEX_CODES.get((row.get("sex") or "").strip().lower())
        if sex is None:
            fail("sex", f"性别“{row.get('sex')}”无效（应为 女、男 或留空表示合计）")
        elif sex and rule is not None and "sex" not in rule.disaggregations:
            fail("sex", f"指标“{code}”不分性别填报")
        residence = RESIDENCE_CODES.get((row.get("residence") or "").strip().lower())
        if residence is None:
            fail("residence", f"城乡“{row.get('residence')}”无效（应为 城镇、农村 或留空表示合计）")
        elif residence and rule is not None and "residence" not in rule.disaggregations:
            fail("residence", f"指标“{code}”不分城乡填报")
        age = (row.get("age_group") or "").strip()
        if age and rule is not None and age not in rule.age_groups:
            allowed = "、".join(sorted(rule.age_groups)) or "无"
            fail("age_group", f"年龄组“{age}”无效（该指标的年龄组：{allowed}）")

        value = numerator = denominator = None
        for column in ("value", "numerator", "denominator"):
            try:
                parsed = parse_number(row.get(column) or "", column)
            except BadNumber as exc:
                fail(column, str(exc))
                continue
            if column == "value":
                value = parsed
            elif column == "numerator":
                numerator = parsed
            else:
                denominator = parsed
        if (numerator is None) != (denominator is None) and len(result.problems) == errors_before:
            fail("numerator" if numerator is None else "denominator", "分子和分母须同时填写")
        elif numerator is not None and denominator is not None and rule is not None:
            if denominator == 0:
                fail("denominator", "分母不能为 0")
            elif rule.share and numerator > denominator:
                fail(
                    "numerator", f"分子（{numerator:g}）大于分母（{denominator:g}），占比指标不允许"
                )
            elif rule.factor:
                computed = rate_from_counts(numerator, denominator, rule.factor)
                typed = (row.get("value") or "").strip()
                if value is not None and not consistent(value, typed, computed):
                    fail("value", f"数值与分子、分母不一致（按分子分母计算应为 {computed:.4g}）")
                value = computed
        if value is None and len(result.problems) == errors_before:
            fail("value", "缺少数值（填写数值，或同时填写分子和分母）")
        if value is not None and rule is not None and rule.percent and rule.share and value > 100:
            fail("value", f"百分比不能超过 100（{value:g}）")

        if rule is not None and unit is not None and year is not None and not unit.reference:
            if rule.lead_department_id is None:
                fail("indicator", f"指标“{code}”未指定牵头单位")
            else:
                owner, state = self._receiver(year, rule)
                if state is not None and state not in EDITABLE_STATES:
                    fail(
                        "value",
                        f"{owner}{year}年度报送{STATE_LABEL[state]}，"
                        "不能修改；如需修改请先申请解锁",
                    )
        if len(result.problems) != errors_before:
            return None
        comment = self.restore((row.get("comment") or "").strip())
        return staged_row(
            rowno, rule, unit, year, sex, age, residence, value, comment, numerator, denominator
        )

    def _receiver(self, year: int, rule: IndicatorRule) -> tuple[str, str | None]:
        """The name of the reporter whose submission receives a row, and its state."""
        if self.township_id is not None:
            return "本乡镇（街道）", self.township_state.get(year)
        return rule.lead_department_name, self.submission_state.get((year, rule.lead_department_id))

    # --- staging table -------------------------------------------------------------------

    def _create_stage(self) -> None:
        self._drop_stage()
        with connection.cursor() as cursor:
            # On SQLite the row number is the table's rowid: rows arrive in that order, so the
            # table stays an append, and the preview's first rows are read first.
            rowno = "INTEGER PRIMARY KEY" if self.vendor == "sqlite" else "INTEGER"
            columns = ", ".join(
                f"{name} {rowno if name == 'rowno' else sql_type}" for name, sql_type, _ in STAGE
            )
            cursor.execute(f"CREATE TEMPORARY TABLE pw_stage ({columns})")

    def _drop_stage(self) -> None:
        self._drop_diff()
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS pw_stage")

    def _drop_diff(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP VIEW IF EXISTS pw_diff")
            cursor.execute("DROP TABLE IF EXISTS pw_changes")

    def _write_stage(self, rows: list[tuple]) -> None:
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # Binary COPY: no number printed by Python to be parsed again by the server.
                columns = ", ".join(STAGE_COLUMNS)
                sql = f"COPY pw_stage ({columns}) FROM STDIN (FORMAT BINARY)"
                with cursor.cursor.copy(sql) as copy:
                    copy.set_types([copy_type for _, _, copy_type in STAGE])
                    for row in rows:
                        copy.write_row(row)
                return
            # sqlite3 binds a None through a slow path (an adapter look-up per value): the rows
            # without counts are written without those columns, which then are NULL.
            short, full = [], []
            for row in rows:
                if row[NUMERATOR] is None and row[DENOMINATOR] is None:
                    short.append(row[:NUMERATOR])
                else:
                    full.append(row)
            if short:
                self._insert_stage(cursor, STAGE_COLUMNS[:NUMERATOR], short)
            if full:
                self._insert_stage(cursor, STAGE_COLUMNS, full)

    @staticmethod
    def _insert_stage(cursor, columns: tuple, rows: list[tuple]) -> None:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO pw_stage ({', '.join(columns)}) VALUES ({marks})", rows)

    def _distinct(self, a: str, b: str) -> str:
        return f"{a} IS DISTINCT FROM {b}" if self.vendor == "postgresql" else f"{a} IS NOT {b}"

    # --- checks that span rows -----------------------------------------------------------

    def _cross_row_checks(self, result: ImportResult) -> None:
        summary = self.summary
        if summary.no_duplicates and summary.sums_fine:
            return
        key = ", ".join(KEY)
        with connection.cursor() as cursor:
            # A sum check cannot find anything without rows of the parts; a scan for one costs
            # far less than the check.
            check_sex = not summary.sums_fine and self._any(cursor, "sex")
            check_residence = not summary.sums_fine and self._any(cursor, "residence")
            cursor.execute(f"CREATE INDEX pw_stage_key ON pw_stage ({key})")
            if not summary.no_duplicates:
                cursor.execute(
                    f"SELECT MIN(rowno), MAX(rowno), COUNT(*) FROM pw_stage GROUP BY {key} "
                    f"HAVING COUNT(*) > 1 ORDER BY MIN(rowno) LIMIT {MAX_PROBLEMS}"
                )
                for first, last, count in cursor.fetchall():
                    result.add(
                        Problem(
                            f"与{self.source.where(first)}重复（同一指标、单位、年份和分组出现"
                            f"{count}次）",
                            last,
                        )
                    )
                if not result.ok:
                    return
            if check_sex:
                self._sum_check(cursor, result, "sex", ("female", "male"), "性别", "女性与男性")
            if check_residence:
                self._sum_check(
                    cursor, result, "residence", ("urban", "rural"), "城乡", "城镇与农村"
                )

    @staticmethod
    def _any(cursor, axis: str) -> bool:
        cursor.execute(f"SELECT 1 FROM pw_stage WHERE {axis} <> '' LIMIT 1")
        return cursor.fetchone() is not None

    def _sum_check(self, cursor, result, axis, parts, column_label, parts_label) -> None:
        other = [k for k in KEY if k != axis]
        join = lambda alias: " AND ".join(f"{alias}.{k} = t.{k}" for k in other)  # noqa: E731
        off = lambda col: (  # noqa: E731
            f"(t.{col} IS NOT NULL AND a.{col} IS NOT NULL AND b.{col} IS NOT NULL "
            f"AND ABS(t.{col} - a.{col} - b.{col}) > 0.5 + 0.000001 * ABS(t.{col}))"
        )
        cursor.execute(
            f"SELECT t.rowno, a.rowno, b.rowno, t.numerator, a.numerator + b.numerator, "
            f"t.denominator, a.denominator + b.denominator, t.value, a.value + b.value, "
            f"t.additive FROM pw_stage t "
            f"JOIN pw_stage a ON {join('a')} AND a.{axis} = %s "
            f"JOIN pw_stage b ON {join('b')} AND b.{axis} = %s "
            f"WHERE t.{axis} = '' AND ({off('numerator')} OR {off('denominator')} "
            f"OR (t.additive = 1 AND {off('value')})) ORDER BY t.rowno LIMIT {MAX_PROBLEMS}",
            list(parts),
        )
        for row in cursor.fetchall():
            total_row, a_row, b_row, tn, sn, td, sd, tv, sv, _additive = row
            if tn is not None and sn is not None and abs(tn - sn) > 0.5 + 1e-6 * abs(tn):
                what, total, summed = "分子", tn, sn
            elif td is not None and sd is not None and abs(td - sd) > 0.5 + 1e-6 * abs(td):
                what, total, summed = "分母", td, sd
            else:
                what, total, summed = "数值", tv, sv
            result.add(
                Problem(
                    f"{parts_label}之和（{self.source.where(a_row, b_row)}，{what}合计 {summed:g}）"
                    f"与合计（{total:g}）不一致",
                    total_row,
                    column_label,
                )
            )

    # --- preview and apply ---------------------------------------------------------------

    def _diff(self, result: ImportResult) -> None:
        on = " AND ".join(f"d.{k} = s.{k}" for k in KEY)
        changed = " OR ".join(
            self._distinct(f"d.{c}", f"s.{c}")
            for c in ("value", "numerator", "denominator", "comment")
        )
        with connection.cursor() as cursor:
            # pw_diff: the staged rows that are new or changed, with the values they replace.
            if self._nothing_stored_yet(cursor):
                # The usual first import of a year: every row is new, so the diff is the
                # staged rows themselves, with no copy of them.
                cursor.execute(
                    "CREATE TEMPORARY VIEW pw_diff AS SELECT s.*, "
                    "CAST(NULL AS BIGINT) AS old_id, CAST(NULL AS DOUBLE PRECISION) AS old_value, "
                    "CAST(NULL AS DOUBLE PRECISION) AS old_numerator, "
                    "CAST(NULL AS DOUBLE PRECISION) AS old_denominator FROM pw_stage s"
                )
            else:
                cursor.execute(
                    "CREATE TEMPORARY TABLE pw_changes AS SELECT s.*, d.id AS old_id, "
                    "d.value AS old_value, d.numerator AS old_numerator, "
                    "d.denominator AS old_denominator "
                    f"FROM pw_stage s LEFT JOIN collection_datavalue d ON {on} "
                    f"WHERE d.id IS NULL OR {changed}"
                )
                cursor.execute("CREATE TEMPORARY VIEW pw_diff AS SELECT * FROM pw_changes")
            cursor.execute("SELECT COUNT(*) - COUNT(old_id), COUNT(old_id) FROM pw_diff")
            result.n_new, result.n_changed = cursor.fetchone()
            result.n_unchanged = result.n_rows - result.n_new - result.n_changed
            # The first rows first, then their names: not a join over the whole diff.
            cursor.execute(
                "SELECT x.rowno, i.code, i.name, o.code, o.name, x.year, x.sex, x.age_group, "
                "x.residence, x.old_value, x.value, x.old_id IS NULL "
                "FROM (SELECT rowno, indicator_id, org_unit_id, year, sex, age_group, residence, "
                f"old_value, value, old_id FROM pw_diff ORDER BY rowno LIMIT {PREVIEW_ROWS}) x "
                "JOIN catalog_indicator i ON i.id = x.indicator_id "
                "JOIN org_orgunit o ON o.id = x.org_unit_id ORDER BY x.rowno"
            )
            result.preview = [
                {
                    "row": r[0],
                    "indicator": r[1],
                    "indicator_name": r[2],
                    "org_unit": r[3],
                    "org_unit_name": r[4],
                    "year": r[5],
                    "sex": r[6],
                    "age_group": r[7],
                    "residence": r[8],
                    "old": r[9],
                    "new": r[10],
                    "change": "new" if r[11] else "changed",
                }
                for r in cursor.fetchall()
            ]

    def _nothing_stored_yet(self, cursor) -> bool:
        """Whether no value is stored yet for any (year, indicator) of the staged rows — one
        indexed look-up per year."""
        by_year = {}
        for year, indicator_id in self.summary.years_indicators:
            by_year.setdefault(year, []).append(indicator_id)
        for year, indicator_ids in by_year.items():
            if len(indicator_ids) > 1000:
                return False  # a look-up that long may not pay: diff row by row
            marks = ", ".join(["%s"] * len(indicator_ids))
            cursor.execute(
                "SELECT 1 FROM collection_datavalue "
                f"WHERE year = %s AND indicator_id IN ({marks}) LIMIT 1",
                [year, *indicator_ids],
            )
            if cursor.fetchone() is not None:
                return False
        return True

    def _stamp(self) -> list:
        """The stored state of the rows the file touches: how many there are, and sums of
        their ids and versions. Any insert, update or delete among them changes it (ids are
        never reused, every update raises a version)."""
        with connection.cursor() as cursor:
            if self._nothing_stored_yet(cursor):
                return [0, 0, 0]
            on = " AND ".join(f"d.{k} = s.{k}" for k in KEY)
            cursor.execute(
                "SELECT COUNT(d.id), COALESCE(SUM(d.id), 0), COALESCE(SUM(d.version), 0) "
                f"FROM pw_stage s JOIN collection_datavalue d ON {on}"
            )
            return [int(n) for n in cursor.fetchone()]

    def _recheck_states(self, result: ImportResult) -> None:
        """Rounds and submissions, read again inside the write transaction and, on
        PostgreSQL, locked as workflow._transition locks them: a submit either commits before
        this import reads its submission (and the import is refused) or waits for the import
        to commit (and submits its values)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT year, department_id, MIN(rowno) FROM pw_stage "
                "WHERE department_id IS NOT NULL GROUP BY year, department_id"
            )
            pairs = {(year, department): row for year, department, row in cursor.fetchall()}
            cursor.execute("SELECT year, MIN(rowno) FROM pw_stage GROUP BY year")
            years = dict(cursor.fetchall())
        for round_ in ReportingRound.objects.select_for_update().filter(year__in=years):
            if round_.status == RoundStatus.LOCKED:
                result.add(
                    Problem(f"{round_.year}年度数据已锁定，不能修改", years[round_.year], "year")
                )
        submissions = Submission.objects.select_for_update(of=("self",)).filter(
            round__year__in=years
        )
        if self.township_id is not None:
            submissions = submissions.filter(township_id=self.township_id)
        else:
            submissions = submissions.filter(department_id__in={d for _y, d in pairs})
        for submission in submissions.select_related("round", "department", "township").order_by(
            "pk"
        ):
            if self.township_id is not None:
                row = years.get(submission.round.year)
            else:
                row = pairs.get((submission.round.year, submission.department_id))
            if row is not None and submission.status not in EDITABLE_STATES:
                result.add(
                    Problem(
                        f"{submission.reporter_name}{submission.round.year}年度报送"
                        f"{STATE_LABEL[submission.status]}，不能修改；如需修改请先申请解锁",
                        row,
                        "value",
                    )
                )

    def _held_elsewhere(self, result: ImportResult) -> None:
        """A changed value that another reporter's submission holds past draft: a township
        overwriting its lead department's approved figure for it, or a department the
        township's submitted one, would pull the value out of what was reviewed."""
        editable = ", ".join(f"'{state}'" for state in sorted(EDITABLE_STATES))
        with connection.cursor() as cursor:
            cursor.execute(  # old_id: the stored row a changed row replaces (see _diff)
                "SELECT x.rowno, sub.id FROM pw_diff x "
                "JOIN collection_datavalue d ON d.id = x.old_id "
                "JOIN collection_submission sub ON sub.id = d.submission_id "
                f"WHERE sub.status NOT IN ({editable}) ORDER BY x.rowno LIMIT 20"
            )
            held = cursor.fetchall()
        if not held:
            return
        holders = Submission.objects.select_related("round", "department", "township").in_bulk(
            {pk for _row, pk in held}
        )
        for rowno, pk in held:
            holder = holders[pk]
            result.add(
                Problem(
                    f"该数值属于{holder.reporter_name}{holder.round.year}年度报送，"
                    f"该报送{STATE_LABEL[holder.status]}，不能修改；如需修改请先申请解锁",
                    rowno,
                    "value",
                )
            )

    def _changed_since(self, result: ImportResult, batch) -> None:
        """The refusal of a confirm whose preview is out of date, with the rows that moved."""
        previewed = (getattr(batch, "n_new", 0), getattr(batch, "n_changed", 0))
        result.add(
            Problem(
                "自预览以来，本文件涉及的已存数据已被修改，为免覆盖他人的修改，未保存任何数据"
                f"（预览时新增 {previewed[0]}、修改 {previewed[1]}；"
                f"现在新增 {result.n_new}、修改 {result.n_changed}）。请重新上传并核对预览。"
            )
        )
        since = getattr(batch, "finished_at", None)
        if since is None:
            return
        on = " AND ".join(f"d.{k} = s.{k}" for k in KEY)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.rowno, i.code, o.code, d.year, d.value, d.updated_at, u.username "
                f"FROM pw_stage s JOIN collection_datavalue d ON {on} "
                "JOIN catalog_indicator i ON i.id = d.indicator_id "
                "JOIN org_orgunit o ON o.id = d.org_unit_id "
                "LEFT JOIN auth_user u ON u.id = d.updated_by_id "
                "WHERE d.updated_at > %s ORDER BY s.rowno LIMIT 20",
                [since],
            )
            for rowno, code, unit, year, value, at, username in cursor.fetchall():
                when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""
                who = f"由 {username} " if username else ""
                result.add(
                    Problem(
                        f"{code} {unit} {year}年的已存数值已于 {when} {who}改为 {value:g}",
                        rowno,
                        "value",
                    )
                )

    def _apply(self, result: ImportResult, batch) -> None:
        now = timezone.now()
        user_id = getattr(self.user, "pk", None)
        self._ensure_submissions()
        if self.township_id is not None:
            receiver, receiver_params = "sub.township_id = %s", [self.township_id]
        else:
            receiver, receiver_params = "sub.department_id = x.department_id", []
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO collection_valuechange (indicator_id, org_unit_id, year, sex, "
                "age_group, residence, old_value, new_value, old_numerator, new_numerator, "
                "old_denominator, new_denominator, comment, channel, user_id, at, reason, "
                "batch_id) SELECT indicator_id, org_unit_id, year, sex, age_group, residence, "
                "old_value, value, old_numerator, numerator, old_denominator, denominator, "
                "comment, %s, %s, %s, %s, %s FROM pw_diff",
                [self.channel, user_id, now, self.reason, getattr(batch, "pk", None)],
            )
            cursor.execute(
                "INSERT INTO collection_datavalue (indicator_id, org_unit_id, year, sex, "
                "age_group, residence, value, numerator, denominator, comment, source, "
                "submission_id, updated_by_id, updated_at, version) SELECT x.indicator_id, "
                "x.org_unit_id, x.year, x.sex, x.age_group, x.residence, x.value, x.numerator, "
                "x.denominator, x.comment, %s, sub.id, %s, %s, 1 FROM pw_diff x "
                "LEFT JOIN collection_reportinground r ON r.year = x.year "
                "LEFT JOIN collection_submission sub ON sub.round_id = r.id "
                f"AND {receiver} WHERE true "
                f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET value = excluded.value, "
                "numerator = excluded.numerator, denominator = excluded.denominator, "
                "comment = excluded.comment, source = excluded.source, "
                "submission_id = excluded.submission_id, "
                "updated_by_id = excluded.updated_by_id, updated_at = excluded.updated_at, "
                "version = collection_datavalue.version + 1",
                [self.channel, user_id, now, *receiver_params],
            )

    def _ensure_submissions(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT year, department_id FROM pw_diff WHERE department_id IS NOT NULL"
            )
            pairs = cursor.fetchall()
        if self.township_id is not None:
            for year in {year for year, _department in pairs}:
                Submission.objects.get_or_create(
                    round=self.rounds[year], township_id=self.township_id
                )
            return
        for year, department_id in pairs:
            Submission.objects.get_or_create(round=self.rounds[year], department_id=department_id)


def _as_typed(text: str) -> str:
    return text


__all__ = ["ERROR", "WARNING", "ImportResult", "Importer"]
