"""Sign-in through the real form, failed-login throttling, language switch."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from planwatch.accounts.access import role_of


def test_sign_in_with_the_form_and_land_on_the_catalog(users):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "t_office", "password": "pw-t_office"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/overview/"
    assert "双阳区妇女发展规划" in response.content.decode()


def test_wrong_password_is_refused(users):
    client = Client()
    response = client.post(reverse("login"), {"username": "t_office", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_even_with_the_right_password(users, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "t_stats", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "t_stats", "password": "pw-t_stats"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed(users):
    user = get_user_model().objects.get(username="t_office")
    assert "pw-t_office" not in user.password
    assert user.check_password("pw-t_office")


def test_pages_speak_chinese_by_default_and_english_on_request(clients):
    client = clients["office"]
    assert "规划目录" in client.get("/catalog/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/catalog/"})
    body = client.get("/catalog/").content.decode()
    assert "Plan catalog" in body
    assert "Shuangyang District Women" in body


@pytest.mark.parametrize(
    "name,role",
    [("office", "plan_office"), ("admin", "admin"), ("norole", None), ("yunshan", "township")],
)
def test_role_of(users, name, role):
    assert role_of(users[name]) == role


def test_inactive_user_has_no_role(users):
    user = users["leader"]
    user.is_active = False
    assert role_of(user) is None


def test_an_english_browser_still_gets_chinese_until_the_switch_is_used(clients):
    client = clients["leader"]
    body = client.get("/catalog/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "规划目录" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/catalog/"})
    assert "Plan catalog" in client.get("/catalog/").content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/catalog/"})
    assert "规划目录" in client.get("/catalog/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
