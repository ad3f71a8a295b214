"""drill_for_user, the one access check of a drill for REST and the websocket."""

import pytest

from config.errors import NotFound
from drills.selectors import drill_for_user, drills_for_user, is_instructor
from tests.factories import member

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize("who", ["instructor", "alice", "bob"])
def test_it_gives_the_drill_with_its_version(cast, drill, who):
    found = drill_for_user(user=getattr(cast, who), drill_id=str(drill.pk))
    assert (found.pk, found.seq, found.status, found.version_id) == (
        drill.pk,
        drill.seq,
        drill.status,
        drill.version_id,
    )
    assert (found.version.title, found.version.checksum) == (drill.version.title, drill.version.checksum)


@pytest.mark.parametrize("drill_id", ["nope", None, 0, -1, 2**70, "own+1"])
def test_it_requires_a_drill_id_that_exists(cast, drill, drill_id):
    with pytest.raises(NotFound):
        drill_for_user(user=cast.instructor, drill_id=drill.pk + 1 if drill_id == "own+1" else drill_id)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("instructor", True),  # an instructor of the organization, not seated
        ("alice", True),  # seated
        ("olivia", True),  # an observer, seated
        ("carol", False),  # a participant of the organization, not seated
        ("otto", False),  # an observer of the organization, not seated
        ("rival", False),  # another organization's instructor
    ],
)
def test_one_rule_decides_for_the_drill_and_the_list(cast, drill, who, sees):
    """drill_for_user (sockets, REST) and drills_for_user (lists, comparisons) give the same answer."""
    people = {"carol": ("participant",), "otto": ("observer",)}
    user = member(who, cast.org, people[who][0]) if who in people else getattr(cast, who)
    listed = drill.pk in set(drills_for_user(user=user).values_list("pk", flat=True))
    try:
        found = drill_for_user(user=user, drill_id=drill.pk) is not None
    except NotFound:
        found = False
    assert (found, listed) == (sees, sees)
    assert is_instructor(user=user, drill=drill) == (who == "instructor")
