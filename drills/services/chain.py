"""The approval chain: draft, edit, submit, approve and reject at each step, publish, and the bots.

PROTOCOL.md sections 1.2 and 3. Every transition appends its event; REST and the websocket call these.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from config.errors import Conflict, Forbidden, Invalid, NotFound
from config.texts import record_language, said, translated
from drills import suggestions  # the module, not its names: it reads the scenario through drills.services
from drills.events import events_append, log_state_save
from drills.limits import MAX_REPLY_CHARS, MAX_REPLY_TO, MSG_REPLY_TOO_LONG
from drills.log import (
    APPROVAL_APPROVED,
    APPROVAL_REJECTED,
    RESPONSE_DRAFTED,
    RESPONSE_EDITED,
    RESPONSE_PUBLISHED,
    RESPONSE_SUBMITTED,
)
from drills.models import Drill, PublishedInject, Response, ResponseStatus
from drills.rows import lock_drill
from drills.selectors import roles_of
from drills.services.common import (
    append_now,
    now_or,
    require_running,
    scenario_of,
    wake_engine_on_commit,
)
from kit.text import fill, slots
from scenarios.labels import role_in_message, role_title
from scenarios.rubric import check_reply, rule_broken

MSG_TEXT_REQUIRED = gettext_noop("Write the reply text.")
MSG_REPLY_TO_REQUIRED = gettext_noop("Choose at least one published inject to reply to.")
MSG_UNKNOWN_INJECT = gettext_noop("No published inject with this id in the drill.")
MSG_NOT_DRAFTER = gettext_noop("Only a seat with the drafting role ({role}) can draft replies.")
MSG_NOT_AUTHOR = gettext_noop("Only the author of this reply can do this.")
MSG_NOT_EDITABLE = gettext_noop(
    "This reply is {status}: it can be edited only as a draft or after changes were requested."
)
MSG_NOT_PENDING = gettext_noop("This reply is {status}, not waiting for approval.")
MSG_OUT_OF_TURN = gettext_noop("This reply waits at step {current}, not step {step}.")
MSG_NOT_YOUR_STEP = gettext_noop("Step {step} is decided by the {role} seat.")
MSG_OWN_DRAFT = gettext_noop("Nobody approves or rejects a reply they drafted in this scenario.")
MSG_COMMENT_REQUIRED = gettext_noop("Say what must change: a comment is required to reject.")
MSG_SLOT_LEFT = gettext_noop("Fill in [[{slot}]] first: a reply goes up the chain only with every slot filled in.")
BOT_NAME = gettext_noop("{role} bot")
MSG_BOT_APPROVES = gettext_noop("Looks good.")


# ---- input checks ---------------------------------------------------------------------------------------


def _check_text(text) -> str:
    if not isinstance(text, str) or not text.strip():
        raise Invalid(MSG_TEXT_REQUIRED, errors=[{"path": "text", "message": MSG_TEXT_REQUIRED}])
    if len(text) > MAX_REPLY_CHARS:
        raise Invalid(MSG_REPLY_TOO_LONG, errors=[{"path": "text", "message": MSG_REPLY_TOO_LONG}])
    return text


def _check_reply_to(drill: Drill, reply_to) -> list[PublishedInject]:
    if not isinstance(reply_to, list) or not reply_to or len(reply_to) > MAX_REPLY_TO:
        raise Invalid(MSG_REPLY_TO_REQUIRED, errors=[{"path": "reply_to", "message": MSG_REPLY_TO_REQUIRED}])
    ids = [i for i in reply_to if isinstance(i, int) and not isinstance(i, bool)]
    injects = {i.pk: i for i in PublishedInject.objects.filter(drill=drill, pk__in=ids)}
    errors = [
        {"path": f"reply_to[{index}]", "message": MSG_UNKNOWN_INJECT}
        for index, inject_id in enumerate(reply_to)
        if inject_id not in injects
    ]
    if errors:
        raise Invalid(MSG_UNKNOWN_INJECT, errors=errors)
    return sorted(injects.values(), key=lambda i: i.pk)


def _check_slots_filled(text: str) -> None:
    """A template's `[[slot]]` still in the text: the team has not written what only it knows (section 2)."""
    left = slots(text)
    if left:
        message = said(MSG_SLOT_LEFT, slot=left[0])
        raise Invalid(message, errors=[{"path": "text", "message": message}])


def _actor(drill: Drill, user) -> list[str]:
    require_running(drill)
    return roles_of(drill=drill, user=user)


# ---- drafting -------------------------------------------------------------------------------------------


def _reply_data(response: Response) -> dict:
    """What response.drafted, response.edited and response.published all say about the reply."""
    return {
        "response": response.pk,
        "author": response.author_id,
        "author_name": response.author.shown_name,
        "reply_to": sorted(response.reply_to.values_list("id", flat=True)),
        "text": response.text,
        "platform": response.platform,
    }


def _draft_data(response: Response) -> dict:
    return {
        **_reply_data(response),
        "status": response.status,
        "subject": response.subject,
        "template": response.template_id,
    }


