"""Live drills over REST (PROTOCOL.md section 2). The websocket calls the same services."""

from django.utils.translation import gettext_noop
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.selectors import require_instructor
from config.api_base import ApiView, check_input
from config.errors import Invalid
from config.limits import MAX_ID, whole_number
from config.schema import errors
from drills import outputs as out
from drills import serializers as s
from drills import services
from drills.events import events_after
from drills.presenters import drill_data
from drills.selectors import (
    MAX_LISTED_DRILLS,
    drill_for_user,
    drills_for_user,
    messages_of,
    response_in_drill,
    responses_of,
    seats_of_drills,
)
from drills.services.channel import inbox_read_ids
from drills.services.common import action_throttle
from drills.suggestions import MAX_SUGGESTIONS, published_inject, suggestions_for
from drills.tickets import request_credential, ticket_issue

MAX_EVENTS_PAGE = 5000
MSG_BAD_AFTER = gettext_noop("after must be a whole number >= 0.")
MSG_BAD_SCENARIO = gettext_noop("scenario must be a scenario id.")
MSG_BAD_INJECT = gettext_noop("inject must be the id of a post published in this drill.")


def query_number(request, name: str, message: str, *, default: str | None = None, low: int = 0) -> int | None:
    """A whole-number query parameter (None when absent and no default); 400 with its path otherwise."""
    value = request.query_params.get(name) or default
    if value is None:
        return None
    number = whole_number(value, low=low)
    if number is None:
        raise Invalid(message, errors=[{"path": name, "message": message}])
    return number


def _drill(request, drill_id):
    return drill_for_user(user=request.user, drill_id=drill_id)


def _acting(request, drill_id):
    """The drill a changing call acts on, after the action gate (before any read or transaction)."""
    action_throttle(request.user, drill_id)
    return _drill(request, drill_id)


class DrillListApi(ApiView):
    @extend_schema(
        parameters=[OpenApiParameter("scenario", int, description="only the drills of this scenario")],
        responses=out.DrillOutput(many=True),
    )
    def get(self, request):
        drills = drills_for_user(user=request.user)
        scenario_id = query_number(request, "scenario", MSG_BAD_SCENARIO, low=1)
        if scenario_id is not None:
            drills = drills.filter(version__scenario_id=scenario_id)
        drills = list(drills[:MAX_LISTED_DRILLS])
        seats = seats_of_drills(drill_ids=[drill.pk for drill in drills])
        return Response([drill_data(drill, seats=seats[drill.pk]) for drill in drills])

    @extend_schema(request=s.DrillCreateInput, responses={201: out.DrillOutput, **errors(404)})
    def post(self, request):
        require_instructor(request.user)
        data = check_input(s.DrillCreateInput, request.data)
        drill = services.drill_create(
            by=request.user,
            scenario=data.get("scenario"),
            version=data.get("version"),
            seats=[dict(seat) for seat in data["seats"]],
            team=data.get("team"),
            team_role=data.get("team_role"),
            bots=data["bots"],
            speed=data["speed"],
            title=data["title"],
        )
        return Response(drill_data(drill), status=status.HTTP_201_CREATED)


class DrillDetailApi(ApiView):
    @extend_schema(responses=out.DrillOutput)
    def get(self, request, drill_id: int):
        return Response(drill_data(_drill(request, drill_id)))


def _control(service):
    class ControlApi(ApiView):
        @extend_schema(request=None, responses={200: out.DrillOutput, **errors(409, 429)})
        def post(self, request, drill_id: int):
            drill = service(by=request.user, drill=_acting(request, drill_id))
            return Response(drill_data(drill))

    ControlApi.__name__ = f"{service.__name__.title().replace('_', '')}Api"
    return ControlApi


DrillStartApi = _control(services.drill_start)
DrillPauseApi = _control(services.drill_pause)
DrillResumeApi = _control(services.drill_resume)
DrillFinishApi = _control(services.drill_finish)


class DrillSpeedApi(ApiView):
    @extend_schema(request=s.SpeedInput, responses={200: out.DrillOutput, **errors(409, 429)})
    def post(self, request, drill_id: int):
        drill = _acting(request, drill_id)
        data = check_input(s.SpeedInput, request.data)
        return Response(drill_data(services.drill_set_speed(by=request.user, drill=drill, speed=data["speed"])))


def inject_from_input(data: dict) -> dict:
    within_s = data.pop("respond_within_s", None)
    return {**data, "respond_within_ms": within_s * 1000 if within_s else None}


class DrillInjectApi(ApiView):
    @extend_schema(request=s.InjectInput, responses={201: out.InjectCreatedOutput, **errors(409, 429)})
    def post(self, request, drill_id: int):
        drill = _acting(request, drill_id)
        require_instructor(request.user)
        data = check_input(s.InjectInput, request.data)
        inject = services.inject_manual(by=request.user, drill=drill, **inject_from_input(dict(data)))
        return Response({"id": inject.pk, "key": inject.key, "event_seq": inject.event_seq}, status=201)


class DrillEventsApi(ApiView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after", {"type": "integer", "minimum": 0}, description="events with a greater seq", default=0
            )
        ],
        responses=out.EventsOutput,
    )
    def get(self, request, drill_id: int):
        drill = _drill(request, drill_id)
        after = query_number(request, "after", MSG_BAD_AFTER, default="0")
        return Response({"events": events_after(drill=drill, after=after, limit=MAX_EVENTS_PAGE)})


class DrillTicketApi(ApiView):
    @extend_schema(request=None, responses={200: out.TicketOutput, **errors(429)})
    def post(self, request, drill_id: int):
        drill = _drill(request, drill_id)
        ticket = ticket_issue(user=request.user, drill=drill, credential=request_credential(request))
        return Response({"ticket": ticket})


