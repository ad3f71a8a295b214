"""Lists stay fast in a large organization (issue 18, bench/pages.py): the queries of the scenario and drill
lists, pages and API alike, do not grow with the number of scenarios or drills, and lists never read documents."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from drills import services
from drills.models import Drill
from frontend import drill_pages, scenario_pages
from scenarios.services import document_load, scenario_create, scenario_publish, scenario_update

pytestmark = pytest.mark.django_db

DOCUMENT = """format: crisisdrill/v1
title: Library scenario {n}
language: en
brand: {{name: Brand, handle: "@brand"}}
duration: 30m
seed: {n}
response_sla: 10m
approval_chain:
  - {{role: drafter}}
  - {{role: reviewer{n}, sla: 2m}}
personas:
  - {{key: customer, kind: customer, name: Pat, handle: "@pat", followers: 10}}
injects:
  - {{key: first, at: 1m, platform: x, persona: customer, text: "Down again?", severity: 2, requires_response: true}}
"""
# A document or its text selected as a column (the new drill form reads only the chain out of the document).
WHOLE_DOCUMENT = re.compile(r'(SELECT |, )"\w+"\."(spec|source)"(,| FROM)')
LISTS = ["/scenarios/", "/api/scenarios/", "/drills/", "/api/drills/"]


def library(cast, count: int, start: int = 0) -> list:
    """`count` published scenarios, each with a second version; their drills, one participant seated in each."""
    versions = []
    for n in range(start, start + count):
        scenario = scenario_create(by=cast.instructor, document=document_load(text=DOCUMENT.format(n=n)))
        scenario_publish(by=cast.instructor, scenario=scenario)
        document = document_load(text=DOCUMENT.format(n=n).replace("Down again?", "Still down?"))
        scenario_update(by=cast.instructor, scenario=scenario, document=document)
        versions.append(scenario_publish(by=cast.instructor, scenario=scenario)[0])
        seats = [{"user": cast.alice.pk, "role": "drafter"}, {"user": cast.bob.pk, "role": f"reviewer{n}"}]
        services.drill_create(by=cast.instructor, scenario=scenario.pk, seats=seats)
    return versions


def queries_of(user, path: str) -> list[str]:
    client = Client()
    client.force_login(user)
    client.get(path)  # sessions, translations: what a first request sets up is not what is counted
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    ("who", "path"), [("instructor", path) for path in LISTS] + [("alice", path) for path in LISTS[1:]]
)
def test_a_list_reads_as_many_queries_for_twelve_rows_as_for_two(cast, path, who):
    library(cast, 2)
    few = len(queries_of(getattr(cast, who), path))
    library(cast, 10, start=2)
    assert len(queries_of(getattr(cast, who), path)) == few


def test_the_new_drill_form_offers_each_scenarios_latest_chain(cast):
    library(cast, 3)
    html = queries_and_page(cast)
    for n in range(3):
        assert f'"reviewer{n}"' in html
    assert html.count('"version": 2') == 3 and '"version": 1' not in html


def queries_and_page(cast) -> str:
    client = Client()
    client.force_login(cast.instructor)
    return client.get("/drills/").content.decode()


@pytest.mark.parametrize("path", LISTS[:3])
def test_lists_never_read_a_whole_scenario_document(cast, path):
    library(cast, 2)
    for sql in queries_of(cast.instructor, path):
        assert not WHOLE_DOCUMENT.search(sql), sql


def test_the_library_shows_a_page_of_scenarios_and_the_way_to_the_others(cast, monkeypatch):
    monkeypatch.setattr(scenario_pages, "LIBRARY_PAGE_SIZE", 2)
    library(cast, 5)
    client = Client()
    client.force_login(cast.instructor)
    first = client.get("/scenarios/", {"q": "Library", "language": "en"}).content.decode()
    assert first.count('class="scenario-link"') == 2 and "Library scenario 0" in first
    assert "1–2 of 5" in first and 'href="?q=Library&amp;language=en&amp;page=2"' in first
    assert 'rel="prev"' not in first
    last = client.get("/scenarios/", {"q": "Library", "language": "en", "page": "3"}).content.decode()
    assert last.count('class="scenario-link"') == 1 and "Library scenario 4" in last and 'rel="next"' not in last
    for page in ("0", "x", "99"):  # out of range: the nearest page, never an error
        assert client.get("/scenarios/", {"page": page}).status_code == 200


def test_the_drill_list_shows_a_page_of_the_newest_drills_and_keeps_its_filter(cast, monkeypatch):
    monkeypatch.setattr(drill_pages, "DRILLS_PAGE_SIZE", 2)
    library(cast, 5)
    client = Client()
    client.force_login(cast.instructor)
    newest = list(Drill.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    first = client.get("/drills/", {"status": "active"}).content.decode()
    assert re.findall(r'data-drill="(\d+)"', first) == [str(pk) for pk in newest[:2]]
    assert "1–2 of 5" in first and 'href="?status=active&amp;page=2"' in first
    last = client.get("/drills/", {"status": "active", "page": "3"}).content.decode()
    assert re.findall(r'data-drill="(\d+)"', last) == [str(newest[4])] and 'rel="next"' not in last