@transaction.atomic
def response_draft(
    *, by, drill: Drill, reply_to, text, subject: str = "", template: int | None = None, now=None
) -> Response:
    now = now_or(now)
    drill = lock_drill(drill.pk)
    roles = _actor(drill, by)
    drafting_role = scenario_of(drill).chain[0].role
    if drafting_role not in roles:
        raise Forbidden(said(MSG_NOT_DRAFTER, role=role_in_message(drafting_role)))
    text = _check_text(text)
    injects = _check_reply_to(drill, reply_to)
    started_from = None if template is None else suggestions.template_of_organization(drill=drill, template_id=template)
    response = Response.objects.create(
        drill=drill,
        author=by,
        text=text,
        platform=injects[0].platform,
        subject=subject,
        template=started_from,
        # What the template was and said for this post then: the scorecard names it and measures the team's edits
        # against it, whatever later becomes of the template.
        template_filled=fill(started_from.text, suggestions.fill_values(drill, injects[0])) if started_from else "",
        template_name=started_from.name if started_from else "",
        template_kind=started_from.kind if started_from else "",
    )
    response.reply_to.set(injects)
    append_now(drill, [(RESPONSE_DRAFTED, _draft_data(response))], now)
    log_state_save(drill)
    return response


def _locked_response(drill: Drill, response_id) -> Response:
    response = Response.objects.select_for_update().select_related("author").filter(drill=drill, pk=response_id).first()
    if response is None:
        raise NotFound()
    return response


def _own_response(drill: Drill, by, response_id) -> Response:
    response = _locked_response(drill, response_id)
    if response.author_id != by.pk:
        raise Forbidden(MSG_NOT_AUTHOR)
    return response


@transaction.atomic
def response_edit(*, by, drill: Drill, response_id, text, now=None) -> Response:
    now = now_or(now)
    drill = lock_drill(drill.pk)
    _actor(drill, by)
    response = _own_response(drill, by, response_id)
    if response.status not in (ResponseStatus.DRAFT, ResponseStatus.CHANGES_REQUESTED):
        raise Conflict(said(MSG_NOT_EDITABLE, status=response.status), extra={"status": response.status})
    response.text = _check_text(text)
    response.save(update_fields=["text", "updated_at"])
    append_now(drill, [(RESPONSE_EDITED, _draft_data(response))], now)
    log_state_save(drill)
    return response


@transaction.atomic
def response_submit(*, by, drill: Drill, response_id, now=None) -> Response:
    now = now_or(now)
    drill = lock_drill(drill.pk)
    _actor(drill, by)
    response = _own_response(drill, by, response_id)
    if response.status not in (ResponseStatus.DRAFT, ResponseStatus.CHANGES_REQUESTED):
        raise Conflict(said(MSG_NOT_EDITABLE, status=response.status), extra={"status": response.status})
    _check_slots_filled(response.text)
    now_ms = drill.clock.sim_ms(now)
    if len(scenario_of(drill).chain) == 1:  # nobody to approve: submitting publishes
        _publish(drill, response, now, now_ms, [])
    else:
        _submit(drill, response, now, now_ms)
    log_state_save(drill)
    return response


def _submit(drill: Drill, response: Response, now, now_ms: int) -> None:
    response.status, response.step, response.reached_step_ms = ResponseStatus.PENDING, 1, now_ms
    response.save(update_fields=["status", "step", "reached_step_ms", "updated_at"])
    _bots_may_act(drill, now_ms)
    events_append(
        drill=drill,
        items=[(RESPONSE_SUBMITTED, {"response": response.pk, "step": 1})],
        sim_ms=now_ms,
        now=now,
    )


# ---- deciding -------------------------------------------------------------------------------------------


def _pending(drill: Drill, response_id, step) -> Response:
    response = _locked_response(drill, response_id)
    if response.status != ResponseStatus.PENDING:
        raise Conflict(said(MSG_NOT_PENDING, status=response.status), extra={"status": response.status})
    if step != response.step:
        raise Conflict(said(MSG_OUT_OF_TURN, current=response.step, step=step), extra={"step": response.step})
    return response


def _check_decider(drill: Drill, scenario, response: Response, by) -> str:
    role = scenario.chain[response.step].role
    if role not in _actor(drill, by):
        raise Forbidden(said(MSG_NOT_YOUR_STEP, step=response.step, role=role_in_message(role)))
    if response.author_id == by.pk and not scenario.allow_self_approval:
        raise Forbidden(MSG_OWN_DRAFT)
    return role


@transaction.atomic
def step_approve(*, by, drill: Drill, response_id, step, comment: str = "", now=None) -> Response:
    now = now_or(now)
    drill = lock_drill(drill.pk)
    require_running(drill)
    scenario = scenario_of(drill)
    response = _pending(drill, response_id, step)
    role = _check_decider(drill, scenario, response, by)
    _approve(drill, scenario, response, now, _decision(response, role, comment, by=by))
    log_state_save(drill)
    return response


