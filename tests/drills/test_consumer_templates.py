"""Templates over the websocket (PROTOCOL section 3): `draft` carries `template`, `response.drafted` says it, and
`submit` with a `[[slot]]` left is an `error` frame (invalid, path text) that changes nothing."""

import pytest
from channels.db import database_sync_to_async

from config.texts import said
from drills.models import PublishedInject, Response
from drills.services.chain import MSG_SLOT_LEFT
from drills.suggestions import MSG_UNKNOWN_TEMPLATE
from kit.models import ResponseTemplate
from tests.drills.test_consumer import connect, drain, frames_until_ack, hello_of

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def setup(cast, running):
    post = PublishedInject.objects.get(drill=running, key="first-complaint")
    ours = ResponseTemplate.objects.create(
        organization=cast.org, name="Apology", kind="apology", language="en", text="Sorry {persona.name}. [[why]]"
    )
    theirs = ResponseTemplate.objects.create(
        organization=cast.rival_org, name="Apology", kind="apology", language="en", text="Sorry."
    )
    return post, ours, theirs


async def ask(communicator, ref, frame) -> tuple[dict, list[dict]]:
    """Sends the frame; (its answer, the event frames that came before it)."""
    await communicator.send_json_to({**frame, "ref": ref})
    frames = await frames_until_ack(communicator, ref)
    return frames[-1], [f for f in frames[:-1] if f["type"] == "event"]


async def test_a_draft_from_a_template_then_a_refused_submit(cast, running):
    post, ours, theirs = await setup(cast, running)
    alice = await connect(running, cast.alice)
    try:
        await hello_of(alice)
        await drain(alice)
        foreign, _ = await ask(
            alice, "f", {"action": "draft", "reply_to": [post.pk], "text": "x", "template": theirs.pk}
        )
        text = f"Sorry {post.persona['name']}. [[why]]"
        ack, events = await ask(
            alice, "d", {"action": "draft", "reply_to": [post.pk], "text": text, "template": ours.pk}
        )
        events += await drain(alice)
        response = ack["result"]["response"]
        refused, _ = await ask(alice, "s", {"action": "submit", "response": response["id"]})
        after_refusal = await drain(alice)
    finally:
        await alice.disconnect()

    assert foreign["type"] == "error" and foreign["code"] == "invalid"
    assert foreign["errors"] == [{"path": "template", "message": MSG_UNKNOWN_TEMPLATE}]
    assert response["template"] == ours.pk
    drafted = [e for e in events if e["kind"] == "response.drafted"]
    assert [e["data"]["template"] for e in drafted] == [ours.pk]
    message = said(MSG_SLOT_LEFT, slot="why")
    assert refused["type"] == "error" and refused["code"] == "invalid" and refused["message"] == message
    assert refused["errors"] == [{"path": "text", "message": message}]
    assert not [f for f in after_refusal if f["type"] == "event"]
    stored = await database_sync_to_async(Response.objects.get)(pk=response["id"])
    assert stored.status == "draft" and stored.template_filled == text
