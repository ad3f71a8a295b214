"""The drill pages: who may open a room, what each seat sees in it, and the instructor's "New drill" form."""

from pathlib import Path

import pytest
from django.test import Client
from django.utils.html import escape

from accounts.models import Role
from drills import services
from drills.models import Drill, DrillStatus
from drills.services.lifecycle import MSG_SPEED_RANGE
from drills.services.seating import MSG_BOT_ROLE, MSG_BOT_SEATED, MSG_UNKNOWN_ROLE
from frontend.drill_pages import MSG_SPEED_NUMBER, MSG_TITLE_TOO_LONG, MSG_UNKNOWN_SCENARIO
from scenarios.services import document_load, scenario_create, scenario_publish
from tests.factories import member

pytestmark = pytest.mark.django_db
SHARED = Path(__file__).resolve().parents[3] / "shared" / "scenarios"


@pytest.fixture
def outage(cast):
    document = document_load(text=(SHARED / "checkout-outage.en.yaml").read_bytes())
    scenario = scenario_create(by=cast.instructor, document=document)
    return scenario_publish(by=cast.instructor, scenario=scenario)[0]


@pytest.fixture
def carol(cast):
    return member("carol", cast.org, Role.PARTICIPANT)  # in the organization, seated nowhere


@pytest.fixture
def drill(cast, outage, carol):
    return services.drill_create(
        by=cast.instructor,
        scenario=outage.scenario_id,
        title="Friday rehearsal",
        seats=[
            {"user": cast.alice.id, "role": "drafter"},
            {"user": cast.bob.id, "role": "reviewer"},
            {"user": cast.bob.id, "role": "legal"},
            {"user": cast.olivia.id, "role": "observer"},
        ],
        bots=["spokesperson"],
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, path: str):
    response = signed_in(user).get(path)
    return response, response.content.decode()


# ---- the room ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("instructor", 200), ("alice", 200), ("carol", 404), ("olivia", 200), ("rival", 404)],
)
def test_the_room_opens_only_for_its_instructors_and_seats(cast, carol, drill, who, status):
    user = carol if who == "carol" else getattr(cast, who)
    response, html = page(user, f"/drills/{drill.pk}/")
    assert response.status_code == status
    if status == 404:
        assert "Friday rehearsal" not in html and "Not found" in html


def test_the_room_asks_anonymous_visitors_to_sign_in(drill):
    response = Client().get(f"/drills/{drill.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_unknown_drill_is_404(cast):
    assert signed_in(cast.instructor).get("/drills/999999/").status_code == 404


@pytest.mark.parametrize(
    ("who", "present", "absent"),
    [
        ("instructor", ["data-console", "data-log"], ["data-composer-form", "data-queue-panel"]),
        ("alice", ["data-composer-form", "data-mine-panel", "data-channel-form", "data-inbox"], ["data-console"]),
        ("bob", ["data-queue-panel"], ["data-composer-form", "data-console"]),
        (
            "olivia",
            ["You are observing", "data-channel-list"],
            ["data-composer-form", "data-channel-form", "data-console"],
        ),
    ],
)
def test_each_seat_gets_the_panels_of_its_roles(cast, drill, who, present, absent):
    html = page(getattr(cast, who), f"/drills/{drill.pk}/")[1]
    for marker in present:
        assert marker in html
    for marker in absent:
        assert marker not in html


def test_the_room_loads_its_module_without_inline_script(cast, drill):
    response, html = page(cast.alice, f"/drills/{drill.pk}/")
    assert 'type="module" src="/static/frontend/js/drill-room.js"' in html
    assert f'data-drill="{drill.pk}"' in html and f"/drills/{drill.pk}/scorecard/" in html
    assert "<script>" not in html and " onclick=" not in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]


# ---- the list ---------------------------------------------------------------------------------------------


def test_participants_list_only_the_drills_they_sit_in(cast, carol, drill):
    assert "Friday rehearsal" in page(cast.alice, "/drills/")[1]
    html = page(carol, "/drills/")[1]
    assert "Friday rehearsal" not in html and "not seated in any drill" in html
    assert 'id="drill-form"' not in html


def test_the_list_shows_status_badges_and_filters_finished_drills(cast, drill):
    html = page(cast.instructor, "/drills/")[1]
    assert "badge-lobby" in html and "Friday rehearsal" in html
    assert "Friday rehearsal" not in page(cast.instructor, "/drills/?finished=1")[1]
    Drill.objects.filter(pk=drill.pk).update(status=DrillStatus.FINISHED)
    html = page(cast.instructor, "/drills/?finished=1")[1]
    assert "badge-finished" in html and f"/drills/{drill.pk}/scorecard/" in html


