"""The debrief page in a long drill (issue 18, bench/pages.py): it shows the moments people act on, not every
counter, heat step and crowd comment, so a 10,000-event drill's page stays fast; what a note is about still shows."""

import re

import pytest
from django.test import Client

from drills import services as drill_services
from drills.models import DrillEvent
from frontend import scorecard_pages
from scoring.services import debrief_log

pytestmark = pytest.mark.django_db


def note_options(cast, drill) -> list[str]:
    client = Client()
    client.force_login(cast.instructor)
    html = client.get(f"/drills/{drill.pk}/scorecard/").content.decode()
    select = html[html.index('<select id="note-event"') : html.index("</select>", html.index('id="note-event"'))]
    return re.findall(r'<option value="\d+" dir="auto">([^<]*)</option>', select)


def test_the_note_form_offers_the_moments_not_the_counters_heat_or_every_crowd_comment(cast, finished):
    kinds = set(DrillEvent.objects.filter(drill=finished).values_list("kind", flat=True))
    assert {"heat", "engagement"} <= kinds  # the played drill has them: the form leaves them out
    options = note_options(cast, finished)
    assert not [o for o in options if o.split(" · ")[1] in ("heat", "engagement")]
    crowd = [o for o in options if "pile-on #" in o]
    assert crowd == [o for o in options if "pile-on #1" in o] and len(crowd) == 1  # the burst, once
    assert [o for o in options if "first-complaint" in o]
    assert [o for o in options if "response.published" in o]


def test_a_note_on_a_heat_step_still_says_what_and_when_it_was_about(cast, finished):
    heat = DrillEvent.objects.filter(drill=finished, kind="heat").last()
    drill_services.note_add(by=cast.instructor, drill=finished, event_seq=heat.seq, text="Too hot here.")
    logged = debrief_log(drill=finished, with_seqs={heat.seq})
    assert [e.seq for e in logged if e.kind == "heat"] == [heat.seq]
    client = Client()
    client.force_login(cast.instructor)
    html = client.get(f"/drills/{finished.pk}/scorecard/").content.decode()
    assert f"heat · {heat.data['heat']}" in html and "Too hot here." in html


def replies_of(html: str) -> str:
    start = html.index('id="replies-h"')
    return html[start : html.index("</section>", start)]


def test_the_replies_of_a_finished_drill_are_rendered_once_per_language(cast, finished, monkeypatch):
    calls = []
    render = scorecard_pages.reply_cards
    monkeypatch.setattr(scorecard_pages, "reply_cards", lambda *args: calls.append(1) or render(*args))
    client = Client()
    client.force_login(cast.instructor)
    pages = [replies_of(client.get(f"/drills/{finished.pk}/scorecard/").content.decode()) for _ in range(2)]
    assert len(calls) == 1 and pages[0] == pages[1] and "✓</span> apology" in pages[1]
    drill_services.note_add(by=cast.instructor, drill=finished, event_seq=1, text="Late start.")
    assert "Late start." in client.get(f"/drills/{finished.pk}/scorecard/").content.decode()  # notes: never cached
    french = client.get(f"/drills/{finished.pk}/scorecard/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert len(calls) == 2 and 'lang="fr"' in french
