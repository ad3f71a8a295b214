"""Websocket actions: each checks its frame with the REST input serializer and calls the same service."""

from __future__ import annotations

from rest_framework import serializers as drf

from config.api_base import IdField
from drills import serializers as s
from drills import services
from drills.api import inject_from_input
from drills.limits import MAX_SPEED, MIN_SPEED
from drills.presenters import drill_data
from drills.services.common import checked_input
from evaluation.frames import observation_data
from evaluation.serializers import ObservationInput
from evaluation.services import observation_create

META_KEYS = {"action", "ref"}


class ResponseRef(drf.Serializer):
    response = IdField()


class EditFrame(ResponseRef, s.EditInput):
    pass


class ApproveFrame(ResponseRef, s.ApproveInput):
    pass


class RejectFrame(ResponseRef, s.RejectInput):
    pass


class SpeedFrame(drf.Serializer):
    value = drf.FloatField(min_value=MIN_SPEED, max_value=MAX_SPEED, error_messages=s.SPEED_MESSAGES)


def _checked(serializer_class, frame: dict) -> dict:
    return checked_input(serializer_class, {k: v for k, v in frame.items() if k not in META_KEYS})


def _no_fields(frame: dict) -> None:
    _checked(drf.Serializer, frame)


def draft(*, user, drill, frame):
    data = _checked(s.DraftInput, frame)
    response = services.response_draft(by=user, drill=drill, **data)
    return {"response": s.response_data(response)}


def edit(*, user, drill, frame):
    data = _checked(EditFrame, frame)
    response = services.response_edit(by=user, drill=drill, response_id=data["response"], text=data["text"])
    return {"response": s.response_data(response)}


def submit(*, user, drill, frame):
    data = _checked(ResponseRef, frame)
    return {"response": s.response_data(services.response_submit(by=user, drill=drill, response_id=data["response"]))}


def approve(*, user, drill, frame):
    data = _checked(ApproveFrame, frame)
    response = services.step_approve(by=user, drill=drill, response_id=data.pop("response"), **data)
    return {"response": s.response_data(response)}


def reject(*, user, drill, frame):
    data = _checked(RejectFrame, frame)
    response = services.step_reject(by=user, drill=drill, response_id=data.pop("response"), **data)
    return {"response": s.response_data(response)}


def _control(service):
    def act(*, user, drill, frame):
        _no_fields(frame)
        return {"drill": drill_data(service(by=user, drill=drill))}

    return act


def speed(*, user, drill, frame):
    data = _checked(SpeedFrame, frame)
    return {"drill": drill_data(services.drill_set_speed(by=user, drill=drill, speed=data["value"]))}


def inject(*, user, drill, frame):
    data = _checked(s.InjectInput, frame)
    published = services.inject_manual(by=user, drill=drill, **inject_from_input(data))
    return {"inject": {"id": published.pk, "key": published.key, "event_seq": published.event_seq}}


def observe(*, user, drill, frame):
    data = _checked(ObservationInput, frame)
    return {"observation": observation_data(observation_create(by=user, drill=drill, **data))}


def say(*, user, drill, frame):
    data = _checked(s.SayInput, frame)
    return {"message": s.message_data(services.message_say(by=user, drill=drill, text=data["text"]))}


def flag(*, user, drill, frame):
    data = _checked(s.FlagInput, frame)
    return {"flag": s.flag_data(services.inject_flag(by=user, drill=drill, **data))}


HANDLERS = {
    "draft": draft,
    "edit": edit,
    "submit": submit,
    "approve": approve,
    "reject": reject,
    "pause": _control(services.drill_pause),
    "resume": _control(services.drill_resume),
    "finish": _control(services.drill_finish),
    "start": _control(services.drill_start),
    "speed": speed,
    "inject": inject,
    "observe": observe,
    "say": say,
    "flag": flag,
}
