import pytest

from accounts.models import Membership
from accounts.services import MSG_LAST_INSTRUCTOR, MSG_USERNAME_TAKEN

pytestmark = pytest.mark.django_db


def test_members_see_only_their_organization(cast):
    names = [m["username"] for m in cast.client(cast.alice).get("/api/members/").json()]
    assert names == ["alice", "bob", "ines", "olivia"]
    assert [m["username"] for m in cast.client(cast.rival).get("/api/members/").json()] == ["rival"]


def test_an_instructor_invites_a_member_into_their_organization(cast):
    response = cast.client(cast.instructor).post(
        "/api/members/", {"username": "zoe", "role": "observer", "display_name": "Zoé"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["role"] == "observer" and body["display_name"] == "Zoé" and len(body["password"]) >= 12
    assert Membership.objects.get(user__username="zoe").organization == cast.org


def test_it_refuses_a_taken_username(cast):
    response = cast.client(cast.instructor).post(
        "/api/members/", {"username": "rival", "role": "participant"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"path": "username", "message": MSG_USERNAME_TAKEN}]


def test_it_changes_a_role(cast):
    response = cast.client(cast.instructor).patch(f"/api/members/{cast.bob.id}/", {"role": "observer"}, format="json")
    assert response.status_code == 200 and response.json()["role"] == "observer"


def test_it_keeps_the_last_instructor(cast):
    response = cast.client(cast.instructor).patch(
        f"/api/members/{cast.instructor.id}/", {"role": "participant"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == MSG_LAST_INSTRUCTOR


def test_it_refuses_an_unknown_role(cast):
    response = cast.client(cast.instructor).patch(f"/api/members/{cast.bob.id}/", {"role": "boss"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "role"


def test_another_organizations_member_is_not_found(cast):
    response = cast.client(cast.instructor).patch(f"/api/members/{cast.rival.id}/", {"role": "observer"}, format="json")
    assert response.status_code == 404
    assert cast.rival.membership.role == "instructor"
