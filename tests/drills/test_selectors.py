"""drill_for_user, the one access check of a drill for REST and the websocket."""

import pytest

from config.errors import NotFound
from drills.selectors import drill_for_user
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


@pytest.mark.parametrize("who", ["carol", "rival"])
def test_it_requires_a_seat_or_the_organization(cast, drill, who):
    user = member("carol", cast.org, "participant") if who == "carol" else cast.rival
    with pytest.raises(NotFound):
        drill_for_user(user=user, drill_id=drill.pk)
