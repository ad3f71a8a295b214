"""Scorecards of drills played on the database with a fake clock: when they exist, the cache, the notes."""

from datetime import timedelta

import pytest

from config.errors import Conflict
from drills import services as drill_services
from drills.events import full_log
from drills.models import Drill, DrillEvent, PublishedInject, Response
from kit.models import ResponseTemplate
from scenarios.selectors import version_scenario_and_plan
from scoring import selectors
from scoring.models import Scorecard
from scoring.replies import edited_share
from scoring.scorecard import compute_scorecard
from scoring.services import MSG_NOT_FINISHED, comparison_rows, participants_of, scorecard_for
from tests.scoring.plays import APOLOGY, advance, finished_drill, lobby

pytestmark = pytest.mark.django_db


def test_there_is_no_scorecard_before_the_drill_is_finished(cast, outage, wall):
    drill = lobby(cast, outage)
    with pytest.raises(Conflict, match=MSG_NOT_FINISHED):
        scorecard_for(drill=drill)
    drill_services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    drill.refresh_from_db()
    with pytest.raises(Conflict) as caught:
        scorecard_for(drill=drill)
    assert caught.value.extra == {"status": "running"}
    assert not Scorecard.objects.exists()


def test_the_scorecard_counts_the_reply_that_went_through_the_chain(finished):
    card = scorecard_for(drill=finished)
    assert card["drill"] == finished.pk and card["scenario"] == "Checkout outage on Black Friday"
    assert card["finished"] is True and card["overall"] is not None
    first = next(row for row in card["injects"] if row["key"] == "first-complaint")
    assert first["published_s"] == 30.0 and first["first_draft_s"] == 20.0
    assert card["components"]["coverage"] == 100.0
    assert card["components"]["quality"] == 100.0  # an apology and a next step, nothing forbidden
    reviewer, legal, _ = card["steps"]
    assert (reviewer["median_wait_s"], reviewer["within_sla"]) == (60.0, 1.0)
    assert (legal["median_wait_s"], legal["within_sla"]) == (200.0, 0.0)
    assert [r["rubric"]["present"] for r in card["responses"]] == [["apology", "next step"]]


def test_participants_are_the_seated_people_with_all_their_seat_roles(cast, finished):
    people = {p.username: p.roles for p in participants_of(drill=finished)}
    assert people == {"alice": ("drafter",), "bob": ("reviewer", "legal"), "olivia": ("observer",)}
    rows = {row["user"]: row for row in scorecard_for(drill=finished)["participants"]}
    assert rows["alice"]["drafts"] == 1
    assert (rows["bob"]["approvals"], rows["bob"]["roles"]) == (2, ["reviewer", "legal"])


def test_the_scorecard_is_cached_once_and_recomputed_identically(finished, django_assert_max_num_queries):
    first = scorecard_for(drill=finished)
    row = Scorecard.objects.get(drill=finished)
    assert row.last_seq == finished.seq
    with django_assert_max_num_queries(3):  # the cache row and the notes: no log replay
        assert scorecard_for(drill=finished) == first
    Scorecard.objects.all().delete()
    finished.refresh_from_db()
    assert scorecard_for(drill=finished) == first


def test_the_cached_row_is_what_is_served_until_the_log_moves_on(finished):
    scorecard_for(drill=finished)
    Scorecard.objects.filter(drill=finished).update(data={**Scorecard.objects.get().data, "overall": -1})
    finished.refresh_from_db()
    assert scorecard_for(drill=finished)["overall"] == -1  # served from the cache, not recomputed
    Scorecard.objects.filter(drill=finished).update(last_seq=finished.seq - 1)
    finished.refresh_from_db()
    assert scorecard_for(drill=finished)["overall"] != -1


def test_it_equals_the_pure_computation_on_the_log(finished):
    scenario = version_scenario_and_plan(finished.version)[0]
    pure = compute_scorecard(
        scenario=scenario, events=full_log(drill=finished), participants=participants_of(drill=finished)
    )
    card = scorecard_for(drill=finished)
    assert {key: card[key] for key in pure} == pure


def test_notes_carry_the_time_of_the_event_they_are_about(cast, finished):
    published = DrillEvent.objects.get(drill=finished, kind="response.published")
    drill_services.note_add(by=cast.instructor, drill=finished, event_seq=published.seq, text="Legal sat on it")
    notes = scorecard_for(drill=finished)["notes"]
    assert [(n["event_seq"], n["sim_s"], n["kind"], n["text"]) for n in notes] == [
        (published.seq, published.sim_ms / 1000, "response.published", "Legal sat on it")
    ]
    assert notes[0]["author"] == "ines"
    assert "notes" not in Scorecard.objects.get(drill=finished).data  # notes come fresh, never cached


