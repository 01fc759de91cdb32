"""Accounts: password change and reset (Django's own views and forms), idle expiry, sign-ins
audited, and a deactivated user shut out at once — sessions and API tokens alike."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from planwatch.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def signed_in(username) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": "pw-" + username})
    assert response.status_code == 302, response.content[:300]
    return client


def test_sign_ins_and_failed_sign_ins_are_audited(users):
    signed_in("t_health")
    Client().post("/accounts/login/", {"username": "t_health", "password": "wrong"})
    Client().post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "object_key"))
    assert ("login", "t_health") in actions
    assert actions.count(("login_failed", "t_health")) == 1
    assert ("login_failed", "nobody") in actions


def test_a_user_changes_their_own_password(users):
    client = signed_in("t_health")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "pw-t_health",
            "new_password1": "Sh3ngy@ng-2025!",
            "new_password2": "Sh3ngy@ng-2025!",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="t_health").check_password("Sh3ngy@ng-2025!")
    assert AuditEntry.objects.filter(action="password_change", object_key="t_health").exists()


def test_the_plan_office_resets_a_users_password_and_ends_their_sessions(users, clients):
    victim = signed_in("t_health")
    assert victim.get("/collection/rounds/").status_code == 200
    response = clients["office"].post(
        f"/accounts/users/{users['health'].pk}/password/",
        {"new_password1": "N3w-Passw0rd-2025", "new_password2": "N3w-Passw0rd-2025"},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="t_health").check_password("N3w-Passw0rd-2025")
    assert victim.get("/collection/rounds/").status_code == 302  # to the sign-in page
    assert AuditEntry.objects.filter(action="password_reset", object_key="t_health").exists()


def test_only_the_plan_office_manages_users_and_never_a_superuser(users, clients):
    assert clients["health"].get("/accounts/users/").status_code == 403
    assert (
        clients["stats"]
        .post(f"/accounts/users/{users['health'].pk}/active/", {"active": "0"})
        .status_code
        == 403
    )
    assert clients["office"].get("/accounts/users/").status_code == 200
    assert (
        clients["office"]
        .post(f"/accounts/users/{users['admin'].pk}/active/", {"active": "0"})
        .status_code
        == 403
    )
    assert get_user_model().objects.get(username="t_admin").is_active


def test_a_deactivated_user_loses_access_at_once(users, clients):
    session = signed_in("t_health")
    token = Token.objects.create(user=users["health"]).key
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/indicators/").status_code == 200
    assert session.get("/collection/rounds/").status_code == 200
    response = clients["office"].post(
        f"/accounts/users/{users['health'].pk}/active/", {"active": "0"}
    )
    assert response.status_code == 302
    assert session.get("/collection/rounds/").status_code == 302
    assert api.get("/api/indicators/").status_code == 401
    assert not Token.objects.filter(user=users["health"]).exists()
    entry = AuditEntry.objects.get(action="user_deactivate")
    assert (entry.object_key, entry.old, entry.new) == (
        "t_health",
        {"active": True},
        {"active": False},
    )


def test_sessions_expire_after_inactivity_and_requests_renew_them(users, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60  # the default idle limit
    client = signed_in("t_health")
    session = Session.objects.get()
    # A request after a minute renews the expiry to a full idle period from now.
    data = session.get_decoded()
    data["_renewed_at"] = int(time.time()) - 120
    Session.objects.filter(pk=session.pk).update(
        session_data=Session.objects.encode(data),
        expire_date=timezone.now() + timezone.timedelta(minutes=5),
    )
    assert client.get("/collection/rounds/").status_code == 200
    renewed = Session.objects.get().expire_date
    assert renewed > timezone.now() + timezone.timedelta(minutes=29)
    # Idle past the limit: signed out.
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get("/collection/rounds/").status_code == 302
