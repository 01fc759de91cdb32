"""Access to the 预警通报 cycle's objects: bulletins and their 整改 items. Beside the objects,
deciding with the roles' predicates of `accounts.access`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from planwatch.accounts.access import (
    answers_rectification,
    may_issue_bulletins,
    reads_everything,
    role_of,
)
from planwatch.accounts.models import Role
from planwatch.rectification.models import AWAITING, Bulletin, ItemStatus, RectificationItem


def bulletins_for_user(user, bulletins):
    """Readers of everything read every bulletin; a department those addressed to it."""
    if reads_everything(user):
        return bulletins
    if role_of(user) == Role.DEPARTMENT:
        return bulletins.filter(items__department_id=user.profile.department_id).distinct()
    return bulletins.none()


def rectification_items_for_user(user, items):
    """A department sees its own 整改 items only."""
    if reads_everything(user):
        return items
    if role_of(user) == Role.DEPARTMENT:
        return items.filter(department_id=user.profile.department_id)
    return items.none()


def get_bulletin_for_user(user, pk: int) -> Bulletin:
    try:
        bulletin = Bulletin.objects.get(pk=pk)
    except Bulletin.DoesNotExist as exc:
        raise Http404 from exc
    if not bulletins_for_user(user, Bulletin.objects.filter(pk=pk)).exists():
        raise PermissionDenied
    return bulletin


def get_rectification_item_for_user(user, pk: int) -> RectificationItem:
    qs = RectificationItem.objects.select_related("bulletin", "department", "indicator")
    try:
        item = qs.get(pk=pk)
    except RectificationItem.DoesNotExist as exc:
        raise Http404 from exc
    if not rectification_items_for_user(user, qs.filter(pk=pk)).exists():
        raise PermissionDenied
    return item


def may_answer_rectification(user, item: RectificationItem) -> bool:
    """The responsible department answers (again, after a send-back) until the item closes."""
    return item.status in (*AWAITING, ItemStatus.ANSWERED) and answers_rectification(user, item)


def may_decide_rectification(user, item: RectificationItem) -> bool:
    """The plan office closes an answered item or sends it back."""
    return may_issue_bulletins(user) and item.status == ItemStatus.ANSWERED
