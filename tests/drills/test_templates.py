"""The crisis kit in the room (PROTOCOL sections 2 and 3): templates suggested for a published post and filled for it,
a draft that remembers its template, and no reply up the chain while a `[[slot]]` is left in it."""

from difflib import SequenceMatcher

import pytest

from config.errors import Invalid
from config.texts import said
from drills import services
from drills.api import MSG_BAD_INJECT
from drills.events import events_after
from drills.models import Drill, PublishedInject, Response, ResponseStatus
from drills.services.chain import MSG_SLOT_LEFT
from drills.suggestions import MSG_UNKNOWN_TEMPLATE, shown_handle
from kit.models import ResponseTemplate
from tests.factories import member

pytestmark = pytest.mark.django_db

APOLOGY = "Hi {persona.handle}, {brand.name} is sorry your card was declined. [[what happened]] Update by [[time]]."


@pytest.fixture
def kit(cast):
    """Templates of the cast's organization (and one of the rival's): name -> template."""

    def made(organization, name, text, **fields):
        fields = {"kind": "holding", "language": "en", "platforms": [], "tags": [], **fields}
        return ResponseTemplate.objects.create(organization=organization, name=name, text=text, **fields)

    return {
        "apology": made(cast.org, "Card apology", APOLOGY, kind="apology", platforms=["x"], tags=["checkout"]),
        "press": made(
            cast.org, "Press statement", "Dear {persona.name}, [[statement]]", kind="media", platforms=["email"]
        ),
        "holding": made(cast.org, "Holding", "We are looking into it, {persona.handle}."),
        "hebrew": made(cast.org, "החזקה", "אנחנו בודקים את התשלום [[מה קרה]]", language="he"),
        "rival": made(cast.rival_org, "Rival apology", "Sorry {persona.handle}, card declined checkout"),
    }


def first_post(drill) -> PublishedInject:
    return PublishedInject.objects.get(drill=drill, key="first-complaint")


def url(drill, inject) -> str:
    return f"/api/drills/{drill.pk}/templates/?inject={inject}"


# ---- suggestions ------------------------------------------------------------------------------------------


def test_the_templates_that_fit_the_post_come_first_filled_for_it(cast, running, kit):
    post = first_post(running)

    body = cast.client(cast.alice).get(url(running, post.pk)).json()

    # English and made for X first, then English for every platform, then English for e-mail, then Hebrew; never
    # another organization's.
    assert [t["name"] for t in body] == ["Card apology", "Holding", "Press statement", "החזקה"]
    handle = post.persona["handle"]
    assert not handle.startswith("@")  # the persona's handle as the scenario made it; on X the room shows "@"
    assert body[0] == {
        "id": kit["apology"].pk,
        "name": "Card apology",
        "kind": "apology",
        "text": APOLOGY,
        "filled": f"Hi @{handle}, ShopLine is sorry your card was declined. [[what happened]] Update by [[time]].",
    }
    assert body[2]["filled"] == f"Dear {post.persona['name']}, [[statement]]"


@pytest.mark.parametrize(
    ("handle", "platform", "shown"),
    [("dana", "x", "@dana"), ("@dana", "tiktok", "@dana"), ("dana", "facebook", "dana"), ("", "x", "")],
)
def test_a_handle_is_filled_as_the_room_shows_it(handle, platform, shown):
    assert shown_handle(handle, platform) == shown


def test_no_template_no_suggestion(cast, running):
    assert cast.client(cast.alice).get(url(running, first_post(running).pk)).json() == []


ROLES = ["anonymous", "instructor", "ivan", "alice", "bob", "olivia", "carol", "rival"]
# alice drafts, bob reviews, olivia holds an observer seat, ines (the instructor) the spokesperson seat; ivan is an
# instructor without a seat, carol a participant without one, rival another organization's instructor.
SUGGESTIONS_TABLE = {
    "anonymous": 401,
    "instructor": 200,
    "ivan": 200,
    "alice": 200,
    "bob": 200,
    "olivia": 200,
    "carol": 404,
    "rival": 404,
}


def _user(cast, who):
    extra = {"carol": ("carol", "participant"), "ivan": ("ivan", "instructor")}
    if who in extra:
        return member(extra[who][0], cast.org, extra[who][1])
    return None if who == "anonymous" else getattr(cast, who)


@pytest.mark.parametrize(("who", "status"), SUGGESTIONS_TABLE.items())
def test_who_may_ask_for_suggestions(cast, running, kit, who, status):
    response = cast.client(_user(cast, who)).get(url(running, first_post(running).pk))

    assert response.status_code == status, response.content


@pytest.fixture
def other_drill(cast, outage, wall):
    drill = services.drill_create(by=cast.instructor, scenario=outage.scenario_id)
    services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    wall.advance(seconds=31)
    services.drill_advance(drill_id=drill.pk, now=wall.now())
    return drill


@pytest.mark.parametrize("case", ["another drill's post", "unknown post"])
def test_a_post_the_drill_has_not_published_is_not_found(cast, running, other_drill, case):
    # A post not published yet has no id anybody could know: it is an unknown post until it lands.
    inject = first_post(other_drill).pk if case == "another drill's post" else 999_999

    assert cast.client(cast.alice).get(url(running, inject)).status_code == 404


@pytest.mark.parametrize("query", ["", "?inject=", "?inject=abc", "?inject=1.5", "?inject=-3", "?inject=0"])
def test_the_post_must_be_a_whole_number(cast, running, query):
    response = cast.client(cast.alice).get(f"/api/drills/{running.pk}/templates/{query}")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"path": "inject", "message": MSG_BAD_INJECT}]


# ---- drafts from a template -------------------------------------------------------------------------------


