"""Department self-assessments: which items a department answers for, and saving its account.

Every change is audited, as is every evidence file added or removed.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from planwatch.audit.models import Channel, record
from planwatch.catalog.models import Measure, Objective
from planwatch.reports.models import Evidence, SelfAssessment


@dataclass
class Item:
    """A measure or a qualitative objective the department is lead or co-responsible for."""

    kind: str  # "m" | "o"
    obj: object
    lead: bool
    assessment: SelfAssessment | None = None
    form: object = None
    evidence: list = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return f"{self.kind}{self.obj.pk}"

    @property
    def area(self):
        return self.obj.area

    @property
    def label(self) -> str:
        if self.kind == "m":
            return f"措施{self.obj.number}：{self.obj.title}"
        return f"目标{self.obj.number}：{self.obj.text}"


def _responsible(model, department):
    return (
        model.objects.filter(Q(lead_department=department) | Q(co_departments=department))
        .distinct()
        .select_related("area__plan", "lead_department")
        .order_by("area__plan__sort", "area__number", "number")
    )


def items_for(department, year: int) -> list[Item]:
    objectives = _responsible(Objective, department).filter(targets__isnull=True)
    measures = _responsible(Measure, department)
    existing = {
        ("m", a.measure_id) if a.measure_id else ("o", a.objective_id): a
        for a in SelfAssessment.objects.filter(department=department, year=year).prefetch_related(
            "evidence"
        )
    }
    items = [Item("o", o, o.lead_department_id == department.pk) for o in objectives]
    items += [Item("m", m, m.lead_department_id == department.pk) for m in measures]
    for item in items:
        item.assessment = existing.get((item.kind, item.obj.pk))
        item.evidence = list(item.assessment.evidence.all()) if item.assessment else []
    items.sort(key=lambda i: (i.area.plan.sort, i.area.number, i.kind != "o", i.obj.number))
    return items


def _key(department, year, item: Item) -> str:
    return f"{department.code}/{year}/{item.prefix}"


@transaction.atomic
def save(department, year: int, items: list[Item], *, user) -> int:
    """Store what the valid forms say; returns how many assessments or files changed."""
    changed = 0
    for item in items:
        data = item.form.cleaned_data
        if not data.get("rating"):
            continue
        assessment = item.assessment
        before = {"rating": assessment.rating, "text": assessment.text} if assessment else None
        after = {"rating": data["rating"], "text": data.get("text", "")}
        if before != after:
            if assessment is None:
                assessment = SelfAssessment(
                    department=department,
                    year=year,
                    **({"measure": item.obj} if item.kind == "m" else {"objective": item.obj}),
                )
            assessment.rating, assessment.text = after["rating"], after["text"]
            assessment.updated_by = user
            assessment.save()
            item.assessment = assessment
            record(
                user=user,
                action="self_assessment",
                obj_type="self_assessment",
                key=_key(department, year, item),
                old=before,
                new=after,
                channel=Channel.WEB,
            )
            changed += 1
        upload = data.get("evidence")
        if upload:
            add_evidence(assessment, upload, user=user, key=_key(department, year, item))
            changed += 1
    return changed


def add_evidence(assessment, upload, *, user, key: str) -> Evidence:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        assessment=assessment,
        name=upload.name[:200],
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    record(
        user=user,
        action="add_evidence",
        obj_type="evidence",
        key=key,
        new={"file": evidence.name, "size": evidence.size, "sha256": evidence.sha256},
        channel=Channel.WEB,
    )
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence, *, user) -> None:
    assessment = evidence.assessment
    record(
        user=user,
        action="remove_evidence",
        obj_type="evidence",
        key=f"{assessment.department.code}/{assessment.year}/{evidence.pk}",
        old={"file": evidence.name, "size": evidence.size, "sha256": evidence.sha256},
        channel=Channel.WEB,
    )
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))
