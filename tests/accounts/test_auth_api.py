import pytest
from rest_framework.test import APIClient

from accounts.services import MSG_BAD_CREDENTIALS, MSG_TOO_MANY_ATTEMPTS
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/api/auth/login/", {"username": username, "password": password}, format="json")


def test_it_signs_in_with_a_token_and_a_session(cast):
    client = APIClient()
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["username"] == "alice"
    assert body["user"]["role"] == "participant"
    assert body["user"]["organization"]["slug"] == "acme"
    assert client.get("/api/auth/me/").json()["username"] == "alice"  # the session works
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert token_client.get("/api/auth/me/").json()["role"] == "participant"


@pytest.mark.parametrize(
    ("username", "password"), [("alice", "wrong-password"), ("nobody", PASSWORD), ("ALICE", "wrong")]
)
def test_it_refuses_bad_credentials_without_saying_which_part(cast, username, password):
    response = login(APIClient(), username, password)
    assert response.status_code == 400
    assert response.json()["detail"] == MSG_BAD_CREDENTIALS


def test_it_lists_every_missing_field(cast):
    response = APIClient().post("/api/auth/login/", {}, format="json")
    assert response.status_code == 400
    assert {e["path"] for e in response.json()["errors"]} == {"username", "password"}


def test_it_refuses_unknown_fields(cast):
    response = APIClient().post(
        "/api/auth/login/", {"username": "alice", "password": PASSWORD, "remember": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"path": "remember", "message": "Unknown field."}]


def test_it_answers_malformed_json_with_400(cast):
    response = APIClient().post("/api/auth/login/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_it_rate_limits_failed_logins_per_username_and_ip(cast):
    client = APIClient()
    for _ in range(10):
        assert login(client, "alice", "wrong-password").status_code == 400
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert response.json()["detail"] == MSG_TOO_MANY_ATTEMPTS
    assert login(client, "bob", PASSWORD).status_code == 200  # other accounts are unaffected


def test_logout_revokes_the_token_and_ends_the_session(cast):
    client = APIClient()
    token = login(client, "alice", PASSWORD).json()["token"]
    assert client.post("/api/auth/logout/").status_code == 204
    assert client.get("/api/auth/me/").status_code in (401, 403)
    stale = APIClient()
    stale.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert stale.get("/api/auth/me/").status_code == 401


def test_session_writes_need_csrf(cast):
    client = APIClient(enforce_csrf_checks=True)
    login(client, "instructor_missing", "x")
    assert login(client, "ines", PASSWORD).status_code == 200
    response = client.post("/api/members/", {"username": "zed", "role": "participant"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
