"""Recording, changing and reading observations (PROTOCOL.md 1.6). Instructors and observer seats write them and
see them live; seated participants read them once the drill is finished; other organizations never see the drill.
Each change goes, after its commit, to the drill's evaluators (evaluation.frames), never to the log."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from config.errors import Forbidden, Invalid, NotFound
from drills.models import Drill, DrillStatus
from drills.selectors import OBSERVER_SEAT, is_instructor, roles_of
from drills.services.common import now_or, scenario_of
from drills.services.lifecycle import MSG_NO_EVENT
from evaluation import frames
from evaluation.limits import MSG_EVALUATORS_ONLY, MSG_NOT_YOURS, MSG_UNKNOWN_TASK
from evaluation.models import Observation

UNSET = object()  # an edit's field left out: it keeps its value (None clears task, rating or event_seq)


def is_evaluator(*, user, drill: Drill) -> bool:
    """Instructors of the drill's organization and its observer seats: they rate, and see observations live."""
    return is_instructor(user=user, drill=drill) or OBSERVER_SEAT in roles_of(drill=drill, user=user)


def observations_for(*, user, drill: Drill) -> QuerySet[Observation]:
    """What the caller may read: everything for evaluators; for other seats only a finished drill's (404 before)."""
    if not is_evaluator(user=user, drill=drill) and drill.status != DrillStatus.FINISHED:
        raise NotFound()
    return Observation.objects.filter(drill=drill).select_related("author").order_by("id")


@transaction.atomic
def observation_create(*, by, drill: Drill, text: str, task=None, rating=None, event_seq=None, now=None):
    _require_evaluator(by, drill)
    drill = Drill.objects.get(pk=drill.pk)  # the clock and seq as they are now, not as a socket saw them
    _check_references(drill, task=task, event_seq=event_seq)
    observation = Observation.objects.create(
        drill=drill,
        author=by,
        text=text,
        task=task,
        rating=rating,
        event_seq=event_seq,
        sim_ms=int(drill.clock.sim_ms(now_or(now))),
    )
    frames.send_on_commit(observation)
    return observation


@transaction.atomic
def observation_edit(*, by, drill: Drill, observation_id, text=UNSET, task=UNSET, rating=UNSET, event_seq=UNSET):
    observation = _own(by, drill, observation_id)
    given = {"text": text, "task": task, "rating": rating, "event_seq": event_seq}
    changes = {name: value for name, value in given.items() if value is not UNSET}
    _check_references(Drill.objects.get(pk=drill.pk), task=changes.get("task"), event_seq=changes.get("event_seq"))
    for name, value in changes.items():
        setattr(observation, name, value)
    observation.save(update_fields=list(changes) or None)
    frames.send_on_commit(observation)
    return observation


@transaction.atomic
def observation_delete(*, by, drill: Drill, observation_id) -> None:
    observation = _own(by, drill, observation_id)
    frames.send_on_commit(observation, deleted=True)  # its data is read now, before the row goes
    observation.delete()


def _require_evaluator(user, drill: Drill) -> None:
    if not is_evaluator(user=user, drill=drill):
        raise Forbidden(MSG_EVALUATORS_ONLY)


def _own(user, drill: Drill, observation_id) -> Observation:
    """The observation, for its author; 404 for those who may not see it, 403 for other evaluators."""
    _require_evaluator(user, drill)
    try:
        observation = (
            Observation.objects.select_for_update(of=("self",))
            .select_related("author")
            .get(drill=drill, pk=observation_id)
        )
    except (Observation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if observation.author_id != user.pk:
        raise Forbidden(MSG_NOT_YOURS)
    return observation


def _check_references(drill: Drill, *, task, event_seq) -> None:
    """`task` names a task of the scenario's evaluation and `event_seq` an event of the log (both may be None)."""
    errors = []
    if task is not None and task not in {t.key for t in scenario_of(drill).evaluation}:
        errors.append({"path": "task", "message": MSG_UNKNOWN_TASK})
    if event_seq is not None and not 1 <= event_seq <= drill.seq:
        errors.append({"path": "event_seq", "message": MSG_NO_EVENT})
    if errors:
        raise Invalid(errors[0]["message"], errors=errors)
