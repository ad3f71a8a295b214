"""The demo organizations of docs/protocol.md section 5, the project's own scenario library, published, and the demo
organization's crisis kit (demo/kit/*.yaml, imported through the kit's own import, so it is validated).

Used by `manage.py seed_demo`, the tests and the benchmarks. Idempotent: people, the team, scenarios and templates
that exist are left as they are, and publishing a document a version already holds makes no new version.
"""

from pathlib import Path

from django.db import transaction

from accounts.models import Role, Team
from accounts.services import organization_ensure, user_ensure
from kit.limits import MAX_KIT_BYTES
from kit.models import ResponseTemplate
from kit.services import kit_import, kit_load
from scenarios.models import Scenario
from scenarios.services import scenario_create, scenario_publish, source_load

LIBRARY_DIR = Path(__file__).resolve().parent / "scenarios"
KIT_DIR = Path(__file__).resolve().parent / "kit"
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


def library_paths(scenarios_dir: Path = LIBRARY_DIR) -> list[Path]:
    """The scenario documents of a directory, YAML then JSON, each kind by name."""
    return sorted(scenarios_dir.glob("*.y*ml")) + sorted(scenarios_dir.glob("*.json"))


@transaction.atomic
def seed_demo(*, password: str, scenarios_dir: Path = LIBRARY_DIR) -> dict:
    summary = {"people": {}, "scenarios": [], "templates": 0}
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
            summary["scenarios"] = _seed_scenarios(organization, users["instructor"], Path(scenarios_dir))
            summary["templates"] = _seed_kit(organization, users["instructor"])
    return summary


def _ensure_team(organization, users) -> None:
    team_name, usernames = DEMO_TEAM
    team, created = Team.objects.get_or_create(organization=organization, name=team_name)
    if created:
        team.members.set([users[u] for u in usernames])


def _seed_scenarios(organization, instructor, scenarios_dir: Path) -> list[str]:
    lines = []
    for path in library_paths(scenarios_dir):
        document, source = source_load(text=path.read_bytes())
        scenario = Scenario.objects.filter(organization=organization, title=document.get("title")).first()
        if scenario is None:
            scenario = scenario_create(by=instructor, document=document, source=source)
        version, _ = scenario_publish(by=instructor, scenario=scenario)
        lines.append(f"{scenario.title} ({scenario.language}) v{version.number}")
    return lines


def kit_paths(kit_dir: Path = KIT_DIR) -> list[Path]:
    return sorted(kit_dir.glob("*.yaml"))


def _seed_kit(organization, instructor) -> int:
    """Adds the kit's templates the library lacks (one an instructor edited stays as they left it)."""
    names = set(ResponseTemplate.objects.filter(organization=organization).values_list("name", flat=True))
    added = 0
    for path in kit_paths():
        document = kit_load(text=path.read_bytes(), fmt="yaml", max_bytes=MAX_KIT_BYTES)
        missing = [t for t in document.get("templates", []) if not isinstance(t, dict) or t.get("name") not in names]
        created, _ = kit_import(by=instructor, document={**document, "templates": missing})
        added += len(created)
    return added