class ResponseListApi(ApiView):
    @extend_schema(responses=out.ResponseOutput(many=True))
    def get(self, request, drill_id: int):
        drill = _drill(request, drill_id)
        return Response([s.response_data(r) for r in responses_of(drill=drill)])

    @extend_schema(request=s.DraftInput, responses={201: out.ResponseOutput, **errors(409, 429)})
    def post(self, request, drill_id: int):
        drill = _acting(request, drill_id)
        data = check_input(s.DraftInput, request.data)
        response = services.response_draft(by=request.user, drill=drill, **data)
        return Response(s.response_data(response), status=status.HTTP_201_CREATED)


class TemplateSuggestionsApi(ApiView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "inject",
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                required=True,
                description="a post published in this drill (another drill's, a future or an unknown one: 404)",
            )
        ],
        responses=out.TemplateSuggestionOutput(many=True),
        description=f"The organization's response templates for a reply to the post, best first (at most "
        f"{MAX_SUGGESTIONS}): the drill's language and the post's platform first, then by similarity of text.",
    )
    def get(self, request, drill_id: int):
        drill = _drill(request, drill_id)
        inject_id = query_number(request, "inject", MSG_BAD_INJECT, low=1)
        if inject_id is None:
            raise Invalid(MSG_BAD_INJECT, errors=[{"path": "inject", "message": MSG_BAD_INJECT}])
        return Response(suggestions_for(drill=drill, inject=published_inject(drill=drill, inject_id=inject_id)))


class ResponseDetailApi(ApiView):
    @extend_schema(responses=out.ResponseOutput)
    def get(self, request, drill_id: int, response_id: int):
        drill = _drill(request, drill_id)
        return Response(s.response_data(response_in_drill(drill=drill, response_id=response_id)))

    @extend_schema(request=s.EditInput, responses={200: out.ResponseOutput, **errors(409, 429)})
    def patch(self, request, drill_id: int, response_id: int):
        drill = _acting(request, drill_id)
        data = check_input(s.EditInput, request.data)
        response = services.response_edit(by=request.user, drill=drill, response_id=response_id, text=data["text"])
        return Response(s.response_data(response))


class ResponseSubmitApi(ApiView):
    # 400: the text still holds a [[slot]] of its template (path `text`).
    @extend_schema(request=None, responses={200: out.ResponseOutput, **errors(400, 409, 429)})
    def post(self, request, drill_id: int, response_id: int):
        drill = _acting(request, drill_id)
        response = services.response_submit(by=request.user, drill=drill, response_id=response_id)
        return Response(s.response_data(response))


class ResponseApproveApi(ApiView):
    @extend_schema(request=s.ApproveInput, responses={200: out.ResponseOutput, **errors(409, 429)})
    def post(self, request, drill_id: int, response_id: int):
        drill = _acting(request, drill_id)
        data = check_input(s.ApproveInput, request.data)
        response = services.step_approve(by=request.user, drill=drill, response_id=response_id, **data)
        return Response(s.response_data(response))


class ResponseRejectApi(ApiView):
    @extend_schema(request=s.RejectInput, responses={200: out.ResponseOutput, **errors(409, 429)})
    def post(self, request, drill_id: int, response_id: int):
        drill = _acting(request, drill_id)
        data = check_input(s.RejectInput, request.data)
        response = services.step_reject(by=request.user, drill=drill, response_id=response_id, **data)
        return Response(s.response_data(response))


class NoteListApi(ApiView):
    @extend_schema(responses=out.NoteOutput(many=True))
    def get(self, request, drill_id: int):
        drill = _drill(request, drill_id)
        return Response([s.note_data(n) for n in drill.notes.all()])

    @extend_schema(request=s.NoteInput, responses={201: out.NoteOutput, **errors(409, 429)})
    def post(self, request, drill_id: int):
        drill = _acting(request, drill_id)
        data = check_input(s.NoteInput, request.data)
        return Response(s.note_data(services.note_add(by=request.user, drill=drill, **data)), status=201)


class MessageListApi(ApiView):
    @extend_schema(responses=out.MessageOutput(many=True))
    def get(self, request, drill_id: int):
        drill = _drill(request, drill_id)
        return Response([s.message_data(m) for m in messages_of(drill=drill)])


class InboxApi(ApiView):
    @extend_schema(responses=out.InboxOutput)
    def get(self, request, drill_id: int):
        drill = _drill(request, drill_id)
        return Response({"read": inbox_read_ids(drill=drill, user=request.user)})


class InboxReadApi(ApiView):
    @extend_schema(request=s.InboxReadInput, responses={200: out.InboxOutput, **errors(429)})
    def post(self, request, drill_id: int):
        drill = _acting(request, drill_id)
        data = check_input(s.InboxReadInput, request.data)
        read = services.inbox_mark_read(by=request.user, drill=drill, inject=data["inject"])
        return Response({"read": read})


class FlagListApi(ApiView):
    @extend_schema(responses={200: out.FlagOutput(many=True), **errors(403)})
    def get(self, request, drill_id: int):
        drill = _drill(request, drill_id)
        return Response([s.flag_data(f) for f in services.flags_of(drill=drill, user=request.user)])

    @extend_schema(request=s.FlagInput, responses={201: out.FlagOutput, **errors(403, 409, 429)})
    def post(self, request, drill_id: int):
        drill = _acting(request, drill_id)
        data = check_input(s.FlagInput, request.data)
        return Response(s.flag_data(services.inject_flag(by=request.user, drill=drill, **data)), status=201)
