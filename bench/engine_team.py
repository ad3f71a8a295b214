"""bench/engine.py's team: every drill's scenario with the crowd's reactions (PROTOCOL section 1.4), and in every
drill a person who drafts and a person who approves, so published replies set off backlash or support while the
engine runs. One thread plays every team, as quickly as a busy team would: it looks every `LOOK_S` seconds."""

from __future__ import annotations

import threading
import time

# How often the team looks at its drills; at x100 that is a simulated minute, about as fast as people answer.
LOOK_S = 0.6


def with_reactions(instructor, versions) -> list:
    """Each scenario again with `reactions` at their defaults (backlash 12 comments over 2 m, support 3 over 1 m)."""
    from scenarios.services import scenario_create, scenario_publish

    published = []
    for version in versions:
        document = {
            **version.spec,
            "title": f"{version.title} (reactions)",
            "reactions": {"backlash": {}, "support": {}},
        }
        scenario = scenario_create(by=instructor, document=document)
        published.append(scenario_publish(by=instructor, scenario=scenario)[0])
    return published


def seats(version, participants) -> tuple[list[dict], list[str]]:
    """The first participant drafts, the second holds every later step: people, so a tone-deaf reply gets through."""
    from scenarios.selectors import version_scenario_and_plan

    roles = [step.role for step in version_scenario_and_plan(version)[0].chain]
    return [
        {"user": participants[0].pk, "role": roles[0]},
        *({"user": participants[1].pk, "role": r} for r in roles[1:]),
    ], []


def people(drill_id: int) -> tuple:
    """(drafter, approver) of a drill seated by `seats`: the same two people in every drill."""
    from drills.models import Seat

    users = [seat.user for seat in Seat.objects.filter(drill_id=drill_id).select_related("user").order_by("id")]
    return users[0], users[-1]


def reply_text(scenario, *, tone_deaf: bool) -> str:
    """A reply that passes the scenario's rubric, or one that says the first phrase it must avoid."""
    words = [item.any[0] for item in scenario.scoring.must_include]
    if tone_deaf and scenario.scoring.must_avoid:
        words.append(scenario.scoring.must_avoid[0])
    return f"{scenario.brand_name}: {' / '.join(words) or 'update'}"


class Team(threading.Thread):
    """Answers the first post that needs a reply in each drill, once (every other drill tone-deaf), and approves
    every step of it. Counts what it did; stops at `stop_at` (a time.monotonic moment)."""

    def __init__(self, drill_ids: list[int], drafter, approver, stop_at: float) -> None:
        super().__init__(name="bench-team", daemon=True)
        self.drill_ids, self.drafter, self.approver, self.stop_at = drill_ids, drafter, approver, stop_at
        self.done = {"drafted": 0, "approved": 0, "refused": 0}

    def run(self) -> None:
        from django.db import close_old_connections

        try:
            while time.monotonic() < self.stop_at:
                for index, pk in enumerate(self.drill_ids):
                    self._act(pk, tone_deaf=index % 2 == 0)
                time.sleep(LOOK_S)
        finally:
            close_old_connections()

    def _act(self, pk: int, *, tone_deaf: bool) -> None:
        from config.errors import DomainError
        from drills.models import Drill, DrillStatus, PublishedInject, Response, ResponseStatus
        from drills.services import response_draft, response_submit, step_approve
        from scenarios.selectors import version_scenario_and_plan

        drill = Drill.objects.select_related("version").get(pk=pk)
        if drill.status != DrillStatus.RUNNING:
            return
        try:
            response = Response.objects.filter(drill=drill).first()
            if response is None:
                post = PublishedInject.objects.filter(drill=drill, requires_response=True).order_by("id").first()
                if post is not None:
                    scenario = version_scenario_and_plan(drill.version)[0]
                    text = reply_text(scenario, tone_deaf=tone_deaf)
                    response = response_draft(by=self.drafter, drill=drill, reply_to=[post.pk], text=text)
                    response_submit(by=self.drafter, drill=drill, response_id=response.pk)
                    self.done["drafted"] += 1
            elif response.status == ResponseStatus.PENDING:
                step_approve(by=self.approver, drill=drill, response_id=response.pk, step=response.step)
                self.done["approved"] += 1
        except DomainError:  # the drill finished or moved on meanwhile: look again next time
            self.done["refused"] += 1
