"""The organization `bench.pages` measures, built through the real services in a Django child process.

- the demo organization (seed_demo), then `--scenarios` scenarios imported from YAML text (valid crisisdrill/v1,
  cycling over English, Hebrew and French), most published, some edited and published again (several versions);
- `--drills` drills of the published scenarios: most in the lobby, a third started and finished;
- one long drill played on a fake clock until its log holds `--events` events: the engine publishes its posts,
  bursts, heat and engagement (`drill_advance`), people draft, submit, approve and reject replies, edit rejected
  ones, flag signals and talk in the team channel, bots decide the last step, replies set off crowd reactions;
  then the instructor finishes it and writes debrief notes. Its scorecard is never computed here: the first page
  or API read computes it from that log.
"""

from __future__ import annotations

from datetime import timedelta

LANGUAGES = ("en", "he", "fr")
TEXTS = {
    "en": ("Is {brand.name} down? My card was charged twice.", "We are sorry: payments fail. Next update in 1h."),
    "he": ("האתר של {brand.name} לא עובד? חייבו אותי פעמיים.", "אנחנו מצטערים: התשלומים נכשלים. עדכון בעוד שעה."),
    "fr": ("{brand.name} est en panne ? Débité deux fois.", "Nous sommes désolés : mise à jour dans 1 h."),
}
GOOD_REPLY = "We are sorry: checkout payments fail right now. We are working on it, next update within the hour."
TONE_DEAF = "No comment: this is not our fault, our provider failed."


def library_document(index: int, *, revision: int = 0) -> str:
    """A small valid scenario as its author writes it (YAML text); `revision` changes its script."""
    language = LANGUAGES[index % len(LANGUAGES)]
    complaint, _reply = TEXTS[language]
    injects = "\n".join(
        f"""  - key: post-{n}
    at: {n * 2 + revision + 1}m
    platform: {("x", "facebook", "email", "news")[n % 4]}
    persona: customer
    text: "{complaint} ({n})"
    severity: {1 + n % 5}
    requires_response: {"true" if n % 2 == 0 else "false"}"""
        for n in range(3 + index % 6)
    )
    suffix = f" (rev. {revision})" if revision else ""
    return f"""format: crisisdrill/v1
title: "Library scenario {index:04d}{suffix}"
language: {language}
description: One of the organization's library scenarios, number {index}.
brand: {{name: Brand {index}, handle: "@brand{index}"}}
duration: 30m
seed: {index}
response_sla: 10m
approval_chain:
  - {{role: drafter}}
  - {{role: reviewer, sla: 2m}}
personas:
  - {{key: customer, kind: customer, name: "{{faker.name}}", handle: "@{{faker.user_name}}", followers: {100 + index}}}
injects:
{injects}
"""


def big_document(*, posts: int, bursts: int) -> str:
    """The long drill's script: `posts` posts needing a reply (every 10th a signal), `bursts` bursts of 500,
    reactions at their defaults, a three-step chain; four hours of simulated time."""
    injects = "\n".join(
        f"""  - key: post-{n}
    at: {60 + n * 34}s
    platform: {("x", "facebook", "email", "news", "tiktok")[n % 5]}
    persona: {"reporter" if n % 7 == 0 else "customer"}
    text: "Checkout at {{brand.name}} failed again, case {n}. Anyone there?"
    severity: {1 + n % 5}
    requires_response: true
    respond_within: {5 + n % 10}m{chr(10) + "    signal: true" if n % 10 == 3 else ""}"""
        for n in range(posts)
    )
    burst_items = "\n".join(
        f"""  - key: pile-on-{b}
    at: {10 + b * 25}m
    platform: x
    burst: {{count: 500, over: 15m, persona_kind: customer}}
    texts: ["Same here {{brand.handle}}", "Still broken!!", "Lost my cart again", "Charged twice?"]
    severity: 1"""
        for b in range(bursts)
    )
    return f"""format: crisisdrill/v1
title: Bench long drill
language: en
description: Four hours of outage, for the page benchmark.
brand: {{name: ShopLine, handle: "@shopline"}}
duration: 4h
seed: 11
response_sla: 10m
approval_chain:
  - {{role: drafter}}
  - {{role: reviewer, sla: 2m}}
  - {{role: legal, sla: 3m}}
personas:
  - {{key: customer, kind: customer, name: "{{faker.name}}", handle: "@{{faker.user_name}}", followers: 850}}
  - {{key: reporter, kind: journalist, name: Dana Levi, handle: "@dlevi_news", followers: 48000}}
injects:
{injects}
{burst_items}
reactions:
  backlash: {{count: 12, over: 2m}}
  support: {{count: 3, over: 1m}}
evaluation:
  - {{key: acknowledge, task: Acknowledge the outage publicly within 15 minutes}}
scoring:
  must_include:
    - {{label: apology, any: [sorry, apolog]}}
    - {{label: next step, any: [update, working on, refund]}}
  must_avoid: ["no comment", "not our fault"]
  max_length: {{x: 280}}
"""


def library_import(instructor, count: int) -> list:
    """`count` scenarios imported from YAML text; 4 in 5 published, every 5th of those edited and published
    again. The published ones, in import order."""
    from scenarios import services

    published = []
    for index in range(count):
        document, source = services.source_load(text=library_document(index))
        scenario = services.scenario_create(by=instructor, document=document, source=source)
        if index % 5 == 4:
            continue
        services.scenario_publish(by=instructor, scenario=scenario)
        if index % 5 == 0:
            document, source = services.source_load(text=library_document(index, revision=1))
            services.scenario_update(by=instructor, scenario=scenario, document=document, source=source)
            services.scenario_publish(by=instructor, scenario=scenario)
        published.append(scenario)
    return published


