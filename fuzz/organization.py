"""Creates the `fuzz` organization the fuzzer plays in, and prints its tokens and ids as JSON.

A fuzzer with instructor rights renames people, changes roles and finishes drills, so it never runs against
the demo organization. Run on a fresh database: `python -m fuzz.organization` (after `manage.py migrate`).
"""

import json
import os

import django

SCENARIO = {
    "format": "crisisdrill/v1",
    "title": "Fuzz outage",
    "language": "en",
    "brand": {"name": "FuzzCo", "handle": "@fuzzco"},
    "duration": "40m",
    "response_sla": "10m",
    "approval_chain": [{"role": "drafter"}, {"role": "reviewer", "sla": "2m"}],
    "personas": [{"key": "customer", "kind": "customer", "name": "Casey", "handle": "@casey", "followers": 10}],
    "injects": [
        {
            "key": "first",
            "at": "1s",
            "platform": "x",
            "persona": "customer",
            "text": "Is {brand.name} down?",
            "severity": 3,
            "requires_response": True,
        }
    ],
}


def fuzz_organization() -> dict:
    from rest_framework.authtoken.models import Token

    from accounts.models import Role
    from accounts.services import organization_ensure, team_save, user_ensure
    from drills.services import drill_create, drill_start
    from kit.services import template_create
    from scenarios.services import scenario_create, scenario_publish

    organization = organization_ensure(slug="fuzz", name="Fuzz")
    password = "fuzz-password-1"
    instructor = user_ensure(
        organization=organization,
        username="fuzz-instructor",
        role=Role.INSTRUCTOR,
        password=password,
        display_name="Fuzz Instructor",
    )
    participant = user_ensure(
        organization=organization,
        username="fuzz-participant",
        role=Role.PARTICIPANT,
        password=password,
        display_name="Fuzz Participant",
    )
    team = team_save(by=instructor, name="Fuzz team", member_ids=[participant.pk])
    scenario = scenario_create(by=instructor, document=SCENARIO)
    scenario_publish(by=instructor, scenario=scenario)
    seats = [{"user": participant.pk, "role": "drafter"}, {"user": instructor.pk, "role": "reviewer"}]
    drill = drill_create(by=instructor, scenario=scenario.pk, seats=seats, title="Fuzz drill")
    drill_start(by=instructor, drill=drill)
    template = template_create(
        by=instructor,
        data={"name": "Holding", "kind": "holding", "language": "en", "text": "Hi {persona.handle}: [[what]]"},
    )
    return {
        "instructor_token": Token.objects.create(user=instructor).key,
        "participant_token": Token.objects.create(user=participant).key,
        "member_id": participant.pk,
        "team_id": team.pk,
        "scenario_id": scenario.pk,
        "drill_id": drill.pk,
        "template_id": template.pk,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(json.dumps(fuzz_organization()))