@transaction.atomic
def step_reject(*, by, drill: Drill, response_id, step, comment, now=None) -> Response:
    if not isinstance(comment, str) or not comment.strip():
        raise Invalid(MSG_COMMENT_REQUIRED, errors=[{"path": "comment", "message": MSG_COMMENT_REQUIRED}])
    now = now_or(now)
    drill = lock_drill(drill.pk)
    require_running(drill)
    scenario = scenario_of(drill)
    response = _pending(drill, response_id, step)
    role = _check_decider(drill, scenario, response, by)
    _reject(drill, response, now, _decision(response, role, comment, by=by))
    log_state_save(drill)
    return response


def _decision(response: Response, role: str, comment: str, *, by=None, bot_name: str = "") -> dict:
    return {
        "response": response.pk,
        "step": response.step,
        "role": role,
        "by": by.pk if by else None,
        "by_name": by.shown_name if by else bot_name,
        "bot": by is None,
        "comment": comment or "",
    }


def _approve(drill: Drill, scenario, response: Response, now, decision: dict) -> None:
    now_ms = drill.clock.sim_ms(now)
    if response.step + 1 >= len(scenario.chain):
        _publish(drill, response, now, now_ms, [(APPROVAL_APPROVED, decision)])
        return
    response.step, response.reached_step_ms = response.step + 1, now_ms
    response.save(update_fields=["step", "reached_step_ms", "updated_at"])
    _bots_may_act(drill, now_ms)
    events_append(drill=drill, items=[(APPROVAL_APPROVED, decision)], sim_ms=now_ms, now=now)


def _reject(drill: Drill, response: Response, now, decision: dict) -> None:
    response.status, response.step, response.reached_step_ms = ResponseStatus.CHANGES_REQUESTED, 0, None
    response.save(update_fields=["status", "step", "reached_step_ms", "updated_at"])
    append_now(drill, [(APPROVAL_REJECTED, decision)], now)


def _publish(drill: Drill, response: Response, now, now_ms: int, before: list) -> None:
    response.status, response.step, response.published_ms = ResponseStatus.PUBLISHED, 0, now_ms
    response.save(update_fields=["status", "step", "published_ms", "updated_at"])
    events_append(drill=drill, items=[*before, (RESPONSE_PUBLISHED, _reply_data(response))], sim_ms=now_ms, now=now)
    wake_engine_on_commit(drill)  # a published reply cools the heat and may settle conditions


# ---- bots -----------------------------------------------------------------------------------------------


def _bots_may_act(drill: Drill, now_ms: int) -> None:
    """A reply reached a step that a bot may hold: the engine (saved with the caller's log state) asks the bots
    from now."""
    if drill.bots:
        drill.bots_check_ms = now_ms if drill.bots_check_ms is None else min(drill.bots_check_ms, now_ms)
        wake_engine_on_commit(drill)


def bot_delay_ms(*, seed: int, response_id: int, step: int, reached_ms: int, sla_ms: int) -> int:
    """Seeded: the same drill decides at the same moments when replayed. 25% to 125% of the SLA."""
    rng = random.Random(f"{seed}:{response_id}:{step}:{reached_ms}")
    return int(sla_ms * (0.25 + rng.random()))


def _bot_waiting(drill: Drill, scenario):
    steps = [i for i, step in enumerate(scenario.chain) if i > 0 and step.role in drill.bots]
    return (
        Response.objects.filter(drill=drill, status=ResponseStatus.PENDING, step__in=steps)
        .select_related("author")
        .order_by("reached_step_ms", "id")
    )


def _bot_due_ms(drill: Drill, scenario, response: Response) -> int:
    sla_ms = scenario.chain[response.step].sla_ms or 0
    delay = bot_delay_ms(
        seed=scenario.seed,
        response_id=response.pk,
        step=response.step,
        reached_ms=response.reached_step_ms,
        sla_ms=sla_ms,
    )
    return response.reached_step_ms + delay


def _bot_decision(scenario, response: Response, role: str, comment: str) -> dict:
    """A bot writes in the drill's language for everybody, whoever's request or engine step made it act: its
    name and comment go into the log once, as every reader and the scorecard will see them."""
    with translation.override(record_language(scenario.language)):
        name = translated(said(BOT_NAME, role=role_title(role)))
        return _decision(response, role, translated(comment), bot_name=name)


def bots_act(*, drill: Drill, scenario, now, now_ms: int) -> int | None:
    """Every bot decision due by now (reject naming the broken rule, approve otherwise); returns the simulated
    moment the next bot decision is due, or None. The engine step saves the drill's log state after it."""
    if not drill.bots:
        return None
    due_ms = []
    for response in _bot_waiting(drill, scenario):
        while (
            response.status == ResponseStatus.PENDING
            and response.step
            and _bot_due_ms(drill, scenario, response) <= now_ms
        ):
            role = scenario.chain[response.step].role
            if role not in drill.bots:
                break
            broken = rule_broken(check_reply(response.text, response.platform, scenario.scoring))
            decision = _bot_decision(scenario, response, role, broken or MSG_BOT_APPROVES)
            if broken:
                _reject(drill, response, now, decision)
            else:
                _approve(drill, scenario, response, now, decision)
        if response.status == ResponseStatus.PENDING and scenario.chain[response.step].role in drill.bots:
            due_ms.append(_bot_due_ms(drill, scenario, response))
    return min(due_ms, default=None)