def drills_create(instructor, people, scenarios, count: int, now) -> None:
    """`count` lobby drills of the published scenarios; every third started and finished."""
    from drills import services

    for index in range(count):
        seats = [{"user": people[index % len(people)].pk, "role": "drafter"}]
        drill = services.drill_create(
            by=instructor, scenario=scenarios[index % 60].pk, seats=seats, bots=["reviewer"], title=f"Drill {index}"
        )
        if index % 3 == 0:
            services.drill_start(by=instructor, drill=drill, now=now)
            services.drill_finish(by=instructor, drill=drill, now=now + timedelta(seconds=30))


class LongDrill:
    """Plays the long drill on a fake clock: the engine steps whatever is due, people act between its steps."""

    def __init__(self, instructor, people, target_events: int, now):
        from drills import services
        from scenarios import services as scenario_services

        self.instructor, self.target, self.now = instructor, target_events, now
        self.drafter, self.reviewer, self.flagger = people[0], people[1], people[2]
        document, source = scenario_services.source_load(text=big_document(posts=400, bursts=9))
        scenario = scenario_services.scenario_create(by=instructor, document=document, source=source)
        scenario_services.scenario_publish(by=instructor, scenario=scenario)
        seats = [
            {"user": self.drafter.pk, "role": "drafter"},
            {"user": self.reviewer.pk, "role": "reviewer"},
            {"user": self.flagger.pk, "role": "reviewer"},
        ]
        self.drill = services.drill_create(
            by=instructor, scenario=scenario.pk, seats=seats, bots=["legal"], speed=1, title="Long drill"
        )
        self.answered: set[int] = set()
        self.flagged: set[int] = set()
        self.replies = 0

    def play(self):
        from drills import services
        from drills.models import Drill, DrillStatus

        services.drill_start(by=self.instructor, drill=self.drill, now=self.now)
        turn = 0
        while True:
            next_due = services.drill_advance(drill_id=self.drill.pk, now=self.now)
            self.drill = Drill.objects.get(pk=self.drill.pk)
            if self.drill.status != DrillStatus.RUNNING or self.drill.seq >= self.target - 1:
                break
            turn += 1
            self.act(turn)
            step_s = 20 if next_due is None else min(20, max(1, (next_due - self.now).total_seconds()))
            self.now += timedelta(seconds=step_s)
        if self.drill.status == DrillStatus.RUNNING:
            services.drill_finish(by=self.instructor, drill=self.drill, now=self.now)
        self.drill.refresh_from_db()
        for seq in (1, self.drill.seq // 2, self.drill.seq):
            services.note_add(by=self.instructor, drill=self.drill, event_seq=seq, text=f"Debrief note on {seq}.")
        return self.drill

    def act(self, turn: int) -> None:
        """A person's moves in one turn: reply to the oldest unanswered post, decide what waits at step 1, fix
        rejected drafts, flag signals, sometimes a word in the team channel."""
        from drills import services
        from drills.models import PublishedInject, Response, ResponseStatus

        injects = PublishedInject.objects.filter(drill=self.drill, requires_response=True).exclude(pk__in=self.answered)
        for inject in injects.order_by("id")[:1]:
            self.answered.add(inject.pk)
            self.replies += 1
            text = TONE_DEAF if self.replies % 9 == 0 else GOOD_REPLY
            reply = services.response_draft(
                by=self.drafter, drill=self.drill, reply_to=[inject.pk], text=text, now=self.now
            )
            services.response_submit(by=self.drafter, drill=self.drill, response_id=reply.pk, now=self.now)
        for response in Response.objects.filter(drill=self.drill, status=ResponseStatus.PENDING, step=1):
            if response.pk % 6 == 5 and response.text != GOOD_REPLY + " Fixed.":
                services.step_reject(
                    by=self.reviewer,
                    drill=self.drill,
                    response_id=response.pk,
                    step=1,
                    comment="Say when.",
                    now=self.now,
                )
            else:
                services.step_approve(by=self.reviewer, drill=self.drill, response_id=response.pk, step=1, now=self.now)
        for response in Response.objects.filter(drill=self.drill, status=ResponseStatus.CHANGES_REQUESTED):
            fixed = GOOD_REPLY + " Fixed."
            services.response_edit(by=self.drafter, drill=self.drill, response_id=response.pk, text=fixed, now=self.now)
            services.response_submit(by=self.drafter, drill=self.drill, response_id=response.pk, now=self.now)
        self.flag_some()
        if turn % 15 == 0:
            services.message_say(by=self.drafter, drill=self.drill, text=f"Status at turn {turn}.", now=self.now)

    def flag_some(self) -> None:
        from drills import services
        from drills.models import PublishedInject

        recent = PublishedInject.objects.filter(drill=self.drill, key__endswith="3", burst_index__isnull=True)
        for inject in recent.exclude(pk__in=self.flagged).order_by("id")[:1]:
            self.flagged.add(inject.pk)
            services.inject_flag(by=self.flagger, drill=self.drill, inject=inject.pk, note="Early sign?", now=self.now)
