"""State changes on the catalog, each atomic and audited. Pages, API and CLI call these."""

from django.db import transaction

from planwatch.audit.models import Channel, record


@transaction.atomic
def set_responsibility(item, lead, co, *, by, channel=Channel.WEB, reason=""):
    """Change who answers for an indicator, objective or measure."""
    before = item.department_codes()
    item.lead_department = lead
    item.save(update_fields=["lead_department"])
    item.co_departments.set([d for d in co if d != lead])
    after = item.department_codes()
    if before != after:
        record(
            user=by,
            action="set_responsibility",
            obj_type=item._meta.model_name,
            key=getattr(item, "code", None) or str(item.pk),
            old=before,
            new=after,
            channel=channel,
            reason=reason,
        )
    return item
