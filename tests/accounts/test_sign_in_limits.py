"""Sign-in limits, counted before the password check: per username, per client address (spraying), the same
rule for the API, the page and /admin/; the client address behind proxies; tokens that expire; sign-out."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import services
from accounts.services import MSG_TOO_MANY_ATTEMPTS
from accounts.throttle import client_address
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(username, password, address="10.0.0.1", **headers):
    client = APIClient(REMOTE_ADDR=address, **headers)
    return client.post("/api/auth/login/", {"username": username, "password": password}, format="json")


def assert_throttled(response):
    assert response.status_code == 429
    assert response.json() == {"detail": MSG_TOO_MANY_ATTEMPTS, "code": "rate_limited"}
    assert 0 < int(response["Retry-After"]) <= 60


def test_guessing_one_account_from_many_addresses_is_stopped(cast, settings):
    settings.LOGIN_FAILURES_PER_MINUTE = 3
    for n in range(3):
        assert login("alice", "wrong", address=f"10.0.0.{n}").status_code == 400
    assert_throttled(login("alice", PASSWORD, address="10.0.9.9"))  # not even the right password gets in
    assert login("bob", PASSWORD, address="10.0.9.9").status_code == 200


def test_spraying_one_password_over_many_usernames_from_one_address_is_slowed(cast, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE = 4
    for username in ("alice", "bob", "olivia", "ines"):
        assert login(username, "Summer2026!").status_code == 400
    assert_throttled(login("rival", "Summer2026!"))
    assert login("rival", PASSWORD, address="10.0.0.2").status_code == 200  # other addresses are not


def test_a_successful_sign_in_is_not_counted_as_a_failure(cast, settings):
    settings.LOGIN_FAILURES_PER_MINUTE = 2
    for _ in range(5):
        assert login("alice", PASSWORD).status_code == 200


def test_attempts_in_parallel_are_counted_before_any_password_is_checked(cast, settings, monkeypatch):
    """Each attempt here starts while the one before still has its password checked, as parallel requests do:
    only as many as the limit allows reach a password check."""
    settings.LOGIN_FAILURES_PER_MINUTE = 2
    real_authenticate = services.authenticate
    checked, refused = [], []

    def authenticate(request, **credentials):
        checked.append(credentials["username"])
        if len(checked) == 1:  # five more arrive while the first password is checked
            for _ in range(5):
                attempt()
        return real_authenticate(request, **credentials)

    def attempt():
        try:
            services.user_authenticate(username="alice", password="wrong", ip="10.0.0.1")
        except services.RateLimited:
            refused.append(1)
        except services.Invalid:
            pass

    monkeypatch.setattr(services, "authenticate", authenticate)
    attempt()
    assert len(checked) == 2 and len(refused) == 4


@pytest.mark.parametrize(
    ("header", "hops", "meta", "address"),
    [
        ("", 1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}, "10.0.0.1"),  # not configured
        ("X-Forwarded-For", 1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),
        (
            "X-Forwarded-For",
            2,
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.0.0.9"},
            "1.2.3.4",
        ),
        ("X-Forwarded-For", 1, {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),  # the header missing
        ("X-Real-IP", 1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_REAL_IP": "1.2.3.4"}, "1.2.3.4"),
    ],
)
def test_the_client_address_comes_from_the_trusted_header_only(settings, header, hops, meta, address):
    settings.TRUSTED_PROXY_HEADER, settings.TRUSTED_PROXY_HOPS = header, hops
    assert client_address(meta) == address


def test_a_forged_forwarded_header_does_not_escape_the_address_limit(cast, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE = 2
    for n, username in enumerate(("alice", "bob")):
        assert login(username, "x", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}").status_code == 400
    assert_throttled(login("olivia", "x", HTTP_X_FORWARDED_FOR="6.6.6.7"))


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(cast, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE = 1
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    assert login("alice", "x", address="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 400
    assert login("bob", "x", address="10.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 400
    assert_throttled(login("olivia", "x", address="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 2.2.2.2"))


def test_the_sign_in_page_has_the_same_limit(cast, settings):
    settings.LOGIN_FAILURES_PER_MINUTE = 1
    page = Client()
    assert page.post("/login/", {"username": "alice", "password": "x"}).status_code == 400
    response = page.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 60


def test_the_admin_sign_in_has_the_same_limit(cast, settings):
    settings.LOGIN_FAILURES_PER_MINUTE = 2
    cast.instructor.is_staff = True
    cast.instructor.save(update_fields=["is_staff"])
    admin = Client()
    for _ in range(2):
        assert admin.post("/admin/login/", {"username": "ines", "password": "x"}).status_code == 200
    response = admin.post("/admin/login/", {"username": "ines", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in admin.session  # still signed out
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert login("ines", "x").status_code == 429  # one count for the admin, the page and the API


def test_the_admin_still_signs_staff_in(cast):
    cast.instructor.is_staff = True
    cast.instructor.save(update_fields=["is_staff"])
    admin = Client()
    assert admin.post("/admin/login/", {"username": "ines", "password": PASSWORD}).status_code == 302
    assert admin.post("/admin/login/", {"username": "alice", "password": PASSWORD}).status_code == 200  # not staff


def _token_client(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_expires(cast, settings):
    settings.TOKEN_LIFETIME_S = 3600
    token = login("alice", PASSWORD).json()["token"]
    assert _token_client(token).get("/api/auth/me/").status_code == 200
    Token.objects.filter(key=token).update(created=timezone.now() - timedelta(seconds=3601))
    response = _token_client(token).get("/api/auth/me/")
    assert response.status_code == 401 and response.json()["detail"] == "Token expired. Sign in again."
    fresh = login("alice", PASSWORD).json()["token"]  # signing in again gives a new one
    assert fresh != token and _token_client(fresh).get("/api/auth/me/").status_code == 200


def test_signing_out_of_the_page_revokes_the_token(cast):
    browser = APIClient()
    token = browser.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json").json()["token"]
    assert browser.post("/logout/").status_code == 302
    assert _token_client(token).get("/api/auth/me/").status_code == 401
