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
    every step of it, in the drills still running (people see a drill end in its room). Each look costs two queries
    for all the drills, then only the actions due: the bench measures the engine, not its own polling. Counts what
    it did; stops at `stop_at` (a time.monotonic moment)."""

    def __init__(self, drill_ids: list[int], drafter, approver, stop_at: float) -> None:
        super().__init__(name="bench-team", daemon=True)
        self.drill_ids, self.drafter, self.approver, self.stop_at = drill_ids, drafter, approver, stop_at
        self.tone_deaf = {pk: index % 2 == 0 for index, pk in enumerate(drill_ids)}
        self.unanswered = set(drill_ids)
        self.done = {"drafted": 0, "approved": 0, "refused": 0}

    def run(self) -> None:
        from django.db import close_old_connections

        try:
            while time.monotonic() < self.stop_at:
                self._approve_pending()
                self._answer_first_posts()
                time.sleep(LOOK_S)
        finally:
            close_old_connections()

    def _approve_pending(self) -> None:
        from drills.models import DrillStatus, Response, ResponseStatus
        from drills.services import step_approve

        pending = Response.objects.filter(
            drill_id__in=self.drill_ids, drill__status=DrillStatus.RUNNING, status=ResponseStatus.PENDING
        )
        for response in pending.select_related("drill"):
            approved = self._act(
                step_approve, by=self.approver, drill=response.drill, response_id=response.pk, step=response.step
            )
            self.done["approved"] += approved is not None

    def _answer_first_posts(self) -> None:
        from django.db.models import Min

        from drills.models import Drill, DrillStatus, PublishedInject

        posts = PublishedInject.objects.filter(
            drill_id__in=self.unanswered, drill__status=DrillStatus.RUNNING, requires_response=True
        )
        for row in posts.values("drill_id").annotate(first=Min("id")):
            drill = Drill.objects.select_related("version").get(pk=row["drill_id"])
            self.unanswered.discard(drill.pk)
            if self._draft(drill, row["first"]):
                self.done["drafted"] += 1

    def _draft(self, drill, post_id: int) -> bool:
        from drills.services import response_draft, response_submit
        from scenarios.selectors import version_scenario_and_plan

        text = reply_text(version_scenario_and_plan(drill.version)[0], tone_deaf=self.tone_deaf[drill.pk])
        response = self._act(response_draft, by=self.drafter, drill=drill, reply_to=[post_id], text=text)
        return response is not None and self._act(
            response_submit, by=self.drafter, drill=drill, response_id=response.pk
        )

    def _act(self, service, **kwargs):
        """The service's answer, or None when the drill finished or moved on meanwhile."""
        from config.errors import DomainError

        try:
            return service(**kwargs)
        except DomainError:
            self.done["refused"] += 1
            return None
