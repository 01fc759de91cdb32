"""The one importer behind the web upload, the CLI and the API.

A file is stored whole or not at all. Rows are checked one by one in Python (codes, numbers,
scope, workflow state), then written to a temporary staging table where the checks that span
rows (duplicate keys, female + male = total, urban + rural = total) and the preview (new,
changed, unchanged) are single SQL statements, and where confirming the import is one
`INSERT … ON CONFLICT` beside one history insert. Memory stays flat whatever the file size.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from planwatch.accounts.access import role_of
from planwatch.accounts.models import Role
from planwatch.audit.models import Channel, record
from planwatch.catalog.models import Indicator
from planwatch.collection.files import open_rows
from planwatch.collection.models import (
    EDITABLE_STATES,
    ImportBatch,
    ImportStatus,
    ReportingRound,
    RoundStatus,
    Submission,
    SubmissionStatus,
)
from planwatch.collection.problems import ERROR, WARNING, FileRefused, Problem
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

MAX_PROBLEMS = 500
FLUSH_ROWS = 20_000
PREVIEW_ROWS = 200
KEY = ("indicator_id", "org_unit_id", "year", "sex", "age_group", "residence")
STAGE_COLUMNS = (
    "rowno",
    *KEY,
    "value",
    "numerator",
    "denominator",
    "comment",
    "department_id",
    "additive",
)
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

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.truncated = True


class _Scope:
    """Which indicators and org units this user may write."""

    def __init__(self, user):
        self.role = role_of(user) if user is not None else Role.ADMIN
        profile = getattr(user, "profile", None)
        self.department_id = profile.department_id if profile else None
        self.org_unit_id = profile.org_unit_id if profile else None
        if self.role in {None, Role.LEADER}:
            raise FileRefused("当前账号没有填报权限")

    @property
    def everything(self) -> bool:
        return self.role in {Role.ADMIN, Role.PLAN_OFFICE, Role.STATISTICS}

    def indicator_problem(self, rule: IndicatorRule) -> str | None:
        if self.role == Role.DEPARTMENT and rule.lead_department_id != self.department_id:
            return f"无权填报该指标：牵头单位为{rule.lead_department_name}"
        return None

    def unit_problem(self, unit: UnitRule) -> str | None:
        if unit.reference and not self.everything:
            return "上级参照单位的数据只能由妇儿工委办或统计局录入"
        if self.role == Role.TOWNSHIP and self.org_unit_id not in unit.path:
            return "只能填报本乡镇（街道）的数据"
        return None


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
        self.submission_state = {
            (s.round.year, s.department_id): s.status
            for s in Submission.objects.select_related("round")
        }
        self.vendor = connection.vendor

    # --- entry points --------------------------------------------------------------------

    def check(self, path: Path, *, name: str | None = None, progress=None) -> ImportResult:
        return self._run(path, name=name, store=False, progress=progress)

    def store(
        self, path: Path, *, name: str | None = None, progress=None, batch=None
    ) -> ImportResult:
        return self._run(path, name=name, store=True, progress=progress, batch=batch)

    # --- the pipeline --------------------------------------------------------------------

    def _run(self, path, *, name, store, progress=None, batch=None) -> ImportResult:
        result = ImportResult()
        max_bytes = settings.PLANWATCH_IMPORT_MAX_BYTES
        try:
            source = open_rows(Path(path), name=name, max_bytes=max_bytes)
            with transaction.atomic():
                self._create_stage()
                try:
                    self._stage_rows(source, result, progress)
                except FileRefused as exc:
                    result.add(exc.problem)
                if result.ok:
                    self._cross_row_checks(result)
                if result.ok:
                    self._diff(result)
                if result.ok and store:
                    self._apply(result, batch)
                    result.stored = True
                if not result.stored:
                    transaction.set_rollback(True)
                else:
                    self._drop_stage()
        except FileRefused as exc:
            result.problems = [exc.problem]
        return result

    def _stage_rows(self, source, result: ImportResult, progress: Callable | None) -> None:
        buffer = []
        check = self._check_row
        for rowno, row in source.rows:
            result.n_rows += 1
            staged = check(rowno, row, result)
            if staged is not None and result.ok:
                buffer.append(staged)
                if len(buffer) >= FLUSH_ROWS:
                    self._write_stage(buffer)
                    buffer.clear()
            if progress is not None and result.n_rows % FLUSH_ROWS == 0:
                progress(result.n_rows)
            if result.truncated:
                break
        if buffer and result.ok:
            self._write_stage(buffer)
        if progress is not None:
            progress(result.n_rows)
        if result.n_rows == 0:
            result.add(Problem("文件中没有数据行"))

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
            result.add(Problem(message, rowno, column))

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
            year = int(year_text)
        except ValueError:
            fail("year", f"年份“{year_text}”不是整数年份" if year_text else "年份不能为空")
        round_ = self.rounds.get(year) if year is not None else None
        if year is not None and round_ is None:
            fail("year", f"{year}年没有填报任务（不在任何填报周期内）")
        elif round_ is not None and round_.status == RoundStatus.LOCKED:
            fail("year", f"{year}年度数据已锁定，不能修改")

        sex = SEX_CODES.get((row.get("sex") or "").strip().lower())
        if sex is None:
            fail("sex", f"性别“{row.get('sex')}”无效（应为 female、male 或留空表示合计）")
        elif sex and rule is not None and "sex" not in rule.disaggregations:
            fail("sex", f"指标“{code}”不分性别填报")
        residence = RESIDENCE_CODES.get((row.get("residence") or "").strip().lower())
        if residence is None:
            fail("residence", f"城乡“{row.get('residence')}”无效（应为 urban、rural 或留空）")
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
            fail("value", "缺少数值（填写 value，或同时填写分子和分母）")
        if value is not None and rule is not None and rule.percent and rule.share and value > 100:
            fail("value", f"百分比不能超过 100（{value:g}）")

        if rule is not None and unit is not None and year is not None and not unit.reference:
            if rule.lead_department_id is None:
                fail("indicator", f"指标“{code}”未指定牵头单位")
            else:
                state = self.submission_state.get((year, rule.lead_department_id))
                if state is not None and state not in EDITABLE_STATES:
                    fail(
                        "value",
                        f"{rule.lead_department_name}{year}年度报送{STATE_LABEL[state]}，"
                        "不能修改；如需修改请先申请解锁",
                    )
        if len(result.problems) != errors_before:
            return None
        department_id = None if unit.reference else rule.lead_department_id
        comment = (row.get("comment") or "").strip()
        return (
            rowno,
            rule.id,
            unit.id,
            year,
            sex,
            age,
            residence,
            value,
            numerator,
            denominator,
            comment,
            department_id,
            1 if rule.additive else 0,
        )

    # --- staging table -------------------------------------------------------------------

    def _create_stage(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS pw_stage")
            cursor.execute("DROP TABLE IF EXISTS pw_diff")
            cursor.execute(
                "CREATE TEMPORARY TABLE pw_stage (rowno INTEGER, indicator_id BIGINT, "
                "org_unit_id BIGINT, year INTEGER, sex VARCHAR(6), age_group VARCHAR(20), "
                "residence VARCHAR(5), value DOUBLE PRECISION, numerator DOUBLE PRECISION, "
                "denominator DOUBLE PRECISION, comment TEXT, department_id BIGINT, "
                "additive INTEGER)"
            )

    def _drop_stage(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS pw_stage")
            cursor.execute("DROP TABLE IF EXISTS pw_diff")

    def _write_stage(self, rows: list[tuple]) -> None:
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                columns = ", ".join(STAGE_COLUMNS)
                with cursor.cursor.copy(f"COPY pw_stage ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
                cursor.executemany(f"INSERT INTO pw_stage VALUES ({marks})", rows)

    def _distinct(self, a: str, b: str) -> str:
        return f"{a} IS DISTINCT FROM {b}" if self.vendor == "postgresql" else f"{a} IS NOT {b}"

    # --- checks that span rows -----------------------------------------------------------

    def _cross_row_checks(self, result: ImportResult) -> None:
        key = ", ".join(KEY)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX pw_stage_key ON pw_stage ({key})")
            cursor.execute(
                f"SELECT MIN(rowno), MAX(rowno), COUNT(*) FROM pw_stage GROUP BY {key} "
                f"HAVING COUNT(*) > 1 ORDER BY MIN(rowno) LIMIT {MAX_PROBLEMS}"
            )
            for first, last, count in cursor.fetchall():
                result.add(
                    Problem(f"与第{first}行重复（同一指标、单位、年份和分组出现{count}次）", last)
                )
            if not result.ok:
                return
            self._sum_check(cursor, result, "sex", ("female", "male"), "性别", "女性与男性")
            self._sum_check(cursor, result, "residence", ("urban", "rural"), "城乡", "城镇与农村")

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
                    f"{parts_label}之和（第{a_row}、{b_row}行，{what}合计 {summed:g}）"
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
            cursor.execute(
                "CREATE TEMPORARY TABLE pw_diff AS SELECT s.*, d.id AS old_id, "
                "d.value AS old_value, d.numerator AS old_numerator, "
                "d.denominator AS old_denominator "
                f"FROM pw_stage s LEFT JOIN collection_datavalue d ON {on} "
                f"WHERE d.id IS NULL OR {changed}"
            )
            cursor.execute("SELECT COUNT(*) - COUNT(old_id), COUNT(old_id) FROM pw_diff")
            result.n_new, result.n_changed = cursor.fetchone()
            result.n_unchanged = result.n_rows - result.n_new - result.n_changed
            cursor.execute(
                "SELECT x.rowno, i.code, i.name, o.code, o.name, x.year, x.sex, x.age_group, "
                "x.residence, x.old_value, x.value, x.old_id IS NULL FROM pw_diff x "
                "JOIN catalog_indicator i ON i.id = x.indicator_id "
                "JOIN org_orgunit o ON o.id = x.org_unit_id "
                f"ORDER BY x.rowno LIMIT {PREVIEW_ROWS}"
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

    def _apply(self, result: ImportResult, batch) -> None:
        now = timezone.now()
        user_id = getattr(self.user, "pk", None)
        self._ensure_submissions()
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
                "submission_id, updated_by_id, updated_at) SELECT x.indicator_id, "
                "x.org_unit_id, x.year, x.sex, x.age_group, x.residence, x.value, x.numerator, "
                "x.denominator, x.comment, %s, sub.id, %s, %s FROM pw_diff x "
                "LEFT JOIN collection_reportinground r ON r.year = x.year "
                "LEFT JOIN collection_submission sub ON sub.round_id = r.id "
                "AND sub.department_id = x.department_id WHERE true "
                f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET value = excluded.value, "
                "numerator = excluded.numerator, denominator = excluded.denominator, "
                "comment = excluded.comment, source = excluded.source, "
                "submission_id = excluded.submission_id, "
                "updated_by_id = excluded.updated_by_id, updated_at = excluded.updated_at",
                [self.channel, user_id, now],
            )

    def _ensure_submissions(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT year, department_id FROM pw_diff WHERE department_id IS NOT NULL"
            )
            pairs = cursor.fetchall()
        for year, department_id in pairs:
            Submission.objects.get_or_create(round=self.rounds[year], department_id=department_id)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(
    path: Path,
    *,
    user=None,
    channel: str = Channel.CSV,
    dry_run: bool = False,
    name: str | None = None,
    progress=None,
    reason: str = "",
) -> tuple[ImportResult, ImportBatch]:
    """Check a file and, unless dry_run, store it; always leaves an ImportBatch behind."""
    path = Path(path)
    batch = ImportBatch.objects.create(
        user=user if getattr(user, "pk", None) else None,
        channel=channel,
        file_name=name or path.name,
        sha256=sha256_of(path) if path.exists() else "",
        status=ImportStatus.RUNNING,
    )
    try:
        importer = Importer(user=user, channel=channel, reason=reason)
    except FileRefused as exc:
        result = ImportResult(problems=[exc.problem])
    else:
        if dry_run:
            result = importer.check(path, name=name, progress=progress)
        else:
            result = importer.store(path, name=name, progress=progress, batch=batch)
    finish_batch(batch, result, stored_status=ImportStatus.STORED if result.stored else None)
    if result.stored:
        record(
            user=user,
            action="import_values",
            obj_type="import",
            key=str(batch.pk),
            new={"file": batch.file_name, "new": result.n_new, "changed": result.n_changed},
            channel=channel,
            reason=reason,
        )
    return result, batch


def finish_batch(batch: ImportBatch, result: ImportResult, stored_status=None) -> None:
    batch.rows_total = batch.rows_done = result.n_rows
    batch.n_new, batch.n_changed, batch.n_unchanged = (
        result.n_new,
        result.n_changed,
        result.n_unchanged,
    )
    batch.errors = [p.to_dict() for p in result.problems]
    batch.warnings = [p.to_dict() for p in result.warnings]
    batch.preview = result.preview
    if stored_status:
        batch.status = stored_status
    else:
        batch.status = ImportStatus.CHECKED if result.ok else ImportStatus.REFUSED
    batch.finished_at = timezone.now()
    batch.save()


__all__ = ["ERROR", "WARNING", "ImportResult", "Importer", "import_file"]
