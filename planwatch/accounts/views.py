"""Accounts the plan office runs: its users' passwords and their access, with Django's own
forms and views; each change audited."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from planwatch.accounts.access import can_manage_users, may_manage_user
from planwatch.audit.models import Channel, record


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own view; the change is audited (the session stays signed in)."""

    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(user=self.request.user, action="password_change", obj_type="user",
               key=self.request.user.get_username(), channel=Channel.WEB)  # fmt: skip
        return response


def _managed(request, pk):
    if not can_manage_users(request.user):
        raise PermissionDenied
    target = get_object_or_404(get_user_model(), pk=pk)
    if not may_manage_user(request.user, target):
        raise PermissionDenied
    return target


@login_required
def user_list(request):
    if not can_manage_users(request.user):
        raise PermissionDenied
    users = get_user_model().objects.select_related("profile").order_by("username")
    rows = [(u, may_manage_user(request.user, u)) for u in users]
    return render(request, "accounts/user_list.html", {"rows": rows})


@login_required
def user_password(request, pk):
    """The plan office sets a new password for one of its users (Django's SetPasswordForm)."""
    target = _managed(request, pk)
    form = SetPasswordForm(target, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            _end_sessions(target)  # whoever knew the old password is signed out
            record(user=request.user, action="password_reset", obj_type="user",
                   key=target.get_username(), channel=Channel.WEB)  # fmt: skip
        messages.success(request, _("The password of %(user)s was reset.") % {"user": target})
        return redirect("user_list")
    return render(request, "accounts/user_password.html", {"form": form, "target": target})


@login_required
@require_POST
def user_active(request, pk):
    """Deactivate (or reactivate) a user. Deactivation takes effect at once: the user's
    sessions are ended and API tokens deleted, not merely refused at the next sign-in."""
    target = _managed(request, pk)
    active = request.POST.get("active") == "1"
    with transaction.atomic():
        old = target.is_active
        target.is_active = active
        target.save(update_fields=["is_active"])
        if not active:
            _end_sessions(target)
            Token.objects.filter(user=target).delete()
        record(
            user=request.user,
            action="user_activate" if active else "user_deactivate",
            obj_type="user",
            key=target.get_username(),
            old={"active": old},
            new={"active": active},
            channel=Channel.WEB,
        )
    return redirect("user_list")


def _end_sessions(user) -> None:
    """Delete the user's sessions (the database session store: each is decoded to find its
    user; the table holds only unexpired sessions of an intranet's few hundred users)."""
    key = str(user.pk)
    doomed = [
        s.session_key
        for s in Session.objects.filter(expire_date__gt=timezone.now())
        if s.get_decoded().get("_auth_user_id") == key
    ]
    Session.objects.filter(session_key__in=doomed).delete()
