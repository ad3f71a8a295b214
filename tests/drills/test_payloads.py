"""Each event kind's data has the keys PROTOCOL section 3 lists, whoever logged it: the engine publishing a planned
inject and an instructor's manual inject say the same things."""

import pytest

from drills import services
from drills.models import DrillEvent

pytestmark = pytest.mark.django_db

INJECT_KEYS = {
    "id",
    "key",
    "burst_index",
    "platform",
    "persona",
    "text",
    "severity",
    "requires_response",
    "respond_by_ms",
    "planned_ms",
    "sentiment",
    "manual",
}
PERSONA_KEYS = {"name", "handle", "kind", "followers"}


def published(drill) -> list[dict]:
    return [e.data for e in DrillEvent.objects.filter(drill=drill, kind="inject.published").order_by("seq")]


@pytest.mark.parametrize(
    "persona",
    [None, "angry_customer", "Dana from the desk", {"name": "Dana", "followers": 12}],
)
def test_the_engine_and_a_manual_inject_log_the_same_keys(cast, running, wall, persona):
    services.inject_manual(
        by=cast.instructor, drill=running, platform="x", text="Breaking", severity=4, persona=persona, now=wall.now()
    )
    engine, manual = published(running)
    assert (engine["manual"], manual["manual"]) == (False, True)
    assert set(engine) == set(manual) == INJECT_KEYS
    assert set(engine["persona"]) == set(manual["persona"]) == PERSONA_KEYS


def test_a_manual_inject_with_a_deadline_is_due_from_when_it_is_published(cast, running, wall):
    services.inject_manual(
        by=cast.instructor,
        drill=running,
        platform="x",
        text="Breaking",
        severity=4,
        requires_response=True,
        respond_within_ms=90_000,
        now=wall.now(),
    )
    manual = published(running)[-1]
    assert manual["planned_ms"] == 31_000
    assert manual["respond_by_ms"] == 31_000 + 90_000


def test_drafts_edits_and_published_replies_say_the_same_about_the_reply(cast, running, wall):
    inject = published(running)[0]["id"]
    response = services.response_draft(by=cast.alice, drill=running, reply_to=[inject], text="Sorry", now=wall.now())
    services.response_edit(by=cast.alice, drill=running, response_id=response.pk, text="Sorry!", now=wall.now())
    services.response_submit(by=cast.alice, drill=running, response_id=response.pk, now=wall.now())
    for step, user in ((1, cast.bob), (2, cast.bob), (3, cast.instructor)):
        services.step_approve(by=user, drill=running, response_id=response.pk, step=step, now=wall.now())
    kinds = ("response.drafted", "response.edited", "response.published")
    events = {e.kind: e.data for e in DrillEvent.objects.filter(drill=running, kind__in=kinds)}
    reply = {"response", "author", "author_name", "reply_to", "text", "platform"}
    assert (
        set(events["response.drafted"]) == set(events["response.edited"]) == reply | {"status", "subject", "template"}
    )
    assert set(events["response.published"]) == reply
    assert events["response.published"]["text"] == "Sorry!"


def test_the_preview_shows_each_item_as_the_engine_logs_it(running):
    from scenarios.selectors import version_scenario_and_plan
    from scenarios.textgen import preview

    engine = published(running)[0]
    entry = next(
        e for e in preview(version_scenario_and_plan(running.version)[1])["timeline"] if e["key"] == "first-complaint"
    )
    assert set(entry) == INJECT_KEYS - {"id", "manual"} | {"signal"}  # the preview is the instructors'
    unchanged = INJECT_KEYS - {"id", "manual", "respond_by_ms"}  # the deadline runs from when it lands
    assert {k: entry[k] for k in unchanged} == {k: engine[k] for k in unchanged}
