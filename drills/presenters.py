"""The drill as clients see it (GET /api/drills/{id}/ and the websocket `hello`)."""

from django.utils import timezone

from drills.models import Drill
from drills.selectors import seats_of
from scenarios.selectors import version_scenario_and_plan
from scenarios.textgen import text_direction


def drill_data(drill: Drill, now=None, *, seats: list[dict] | None = None) -> dict:
    """`seats`: the drill's seats when the caller read them already (a list reads every drill's in one query)."""
    scenario = version_scenario_and_plan(drill.version)[0]
    return {
        "id": drill.pk,
        "title": drill.title,
        "status": drill.status,
        "speed": drill.speed,
        "sim_ms": drill.clock.sim_ms(now or timezone.now()),
        "seq": drill.seq,
        "seats": seats_of(drill=drill) if seats is None else seats,
        "heat": drill.heat,
        "bots": drill.bots,
        "scenario": {
            "id": drill.version.scenario_id,
            "title": drill.version.title,
            "language": scenario.language,
        },
        "version": drill.version_id,
        "direction": text_direction(scenario.language),
        "duration_ms": scenario.duration_ms,
        "chain": [{"step": i, "role": s.role, "sla_ms": s.sla_ms} for i, s in enumerate(scenario.chain)],
        "allow_self_approval": scenario.allow_self_approval,
        "max_length": scenario.scoring.max_length,
        "brand": {"name": scenario.brand_name, "handle": scenario.brand_handle},
        "created_at": drill.created_at,
        "started_at": drill.started_at,
        "finished_at": drill.finished_at,
    }


def signal_keys(drill: Drill) -> list[str]:
    """The keys of the drill's signal injects, for its instructors' console only: participants learn them from the
    finished scorecard, never from the log or their socket (PROTOCOL section 1.3)."""
    return list(version_scenario_and_plan(drill.version)[0].signal_keys)
