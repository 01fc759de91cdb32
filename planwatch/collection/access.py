"""Access to collection's objects: submissions, their workflow steps, data values, import
batches. Beside the objects, deciding with the roles' predicates of `accounts.access`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from planwatch.accounts.access import (
    READ_ALL_ROLES,
    get_visible,
    is_own_department,
    may_lock_rounds,
    may_mark_comments,
    role_of,
    value_writer,
    values_for_user,
)
from planwatch.accounts.models import Profile, Role
from planwatch.collection.models import DataValue, ImportBatch, Submission, SubmissionStatus


def submissions_for_user(user, submissions):
    """Readers of everything see every submission; a department or township reporter its
    own."""
    role = role_of(user)
    if role in READ_ALL_ROLES:
        return submissions
    if role == Role.DEPARTMENT:
        return submissions.filter(department_id=user.profile.department_id)
    if role == Role.TOWNSHIP:
        return submissions.filter(township_id=user.profile.org_unit_id)
    return submissions.none()


def is_own_township(user, township_id) -> bool:
    """A township reporter of exactly this township."""
    return (
        township_id is not None
        and role_of(user) == Role.TOWNSHIP
        and user.profile.org_unit_id == township_id
    )


def is_own_reporter(user, submission: Submission) -> bool:
    """The reporter of this submission: its department's, or its township's."""
    if submission.township_id is not None:
        return is_own_township(user, submission.township_id)
    return is_own_department(user, submission.department_id)


def receiving_submission(user, round_, department=None) -> Submission | None:
    """The submission that receives what this user enters on the form of `department` (or of
    a township): a township reporter's own township's; otherwise the department's."""
    writer = value_writer(user)
    township_id = writer.township_id if writer is not None else None
    if township_id is not None:
        return Submission.objects.filter(round=round_, township_id=township_id).first()
    if department is not None:
        return Submission.objects.filter(round=round_, department=department).first()
    return None


def get_submission_for_user(user, pk: int, write: bool = False) -> Submission:
    """Which step a reader may take is `may_act`'s question; leaders change nothing."""
    submissions = Submission.objects.select_related("round", "department", "township")
    submission = get_visible(user, submissions, submissions_for_user, pk)
    if write and role_of(user) == Role.LEADER:
        raise PermissionDenied
    return submission


def own_submission(user, submission: Submission) -> bool:
    """Made by this user, or by the user's own department (the bureau reports too) or
    township."""
    if submission.submitted_by_id is not None and submission.submitted_by_id == user.pk:
        return True
    profile = getattr(user, "profile", None)
    department_id = getattr(profile, "department_id", None)
    if department_id is not None and department_id == submission.department_id:
        return True
    return is_own_township(user, submission.township_id)


def may_act(user, action: str, submission: Submission) -> bool:
    """The workflow's table of who: submit, approve, return, lock, unlock."""
    role = role_of(user)
    if action in {"approve", "return"} and own_submission(user, submission):
        return False  # nobody reviews their own submission, not even an administrator
    if role == Role.ADMIN:
        return True
    if action == "submit":
        return is_own_reporter(user, submission) or role == Role.PLAN_OFFICE
    if action in {"approve", "return"}:
        # The bureau's own submission is reviewed by the plan office.
        return role == Role.STATISTICS or (
            role == Role.PLAN_OFFICE
            and submission.department_id is not None
            and Profile.objects.filter(
                role=Role.STATISTICS, department_id=submission.department_id
            ).exists()
        )
    if action == "lock":
        return may_lock_rounds(user)
    if action == "unlock":
        if submission.status == SubmissionStatus.LOCKED:
            return role == Role.PLAN_OFFICE
        return role in {Role.PLAN_OFFICE, Role.STATISTICS}
    return False


def may_request_unlock(user, submission: Submission) -> bool:
    """The reporting department asks (an administrator may, for it) once the data are
    approved or locked."""
    own = is_own_reporter(user, submission) or role_of(user) == Role.ADMIN
    return own and submission.status in {SubmissionStatus.APPROVED, SubmissionStatus.LOCKED}


def may_mark_notes(user, submission: Submission) -> bool:
    """Mark a reporter's comment for the compilation: its reviewers and the office."""
    return may_act(user, "return", submission) or may_mark_comments(user)


def get_value_for_user(user, pk: int) -> DataValue:
    """A stored value, and its history, for whoever may read the value."""
    values = DataValue.objects.select_related("indicator", "org_unit")
    return get_visible(user, values, values_for_user, pk)


def get_batch_for_user(user, pk: int) -> ImportBatch:
    """An import batch is its uploader's (and an administrator's) to see and confirm."""
    try:
        batch = ImportBatch.objects.get(pk=pk)
    except ImportBatch.DoesNotExist as exc:
        raise Http404 from exc
    if batch.user_id != user.pk and role_of(user) != Role.ADMIN:
        raise PermissionDenied
    return batch
