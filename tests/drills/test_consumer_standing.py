"""An open socket acts with its user's current rights (PROTOCOL.md section 3): a change to the account, the
membership, the seats or the sign-in applies no later than the socket's next action."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import tokens
from accounts.models import Membership, Role
from drills.consumers import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from drills.models import PublishedInject, Seat
from tests.drills.test_consumer import ORIGIN, application, frames_until_ack, hello_of

pytestmark = [pytest.mark.django_db(transaction=True)]


class Signed:
    """A user's sign-in: a browser session (`cookie`) or an API token (`token`), and the socket opened with it."""

    def __init__(self, user, how):
        self.user, self.how = user, how
        self.browser = Client()
        self.browser.force_login(user)
        self.token = tokens.token_for(user=user)

    def path(self, drill) -> str:
        if self.how == "cookie":
            return f"/ws/drills/{drill.pk}/"
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {self.token}")
        ticket = api.post(f"/api/drills/{drill.pk}/ticket/").json()["ticket"]
        return f"/ws/drills/{drill.pk}/?ticket={ticket}"

    def headers(self) -> list:
        cookie = f"sessionid={self.browser.cookies['sessionid'].value}".encode()
        return [ORIGIN, (b"cookie", cookie)] if self.how == "cookie" else [ORIGIN]


def deactivate(signed, drill):
    signed.user.is_active = False
    signed.user.save(update_fields=["is_active"])


def change_password(signed, drill):
    signed.user.set_password("a-new-password-42")
    signed.user.save(update_fields=["password"])


def sign_out_of_the_page(signed, drill):
    signed.browser.post("/logout/")  # the page's sign-out: the session and the API token end


def sign_out_of_the_api(signed, drill):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {signed.token}")
    assert api.post("/api/auth/logout/").status_code == 204


def expire_the_sign_in(signed, drill):
    Session.objects.all().update(expire_date=timezone.now())
    Token.objects.all().update(created=timezone.now() - timedelta(days=400))


def remove_membership(signed, drill):
    Membership.objects.filter(user=signed.user).delete()


def move_to_another_organization(signed, drill):
    from accounts.models import Organization

    Membership.objects.filter(user=signed.user).update(organization=Organization.objects.get(slug="rival"))


def remove_seats(signed, drill):
    Seat.objects.filter(drill=drill, user=signed.user).delete()


def make_participant(signed, drill):
    Membership.objects.filter(user=signed.user).update(role=Role.PARTICIPANT)


def make_observer(signed, drill):
    Membership.objects.filter(user=signed.user).update(role=Role.OBSERVER)


def nothing(signed, drill):
    pass


def _draft(inject):
    return {"action": "draft", "reply_to": [inject.pk], "text": "We are on it."}


def _pause(inject):
    return {"action": "pause"}


SIGN_INS = ["cookie", "token"]
CHANGES = [
    # (who, change, action, outcome): a close code, or the answer's type/code (by sign-in where they differ)
    ("alice", nothing, _draft, "ack"),
    ("alice", deactivate, _draft, CLOSE_UNAUTHENTICATED),
    ("alice", change_password, _draft, CLOSE_UNAUTHENTICATED),
    ("alice", sign_out_of_the_page, _draft, CLOSE_UNAUTHENTICATED),
    # The API's sign-out revokes the token; a browser's session is another sign-in and goes on.
    ("alice", sign_out_of_the_api, _draft, {"token": CLOSE_UNAUTHENTICATED, "cookie": "ack"}),
    ("alice", expire_the_sign_in, _draft, CLOSE_UNAUTHENTICATED),
    ("alice", remove_membership, _draft, CLOSE_FORBIDDEN),
    ("alice", move_to_another_organization, _draft, CLOSE_FORBIDDEN),
    ("alice", remove_seats, _draft, CLOSE_FORBIDDEN),
    ("alice", make_observer, _draft, "forbidden"),  # an observer never acts, whatever the seat
    ("instructor", nothing, _pause, "ack"),
    ("instructor", make_participant, _pause, "forbidden"),  # still seated (spokesperson): no longer controls
    ("instructor", remove_seats, _pause, "ack"),  # an instructor watches without a seat
    ("instructor", deactivate, _pause, CLOSE_UNAUTHENTICATED),
]


@pytest.mark.parametrize("how", SIGN_INS)
@pytest.mark.parametrize(("who", "change", "action", "outcome"), CHANGES, ids=lambda v: getattr(v, "__name__", v))
async def test_a_change_applies_to_the_open_socket_at_its_next_action(cast, running, how, who, change, action, outcome):
    signed = await database_sync_to_async(Signed)(getattr(cast, who), how)
    path = await database_sync_to_async(signed.path)(running)
    communicator = WebsocketCommunicator(application, path, headers=signed.headers())
    assert (await communicator.connect())[0]
    await hello_of(communicator)
    joined = await communicator.receive_json_from(timeout=5)  # the socket's own seat.joined, however slow
    assert joined["kind"] == "seat.joined"
    await database_sync_to_async(change)(signed, running)
    inject = await database_sync_to_async(PublishedInject.objects.get)(drill=running)
    await communicator.send_json_to({**action(inject), "ref": "next"})
    outcome = outcome[how] if isinstance(outcome, dict) else outcome
    if isinstance(outcome, int):
        message = await communicator.receive_output(timeout=2)
        assert (message["type"], message.get("code")) == ("websocket.close", outcome)
    else:
        answer = (await frames_until_ack(communicator, "next"))[-1]
        assert answer["type"] == outcome or answer.get("code") == outcome
    await communicator.disconnect()