def last_event(drill) -> dict:
    return events_after(drill=drill, after=0)[-1]


def test_a_draft_remembers_its_template_filled_for_the_first_post_it_answers(cast, running, kit, wall):
    post = first_post(running)
    filled = APOLOGY.replace("{persona.handle}", "@" + post.persona["handle"]).replace("{brand.name}", "ShopLine")

    body = (
        cast.client(cast.alice)
        .post(
            f"/api/drills/{running.pk}/responses/",
            {"reply_to": [post.pk], "text": filled, "template": kit["apology"].pk},
            format="json",
        )
        .json()
    )

    response = Response.objects.get(pk=body["id"])
    assert body["template"] == response.template_id == kit["apology"].pk
    assert response.template_filled == filled
    event = last_event(running)
    assert event["kind"] == "response.drafted" and event["data"]["template"] == kit["apology"].pk


def test_a_draft_without_template_says_null(cast, running, wall):
    services.response_draft(by=cast.alice, drill=running, reply_to=[first_post(running).pk], text="We are on it.")

    assert last_event(running)["data"]["template"] is None
    assert Response.objects.get().template_filled == ""


@pytest.mark.parametrize("template", ["rival", 999_999, "abc", 0])
def test_a_template_of_another_organization_or_none_is_refused_and_nothing_is_written(cast, running, kit, template):
    template = kit[template].pk if template == "rival" else template
    seq = last_event(running)["seq"]

    response = cast.client(cast.alice).post(
        f"/api/drills/{running.pk}/responses/",
        {"reply_to": [first_post(running).pk], "text": "Sorry", "template": template},
        format="json",
    )

    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == ["template"]
    assert not Response.objects.exists() and last_event(running)["seq"] == seq


def test_the_unknown_template_message_is_the_services(cast, running, kit, wall):
    with pytest.raises(Invalid) as caught:
        services.response_draft(
            by=cast.alice, drill=running, reply_to=[first_post(running).pk], text="x", template=kit["rival"].pk
        )
    assert caught.value.errors == [{"path": "template", "message": MSG_UNKNOWN_TEMPLATE}]


# ---- no slot up the chain ---------------------------------------------------------------------------------


@pytest.fixture
def slotted(cast, running, kit, wall):
    text = "Sorry @you. [[what happened]] Update by [[time]]."
    return services.response_draft(
        by=cast.alice, drill=running, reply_to=[first_post(running).pk], text=text, template=kit["apology"].pk
    )


def test_a_reply_with_a_slot_left_is_refused_naming_the_slot(cast, running, slotted):
    seq = last_event(running)["seq"]

    response = cast.client(cast.alice).post(f"/api/drills/{running.pk}/responses/{slotted.pk}/submit/")

    assert response.status_code == 400
    message = said(MSG_SLOT_LEFT, slot="what happened")
    assert message == "Fill in [[what happened]] first: a reply goes up the chain only with every slot filled in."
    assert response.json()["errors"] == [{"path": "text", "message": message}]
    slotted.refresh_from_db()
    assert slotted.status == ResponseStatus.DRAFT and last_event(running)["seq"] == seq


def test_once_every_slot_is_filled_the_reply_goes_up_the_chain(cast, running, slotted, wall):
    services.response_edit(by=cast.alice, drill=running, response_id=slotted.pk, text="Sorry [[time]]", now=wall.now())
    with pytest.raises(Invalid) as caught:
        services.response_submit(by=cast.alice, drill=running, response_id=slotted.pk, now=wall.now())
    assert caught.value.errors[0]["message"] == said(MSG_SLOT_LEFT, slot="time")

    services.response_edit(by=cast.alice, drill=running, response_id=slotted.pk, text="Sorry, by 5 pm", now=wall.now())
    submitted = services.response_submit(by=cast.alice, drill=running, response_id=slotted.pk, now=wall.now())

    assert submitted.status == ResponseStatus.PENDING
    assert last_event(running)["kind"] == "response.submitted"


def test_brackets_that_are_not_a_slot_do_not_block(cast, running, wall):
    text = "Sorry [see our status page] and [[\n]] nothing to fill"
    draft = services.response_draft(by=cast.alice, drill=running, reply_to=[first_post(running).pk], text=text)

    assert services.response_submit(by=cast.alice, drill=running, response_id=draft.pk).status == "pending"


def test_a_published_reply_from_a_template_is_scored_with_its_template_and_the_teams_edits(cast, running, kit, wall):
    from scoring.services import scorecard_for

    post = first_post(running)
    filled = APOLOGY.replace("{persona.handle}", "@" + post.persona["handle"]).replace("{brand.name}", "ShopLine")
    final = filled.replace("[[what happened]]", "A payment outage.").replace("[[time]]", "noon") + " Sorry again."
    response = services.response_draft(
        by=cast.alice, drill=running, reply_to=[post.pk], text=final, template=kit["apology"].pk, now=wall.now()
    )
    services.response_submit(by=cast.alice, drill=running, response_id=response.pk, now=wall.now())
    for step, approver in ((1, cast.bob), (2, cast.bob), (3, cast.instructor)):
        services.step_approve(by=approver, drill=running, response_id=response.pk, step=step, now=wall.now())
    kit["apology"].delete()  # what the scorecard says was stored when the reply was drafted
    services.drill_finish(by=cast.instructor, drill=running, now=wall.now())

    (reply,) = scorecard_for(drill=Drill.objects.get(pk=running.pk))["replies"]
    assert reply["template"]["name"] == "Card apology" and reply["template"]["kind"] == "apology"
    assert reply["edited_share"] == round(1 - SequenceMatcher(None, filled, final).ratio(), 3) > 0
