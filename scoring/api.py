"""Scorecards over REST (PROTOCOL.md sections 2 and 4): JSON, CSV, and the per-scenario comparison."""

from __future__ import annotations

import json

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from config.api_base import ApiView
from config.schema import errors
from drills.selectors import drill_for_user
from scoring import selectors, services
from scoring.csv_export import scorecard_csv
from scoring.serializers import ComparisonRowOutput, ScorecardOutput

CSV_TYPE = "text/csv; charset=utf-8"


class CsvRenderer(BaseRenderer):
    """Lets a client ask for `Accept: text/csv` (instead of a 406); errors still carry their detail."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode() if isinstance(data, str) else json.dumps(data).encode()


class ScorecardApi(ApiView):
    @extend_schema(responses={200: ScorecardOutput, **errors(409)})
    def get(self, request, drill_id: int):
        drill = drill_for_user(user=request.user, drill_id=drill_id)
        return Response(services.scorecard_for(drill=drill))


class ScorecardCsvApi(ApiView):
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR, **errors(409)})
    def get(self, request, drill_id: int):
        drill = drill_for_user(user=request.user, drill_id=drill_id)
        scorecard = services.scorecard_for(drill=drill)
        response = HttpResponse(scorecard_csv(scorecard, scorecard["notes"]), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="drill-{drill.pk}-scorecard.csv"'
        return response


class ScenarioScorecardsApi(ApiView):
    @extend_schema(responses=ComparisonRowOutput(many=True))
    def get(self, request, scenario_id: int):
        scenario = selectors.scenario_in_organization(user=request.user, scenario_id=scenario_id)
        drills = selectors.finished_drills_of(user=request.user, scenario=scenario)
        return Response(services.comparison_rows(drills=drills))
