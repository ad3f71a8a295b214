"""A socket's read of its user: the active user with their membership, in one prebuilt statement."""

import pytest
from django.core.exceptions import ObjectDoesNotExist

from accounts.selectors import active_user
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db]


def test_a_socket_reads_the_user_with_the_membership_in_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = active_user(cast.alice.pk)
        assert (user.username, user.membership.organization_id, user.membership.role) == (
            "alice",
            cast.org.pk,
            cast.alice.membership.role,
        )
    assert (user.date_joined, user.is_active) == (cast.alice.date_joined, True)


def test_a_socket_reads_no_inactive_or_missing_user(cast):
    cast.alice.is_active = False
    cast.alice.save(update_fields=["is_active"])
    assert active_user(cast.alice.pk) is None
    assert active_user(10**9) is None


def test_a_user_without_a_membership_has_none_to_read(cast):
    loner = UserFactory(username="loner")
    with pytest.raises(ObjectDoesNotExist):
        active_user(loner.pk).membership  # noqa: B018 - reading it is the test