def test_the_rival_instructor_sees_none_of_our_drills(cast, drill):
    html = page(cast.rival, "/drills/")[1]
    assert "Friday rehearsal" not in html and "Checkout outage" not in html


def test_the_form_offers_published_scenarios_members_and_chain_roles(cast, outage, drill):
    html = page(cast.instructor, "/drills/")[1]
    assert f'<option value="{outage.scenario_id}"' in html
    assert f'name="seat-{cast.alice.id}"' in html and f'name="seat-{cast.rival.id}"' not in html
    assert 'value="legal"' in html and 'name="bots" value="spokesperson"' in html
    assert 'name="bots" value="drafter"' not in html  # the author's step is never a bot's


# ---- creating a drill -------------------------------------------------------------------------------------


def form(cast, outage, **changes) -> dict:
    data = {
        "scenario": str(outage.scenario_id),
        "title": "Tuesday drill",
        "speed": "10",
        f"seat-{cast.alice.id}": "drafter",
        f"seat-{cast.bob.id}": "reviewer",
        f"seat-{cast.olivia.id}": "observer",
        "bots": ["legal", "spokesperson"],
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


def test_the_form_creates_a_drill_and_opens_its_room(cast, outage):
    response = signed_in(cast.instructor).post("/drills/", form(cast, outage))
    drill = Drill.objects.get(title="Tuesday drill")
    assert response.status_code == 302 and response["Location"] == f"/drills/{drill.pk}/"
    assert drill.speed == 10 and drill.bots == ["legal", "spokesperson"] and drill.status == "lobby"
    seats = set(drill.seats.values_list("user__username", "role"))
    assert seats == {("alice", "drafter"), ("bob", "reviewer"), ("olivia", "observer")}


def test_an_empty_title_takes_the_scenarios(cast, outage):
    signed_in(cast.instructor).post("/drills/", form(cast, outage, title=""))
    assert Drill.objects.get().title == "Checkout outage on Black Friday"


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"speed": "fast"}, "speed", MSG_SPEED_NUMBER),
        ({"speed": "500"}, "speed", MSG_SPEED_RANGE),
        ({"title": "t" * 201}, "title", MSG_TITLE_TOO_LONG),
        ({"bots": ["drafter"]}, "bots[0]", MSG_BOT_ROLE.format(roles="reviewer, legal, spokesperson")),
        ({"bots": ["reviewer"]}, "bots[0]", MSG_BOT_SEATED),
        ({"scenario": "987654"}, "scenario", MSG_UNKNOWN_SCENARIO),
        ({"scenario": None}, "scenario", "Give a scenario or a version."),
    ],
)
def test_the_form_shows_each_error_with_its_path(cast, outage, changes, path, message):
    response = signed_in(cast.instructor).post("/drills/", form(cast, outage, **changes))
    html = response.content.decode()
    assert response.status_code == 400 and not Drill.objects.exists()
    assert f"<code>{path}</code>" in html
    assert escape(message) in html


def test_the_form_reports_every_error_at_once_and_names_the_member(cast, outage):
    changes = {f"seat-{cast.bob.id}": "direction", "bots": ["drafter", "legal"], "speed": "0.1"}
    html = signed_in(cast.instructor).post("/drills/", form(cast, outage, **changes)).content.decode()
    roles = "drafter, reviewer, legal, spokesperson, observer"
    assert "<code>seats[1].role</code>" in html and '<bdi class="error-label">bob</bdi>' in html
    assert escape(MSG_UNKNOWN_ROLE.format(roles=roles)) in html
    assert '<code>bots[0]</code><bdi class="error-label">drafter</bdi>' in html and "<code>speed</code>" in html


def test_the_form_keeps_what_was_typed_after_an_error(cast, outage):
    html = signed_in(cast.instructor).post("/drills/", form(cast, outage, speed="0.1")).content.decode()
    assert 'value="Tuesday drill"' in html and 'value="0.1"' in html
    assert '<option value="reviewer" selected>' in html
    assert 'name="bots" value="legal" checked' in html


def test_only_instructors_create_drills(cast, outage):
    response = signed_in(cast.alice).post("/drills/", form(cast, outage))
    assert response.status_code == 404 and not Drill.objects.exists()
