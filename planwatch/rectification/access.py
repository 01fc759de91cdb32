"""Access to the 预警通报 cycle's objects: bulletins and their 整改 items. Beside the objects,
deciding with the roles' predicates of `accounts.access`."""

from planwatch.accounts.access import (
    answers_rectification,
    get_visible,
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
    return get_visible(user, Bulletin.objects.all(), bulletins_for_user, pk)


def get_rectification_item_for_user(user, pk: int) -> RectificationItem:
    qs = RectificationItem.objects.select_related("bulletin", "department", "indicator")
    return get_visible(user, qs, rectification_items_for_user, pk)


def may_answer_rectification(user, item: RectificationItem) -> bool:
    """The responsible department answers (again, after a send-back) until the item closes."""
    return item.status in (*AWAITING, ItemStatus.ANSWERED) and answers_rectification(user, item)


def may_decide_rectification(user, item: RectificationItem) -> bool:
    """The plan office closes an answered item or sends it back."""
    return may_issue_bulletins(user) and item.status == ItemStatus.ANSWERED
