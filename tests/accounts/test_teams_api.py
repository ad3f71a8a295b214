import pytest

pytestmark = pytest.mark.django_db


def test_an_instructor_makes_a_team_and_everyone_in_the_org_reads_it(cast):
    body = {"name": "Night desk", "members": [cast.alice.id, cast.bob.id]}
    created = cast.client(cast.instructor).post("/api/teams/", body, format="json")
    assert created.status_code == 201
    assert [m["username"] for m in created.json()["members"]] == ["alice", "bob"]
    assert [t["name"] for t in cast.client(cast.alice).get("/api/teams/").json()] == ["Night desk"]
    assert cast.client(cast.rival).get("/api/teams/").json() == []


@pytest.mark.parametrize(
    ("who", "body", "status", "path"),
    [
        ("alice", {"name": "X", "members": []}, 403, None),
        ("instructor", {"name": "X", "members": ["rival"]}, 400, "members[0]"),
        ("instructor", {"name": "", "members": []}, 400, "name"),
        ("instructor", {"name": "X", "members": [], "lead": 1}, 400, "lead"),
    ],
)
def test_bad_teams_are_refused(cast, who, body, status, path):
    body["members"] = [getattr(cast, m).id if isinstance(m, str) else m for m in body["members"]]
    response = cast.client(getattr(cast, who)).post("/api/teams/", body, format="json")
    assert response.status_code == status
    if path:
        assert response.json()["errors"][0]["path"] == path


def test_renaming_to_an_existing_name_is_refused(cast):
    client = cast.client(cast.instructor)
    client.post("/api/teams/", {"name": "A"}, format="json")
    second = client.post("/api/teams/", {"name": "B"}, format="json").json()
    response = client.put(f"/api/teams/{second['id']}/", {"name": "a", "members": []}, format="json")
    assert response.status_code == 400
    assert cast.client(cast.rival).put(f"/api/teams/{second['id']}/", {"name": "Z"}, format="json").status_code == 404
