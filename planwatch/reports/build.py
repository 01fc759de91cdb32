"""Building a report: one function behind the page, the background task and the command line.

A report row is created first (with its version), then built: snapshot, document, file. The
row records progress as it goes, so that the page can show it while a worker builds.
"""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from planwatch.audit.models import Channel, record
from planwatch.catalog.models import Department, Plan
from planwatch.monitoring.models import SeriesResult
from planwatch.reports import compilation, documents
from planwatch.reports.chapters import incompleteness
from planwatch.reports.models import BuildStatus, Report, ReportKind, ReviewState
from planwatch.reports.review import record_publication
from planwatch.reports.snapshot import snapshot_hash, take_snapshot

VERSION_ATTEMPTS = 5


class ReportRefused(ValueError):
    """A report that cannot be built as asked; the message says why, in Chinese."""


def check_request(kind: str, plan_code: str, year: int, department_code: str | None = None):
    """(plan, department) for a build request, or ReportRefused."""
    if kind not in ReportKind.values:
        raise ReportRefused(f"未知的报告类型“{kind}”。")
    plan = Plan.objects.filter(code=plan_code).first()
    if plan is None:
        raise ReportRefused(f"没有代码为“{plan_code}”的规划。")
    if not plan.start_year - 1 <= year <= plan.end_year:
        raise ReportRefused(f"年份须在{plan.start_year - 1}—{plan.end_year}年之间。")
    department = None
    if kind == ReportKind.FEEDBACK:
        if not department_code:
            raise ReportRefused("部门反馈须指定成员单位（--department）。")
        department = Department.objects.filter(code=department_code).first()
        if department is None:
            raise ReportRefused(f"没有代码为“{department_code}”的成员单位。")
    elif department_code:
        raise ReportRefused("只有部门反馈按成员单位生成。")
    if kind != ReportKind.COMPILATION and not evaluated(plan, year):
        raise ReportRefused(
            f"尚无{year}年的评价结果：请先审核数据，再运行 planwatch evaluate --year {year}。"
        )
    return plan, department


def evaluated(plan, year: int) -> bool:
    return SeriesResult.objects.filter(
        as_of_year=year, preview=False, target__area__plan=plan
    ).exists()


def create_report(
    kind, plan_code, year, department_code=None, *, author=None, channel=Channel.WEB
) -> Report:
    plan, department = check_request(kind, plan_code, year, department_code)
    for attempt in range(VERSION_ATTEMPTS):
        try:
            with transaction.atomic():
                latest = Report.objects.filter(
                    kind=kind, plan=plan, year=year, department=department
                ).aggregate(v=Max("version"))["v"]
                report = Report.objects.create(
                    kind=kind,
                    plan=plan,
                    year=year,
                    department=department,
                    version=(latest or 0) + 1,
                    author=author,
                    channel=channel,
                )
        except IntegrityError:
            # Two builds asked at the same moment took the same number: take the next one.
            if attempt == VERSION_ATTEMPTS - 1:
                raise
            continue
        record(
            user=author,
            action="build_report",
            obj_type="report",
            key=str(report.pk),
            new={"kind": kind, "plan": plan.code, "year": year, "version": report.version}
            | ({"department": department.code} if department else {}),
            channel=channel,
        )
        return report
    raise AssertionError("unreachable")


def render(snapshot: dict, created, progress=None) -> bytes:
    """The document for a snapshot; the same snapshot always gives the same content."""
    step = progress or (lambda pct, stage: None)
    document = {**snapshot, "_hash": snapshot_hash(snapshot)}
    if snapshot["kind"] == ReportKind.COMPILATION:
        return compilation.build(document, created, step)
    return documents.WRITERS[snapshot["kind"]](document, created, step)


def run_build(report: Report, progress=None) -> Report:
    def step(pct: int, stage: str) -> None:
        report.progress, report.stage = pct, stage
        Report.objects.filter(pk=report.pk).update(progress=pct, stage=stage)
        if progress is not None:
            progress(pct, stage)

    report.status = BuildStatus.RUNNING
    report.save(update_fields=["status"])
    try:
        step(5, "读取数据")
        snapshot = take_snapshot(
            report.kind,
            report.plan.code,
            report.year,
            report.department.code if report.department_id else None,
        )
        step(25, "撰写文档")
        data = render(snapshot, timezone.localtime(report.created_at), step)
        step(95, "保存文件")
        report.file.save(report.download_name, ContentFile(data), save=False)
        report.snapshot = snapshot
        report.snapshot_sha256 = snapshot_hash(snapshot)
        report.document_sha256 = _sha256(data)
        report.demo = bool(snapshot["demo"])
        report.status = BuildStatus.DONE
        report.progress, report.stage = 100, "完成"
        report.finished_at = timezone.now()
        report.save()
    except Exception as exc:
        report.status = BuildStatus.FAILED
        report.error = str(exc) or exc.__class__.__name__
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "error", "finished_at"])
        raise
    return report


def build_report(
    kind, plan_code, year, department_code=None, *, author=None, channel=Channel.CLI, progress=None
) -> Report:
    report = create_report(kind, plan_code, year, department_code, author=author, channel=channel)
    return run_build(report, progress)


def publish(report: Report, *, by, channel=Channel.WEB, confirm_incomplete=False) -> Report:
    if report.status != BuildStatus.DONE:
        raise ReportRefused("报告尚未生成完成，不能发布。")
    if report.published:
        return report
    if report.review != ReviewState.APPROVED:
        raise ReportRefused("报告须经监测组、评估组审核通过后方可印发。")
    gaps = incompleteness(report.snapshot) if report.snapshot.get("areas") is not None else ""
    if gaps and not confirm_incomplete:
        raise ReportRefused(f"报告所依据的数据不完整（{gaps}），须由区妇儿工委办确认后方可发布。")
    report.published = True
    report.published_at = timezone.now()
    report.published_by = by if getattr(by, "is_authenticated", False) else None
    report.review = ReviewState.PUBLISHED
    report.save(update_fields=["published", "published_at", "published_by", "review"])
    record_publication(report, by=by)
    record(
        user=by,
        action="publish_report",
        obj_type="report",
        key=str(report.pk),
        old={"published": False},
        new={
            "published": True,
            "sha256": report.document_sha256,
            "version": report.version,
            "confirmed_incomplete": gaps,
        },
        channel=channel,
    )
    return report


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
