import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_signs_in_and_home_shows_the_roles_next_steps(cast):
    client = Client()
    assert client.get("/").status_code == 302
    page = client.get("/login/")
    assert page.status_code == 200 and b'name="password"' in page.content
    response = client.post("/login/", {"username": "ines", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert "Write a scenario" in home and "Run a drill" in home


def test_a_participant_is_offered_their_drills(cast):
    client = Client()
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    home = client.get("/").content.decode()
    assert "Join your drill" in home and "Write a scenario" not in home


def test_a_wrong_password_shows_a_clear_message(cast):
    response = Client().post("/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 400
    assert "Unable to sign in" in response.content.decode()


def test_hebrew_pages_are_right_to_left(cast):
    client = Client()
    client.post("/i18n/setlang/", {"language": "he", "next": "/login/"})
    page = client.get("/login/").content.decode()
    assert 'lang="he"' in page and 'dir="rtl"' in page


def test_pages_carry_a_strict_content_security_policy(cast):
    policy = Client().get("/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_unknown_pages_are_404_not_500(cast):
    assert Client().get("/no-such-page/").status_code == 404
    response = Client().get("/api/no/such/thing/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_the_openapi_schema_and_docs_are_served(cast):
    client = Client()
    client.post("/login/", {"username": "ines", "password": PASSWORD})
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/auth/login/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_pages_and_favicon_ico_show_our_icon():
    client = Client()
    page = client.get("/login/").content.decode()
    assert '<link rel="icon" type="image/svg+xml" href="/static/frontend/favicon.svg">' in page
    answer = client.get("/favicon.ico")
    assert answer.status_code == 302 and answer["Location"] == "/static/frontend/favicon.svg"
    assert finders.find("frontend/favicon.svg")
