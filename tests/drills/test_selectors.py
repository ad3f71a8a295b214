"""drill_for_user, the one access check of a drill for REST and the websocket, and a socket's read of its user."""

import pytest
from django.core.exceptions import ObjectDoesNotExist

from config.errors import NotFound
from drills import rows
from drills.selectors import drill_for_user
from tests.factories import UserFactory, member

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


def test_a_socket_reads_the_user_with_the_membership_in_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = rows.active_user(cast.alice.pk)
        assert (user.username, user.membership.organization_id, user.membership.role) == (
            "alice",
            cast.org.pk,
            cast.alice.membership.role,
        )
    assert (user.date_joined, user.is_active) == (cast.alice.date_joined, True)


def test_a_socket_reads_no_inactive_or_missing_user(cast):
    cast.alice.is_active = False
    cast.alice.save(update_fields=["is_active"])
    assert rows.active_user(cast.alice.pk) is None
    assert rows.active_user(10**9) is None


def test_a_user_without_a_membership_has_none_to_read(cast):
    loner = UserFactory(username="loner")
    with pytest.raises(ObjectDoesNotExist):
        rows.active_user(loner.pk).membership  # noqa: B018 - reading it is the test
