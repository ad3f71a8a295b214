"""The session store: Django's database sessions, read with a prebuilt statement, behave as Django's own."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.sessions import SessionStore

pytestmark = [pytest.mark.django_db]


def _saved(data: dict) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_saved_session_reads_back_as_django_reads_it():
    key = _saved({"_auth_user_id": "7", "lang": "he"})
    assert (
        dict(SessionStore(key).items()) == dict(DjangoSessionStore(key).items()) == {"_auth_user_id": "7", "lang": "he"}
    )


@pytest.mark.parametrize("state", ["expired", "deleted", "never saved"])
def test_a_session_that_is_not_there_reads_empty_and_loses_its_key(state):
    key = _saved({"_auth_user_id": "7"}) if state != "never saved" else "k" * 32
    if state == "expired":
        Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    if state == "deleted":
        Session.objects.filter(session_key=key).delete()
    store = SessionStore(key)
    assert dict(store.items()) == {}
    assert store.session_key is None  # saving it now makes a new key: a stale cookie never revives a session
