"""Observations over REST (PROTOCOL.md section 2). The websocket's `observe` calls the same service."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from config.api_base import ApiView, check_input
from config.schema import errors
from drills.api import _acting, _drill
from evaluation import services
from evaluation.frames import observation_data
from evaluation.serializers import ObservationEditInput, ObservationInput, ObservationOutput


class ObservationListApi(ApiView):
    @extend_schema(responses=ObservationOutput(many=True))
    def get(self, request, drill_id: int):
        drill = _drill(request, drill_id)
        return Response([observation_data(o) for o in services.observations_for(user=request.user, drill=drill)])

    @extend_schema(request=ObservationInput, responses={201: ObservationOutput, **errors(429)})
    def post(self, request, drill_id: int):
        drill = _acting(request, drill_id)
        data = check_input(ObservationInput, request.data)
        observation = services.observation_create(by=request.user, drill=drill, **data)
        return Response(observation_data(observation), status=status.HTTP_201_CREATED)


class ObservationDetailApi(ApiView):
    @extend_schema(request=ObservationEditInput, responses={200: ObservationOutput, **errors(429)})
    def patch(self, request, drill_id: int, observation_id: int):
        drill = _acting(request, drill_id)
        data = check_input(ObservationEditInput, request.data)
        observation = services.observation_edit(by=request.user, drill=drill, observation_id=observation_id, **data)
        return Response(observation_data(observation))

    @extend_schema(request=None, responses={204: None, **errors(429)})
    def delete(self, request, drill_id: int, observation_id: int):
        drill = _acting(request, drill_id)
        services.observation_delete(by=request.user, drill=drill, observation_id=observation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