def test_the_comparison_lists_finished_drills_oldest_first(cast, outage, wall):
    earlier = finished_drill(cast, outage, wall, title="Monday")
    wall.advance(timedelta(days=1).total_seconds())
    later = finished_drill(cast, outage, wall, title="Tuesday")
    lobby(cast, outage, title="Not played")
    drills = selectors.finished_drills_of(user=cast.instructor, scenario=outage.scenario)
    rows = comparison_rows(drills=drills)
    assert [row["title"] for row in rows] == ["Monday", "Tuesday"]
    assert rows[0]["finished_at"] < rows[1]["finished_at"]
    assert rows[0]["overall"] == scorecard_for(drill=earlier)["overall"]
    assert rows[1]["team"] == ["alice", "bob"]  # observers watch, they are not the team
    assert later.pk == rows[1]["drill"]


def test_a_participant_compares_only_the_drills_they_sat_in(cast, outage, wall):
    finished_drill(cast, outage, wall, title="With alice")
    other = drill_services.drill_create(
        by=cast.instructor,
        scenario=outage.scenario_id,
        seats=[{"user": cast.bob.id, "role": "drafter"}],
        bots=["reviewer", "legal", "spokesperson"],
        title="Bob alone",
    )
    drill_services.drill_start(by=cast.instructor, drill=other, now=wall.now())
    drill_services.drill_finish(by=cast.instructor, drill=other, now=wall.now())
    titles = [d.title for d in selectors.finished_drills_of(user=cast.alice, scenario=outage.scenario)]
    assert titles == ["With alice"]
    assert len(selectors.finished_drills_of(user=cast.instructor, scenario=outage.scenario)) == 2


def test_a_reply_still_in_the_chain_at_the_end_counts_as_no_reply(cast, outage, wall):
    drill = lobby(cast, outage)
    drill_services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    advance(drill, wall, 31)
    inject = PublishedInject.objects.get(drill=drill, key="first-complaint")
    reply = drill_services.response_draft(
        by=cast.alice, drill=drill, reply_to=[inject.pk], text=APOLOGY, now=wall.now()
    )
    drill_services.response_submit(by=cast.alice, drill=drill, response_id=reply.pk, now=wall.now())
    drill_services.drill_finish(by=cast.instructor, drill=drill, now=wall.now())
    drill.refresh_from_db()
    card = scorecard_for(drill=drill)
    assert Response.objects.get(pk=reply.pk).status == "pending"
    assert card["components"]["coverage"] == 0.0 and card["components"]["quality"] is None


def started_from_template(drill, organization) -> ResponseTemplate:
    """The drill's published reply as if drafted from a kit template (what the composer records at draft time)."""
    template = ResponseTemplate.objects.create(
        organization=organization,
        name="Payments holding",
        kind="holding",
        language="en",
        text="We are sorry: [[what]].",
    )
    Response.objects.filter(drill=drill).update(
        template=template,
        template_filled="We are sorry: [[what]].",
        template_name=template.name,
        template_kind=template.kind,
    )
    return template


def test_a_reply_started_from_a_template_shows_it_and_its_edited_share(cast, finished):
    template = started_from_template(finished, cast.org)

    reply = scorecard_for(drill=finished)["replies"][0]

    assert reply["template"] == {
        "id": template.pk,
        "name": "Payments holding",
        "kind": "holding",
        "filled": "We are sorry: [[what]].",
    }
    assert reply["edited_share"] == edited_share("We are sorry: [[what]].", APOLOGY)
    assert reply["author"] == cast.alice.pk
    assert (
        scorecard_for(drill=finished)["first_statement_s"] == 370.0
    )  # first-complaint at 0:30, the bot spokesperson published at 6:40


def test_editing_or_deleting_the_template_later_changes_no_scorecard(cast, finished):
    template = started_from_template(finished, cast.org)
    before = scorecard_for(drill=finished)["replies"][0]

    ResponseTemplate.objects.filter(pk=template.pk).update(name="Renamed", kind="apology", text="Other text")
    renamed = recomputed(finished)["replies"][0]
    template.delete()
    deleted = recomputed(finished)["replies"][0]

    assert renamed == before
    assert deleted == {**before, "template": {**before["template"], "id": None}}


def recomputed(drill) -> dict:
    Scorecard.objects.filter(drill=drill).delete()
    return scorecard_for(drill=Drill.objects.get(pk=drill.pk))


def test_the_comparison_shows_first_statement_and_edited_share(cast, outage, wall, finished):
    started_from_template(finished, cast.org)

    [row] = comparison_rows(drills=[finished])

    assert row["first_statement_s"] == 370.0
    assert row["edited_share"] == edited_share("We are sorry: [[what]].", APOLOGY)
