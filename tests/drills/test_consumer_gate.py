"""The action limit: one gate before any transaction, for REST calls that change a drill, every websocket
frame (malformed and unknown ones too) and replay alike."""

import pytest
from channels.db import database_sync_to_async
from django.db import connection

from accounts import throttle
from drills.models import PublishedInject
from drills.services.common import MSG_RATE_LIMITED
from tests.drills.test_consumer import connect, frames_until_ack, hello_of

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gate_calls(monkeypatch):
    """Whether each hit on the action limit ran inside a transaction (while the drill's row may be locked)."""
    calls = []
    real_hit = throttle.hit

    def hit(key, **kwargs):
        if key.startswith("drill-action:"):
            calls.append(connection.in_atomic_block)
        return real_hit(key, **kwargs)

    monkeypatch.setattr(throttle, "hit", hit)
    return calls


async def test_every_frame_counts_against_the_action_limit(cast, running, settings, gate_calls):
    settings.DRILL_ACTIONS_PER_MINUTE = 4
    communicator = await connect(running, cast.alice)
    await hello_of(communicator)
    await communicator.send_to(text_data="not json")
    await communicator.send_json_to({"action": "dance", "ref": 1})
    await communicator.send_json_to({"action": "replay", "after": 0, "ref": 2})
    await frames_until_ack(communicator, 2)
    inject = await database_sync_to_async(PublishedInject.objects.get)(drill=running)
    draft = {"action": "draft", "reply_to": [inject.pk], "text": "On it."}
    await communicator.send_json_to({**draft, "ref": 3})
    assert (await frames_until_ack(communicator, 3))[-1]["type"] == "ack"
    await communicator.send_json_to({**draft, "ref": 4})
    error = (await frames_until_ack(communicator, 4))[-1]
    assert (error["type"], error["code"], error["message"]) == ("error", "rate_limited", MSG_RATE_LIMITED)
    await communicator.send_to(text_data="[]")  # still counted, still answered
    answer = await communicator.receive_json_from(timeout=2)
    while answer["type"] == "event":  # live events of the drafts above may still be on their way
        answer = await communicator.receive_json_from(timeout=2)
    assert answer["code"] == "rate_limited"
    assert gate_calls == [False] * 6
    await communicator.disconnect()


CHANGES = [
    ("post", "pause/", None),
    ("post", "resume/", None),
    ("post", "speed/", {"speed": 2}),
    ("post", "responses/", {"reply_to": [0], "text": "x"}),
    ("post", "notes/", {"text": "a note"}),
]


@pytest.mark.parametrize(("method", "path", "body"), CHANGES)
def test_rest_calls_that_change_a_drill_pass_the_same_gate(cast, running, settings, gate_calls, method, path, body):
    settings.DRILL_ACTIONS_PER_MINUTE = 1
    client = cast.client(cast.instructor)
    url = f"/api/drills/{running.pk}/{path}"
    assert getattr(client, method)(url, body, format="json").status_code != 429
    response = getattr(client, method)(url, body, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and 0 < int(response["Retry-After"]) <= 60
    assert gate_calls == [False, False]
    # The limit is the drill's and the user's: reading is not acting, and others act on.
    assert client.get(f"/api/drills/{running.pk}/").status_code == 200
    assert (
        cast.client(cast.alice)
        .post(f"/api/drills/{running.pk}/responses/", {"reply_to": [0], "text": "x"}, format="json")
        .status_code
        != 429
    )


def test_tickets_are_limited_per_user(cast, drill, settings):
    settings.WS_TICKETS_PER_MINUTE = 2
    alice = cast.client(cast.alice)
    for _ in range(2):
        assert alice.post(f"/api/drills/{drill.pk}/ticket/").status_code == 200
    response = alice.post(f"/api/drills/{drill.pk}/ticket/")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= 60
    assert cast.client(cast.bob).post(f"/api/drills/{drill.pk}/ticket/").status_code == 200
