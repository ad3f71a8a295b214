"""Imports and publishes the shared example scenarios into the demo organization (idempotent)."""

from pathlib import Path

from scenarios.models import Scenario
from scenarios.services import document_load, scenario_create, scenario_publish


def seed_scenarios(*, organization, instructor, scenarios_dir: Path | None) -> list[str]:
    if scenarios_dir is None or not Path(scenarios_dir).is_dir():
        return []
    lines = []
    for path in sorted(Path(scenarios_dir).glob("*.y*ml")) + sorted(Path(scenarios_dir).glob("*.json")):
        document = document_load(text=path.read_bytes())
        scenario = Scenario.objects.filter(organization=organization, title=document.get("title")).first()
        if scenario is None:
            scenario = scenario_create(by=instructor, document=document)
        version, _ = scenario_publish(by=instructor, scenario=scenario)
        lines.append(f"{scenario.title} ({scenario.language}) v{version.number}")
    return lines
