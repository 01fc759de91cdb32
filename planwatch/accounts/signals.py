"""Every sign-in, sign-out and failed sign-in goes into the audit trail."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from planwatch.audit.models import Channel, record


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    record(
        user=user,
        action="login",
        obj_type="user",
        key=user.get_username(),
        new={"ip": _address(request)},
        channel=Channel.WEB,
    )


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(user=user, action="logout", obj_type="user", key=user.get_username(),
               channel=Channel.WEB)  # fmt: skip


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    known = get_user_model().objects.filter(username=username).first()
    record(
        user=known,  # record() keeps a user only when authenticated: None here
        action="login_failed",
        obj_type="user",
        key=username,
        new={"ip": _address(request)},
        channel=Channel.WEB,
    )
