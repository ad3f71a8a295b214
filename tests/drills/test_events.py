"""The event log and the seats as clients get them: frame texts read in pages are the same frames the live path
sends; seats carry the names others see."""

import json

import pytest

from drills.events import events_after, frame_texts
from drills.models import Drill, DrillEvent

pytestmark = [pytest.mark.django_db]


def _log(drill: Drill, count: int) -> None:
    # Wall times with and without microseconds: ISO-8601 text leaves out a zero fraction.
    times = [drill.created_at, drill.created_at.replace(microsecond=0)]
    DrillEvent.objects.bulk_create(
        DrillEvent(drill=drill, seq=n, kind="inject.published", sim_ms=n * 10, wall_at=times[n % 2], data=_data(n))
        for n in range(1, count + 1)
    )
    Drill.objects.filter(pk=drill.pk).update(seq=count)


def _data(seq: int) -> dict:
    # Right-to-left text, quotes and nesting: the stored JSON goes into the frame text as it is.
    return {"id": seq, "text": f'שלום "{seq}" \\ ok', "persona": {"name": "Dana", "followers": seq}, "manual": True}


def test_frame_texts_are_the_frames_of_the_log(drill):
    _log(drill, 5)
    texts = frame_texts(drill_id=drill.pk, after=2, limit=10)
    assert [seq for seq, _ in texts] == [3, 4, 5]
    assert [json.loads(text) for _, text in texts] == events_after(drill=drill, after=2)


def test_frame_texts_read_one_page_at_a_time(drill):
    _log(drill, 7)
    first = frame_texts(drill_id=drill.pk, after=0, limit=3)
    second = frame_texts(drill_id=drill.pk, after=first[-1][0], limit=3)
    last = frame_texts(drill_id=drill.pk, after=second[-1][0], limit=3)
    assert [seq for seq, _ in first + second + last] == list(range(1, 8))
    assert frame_texts(drill_id=drill.pk, after=7, limit=3) == []


def test_seats_are_read_with_the_names_others_see(cast, drill):
    from drills.selectors import seats_of

    cast.alice.display_name, cast.bob.first_name, cast.bob.last_name = "Alice A.", "Bob", "Builder"
    cast.alice.save()
    cast.bob.save()
    seats = seats_of(drill=drill)
    assert [(s["user"], s["role"]) for s in seats] == list(drill.seats.order_by("id").values_list("user", "role"))
    names = {s["user"]: (s["username"], s["display_name"]) for s in seats}
    for user in (cast.alice, cast.bob, cast.instructor):
        assert names[user.pk] == (user.username, user.shown_name)
    assert names[cast.alice.pk][1] == "Alice A." and names[cast.bob.pk][1] == "Bob Builder"
