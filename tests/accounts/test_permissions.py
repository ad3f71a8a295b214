"""Role × endpoint × expected status, for everything accounts exposes."""

import pytest

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "instructor", "alice", "olivia", "rival"]


def actor(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


ANON = 401

TABLE = [
    # method, path, body, {role: status}
    (
        "get",
        "/api/auth/me/",
        None,
        {"anonymous": ANON, "instructor": 200, "alice": 200, "olivia": 200, "rival": 200},
    ),
    (
        "get",
        "/api/members/",
        None,
        {"anonymous": ANON, "instructor": 200, "alice": 200, "olivia": 200, "rival": 200},
    ),
    (
        "post",
        "/api/members/",
        {"username": "newbie", "role": "participant"},
        {"anonymous": ANON, "instructor": 201, "alice": 403, "olivia": 403, "rival": 201},
    ),
    (
        "patch",
        "/api/members/{bob}/",
        {"display_name": "Robert"},
        {"anonymous": ANON, "instructor": 200, "alice": 403, "olivia": 403, "rival": 404},
    ),
    (
        "get",
        "/api/members/{bob}/",
        None,
        {"anonymous": ANON, "instructor": 200, "alice": 200, "olivia": 200, "rival": 404},
    ),
    (
        "get",
        "/api/nothing-here/",
        None,
        {"anonymous": 404, "instructor": 404, "alice": 404, "olivia": 404, "rival": 404},
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "expected"),
    [(m, p, b, role, statuses[role]) for m, p, b, statuses in TABLE for role in ROLES],
)
def test_permission_table(cast, method, path, body, role, expected):
    client = cast.client(actor(cast, role))
    url = path.format(bob=cast.bob.id)
    response = getattr(client, method)(url, body, format="json") if body else getattr(client, method)(url)
    assert response.status_code == expected
    assert response["Content-Type"].startswith("application/json")
