"""The demo organizations of PROTOCOL.md section 5, used by `manage.py seed_demo`, tests and tutorials."""

from pathlib import Path

from django.db import transaction

from accounts.models import Role, Team
from accounts.services import organization_ensure, user_ensure
from scenarios.demo import seed_scenarios

DEMO_ORGS = [
    (
        "demo",
        "Demo Comms",
        [
            ("instructor", Role.INSTRUCTOR, "Ines Instructor"),
            ("alice", Role.PARTICIPANT, "Alice Martin"),
            ("bob", Role.PARTICIPANT, "Bob Cohen"),
            ("carol", Role.PARTICIPANT, "Carol Dubois"),
            ("dan", Role.PARTICIPANT, "Dan Levi"),
            ("eve", Role.PARTICIPANT, "Eve Laurent"),
            ("olivia", Role.OBSERVER, "Olivia Observer"),
        ],
    ),
    ("rival", "Rival Agency", [("rival", Role.INSTRUCTOR, "Rita Rival")]),
]
DEMO_TEAM = ("Comms desk", ["alice", "bob", "carol", "dan", "eve"])


@transaction.atomic
def seed_demo(*, password: str, scenarios_dir: Path | None = None) -> dict:
    summary = {"people": {}, "scenarios": []}
    for slug, name, people in DEMO_ORGS:
        organization = organization_ensure(slug=slug, name=name)
        users = {
            username: user_ensure(
                organization=organization, username=username, role=role, password=password, display_name=shown
            )
            for username, role, shown in people
        }
        summary["people"][name] = [(username, role.value) for username, role, _ in people]
        if slug == "demo":
            _ensure_team(organization, users)
            summary["scenarios"] = seed_scenarios(
                organization=organization, instructor=users["instructor"], scenarios_dir=scenarios_dir
            )
    return summary


def _ensure_team(organization, users) -> None:
    team_name, usernames = DEMO_TEAM
    team, created = Team.objects.get_or_create(organization=organization, name=team_name)
    if created:
        team.members.set([users[u] for u in usernames])
