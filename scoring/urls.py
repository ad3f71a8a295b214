from django.urls import path

from scoring import api

urlpatterns = [
    path("drills/<int:drill_id>/scorecard/", api.ScorecardApi.as_view(), name="api-scorecard"),
    path("drills/<int:drill_id>/scorecard.csv", api.ScorecardCsvApi.as_view(), name="api-scorecard-csv"),
    path("scenarios/<int:scenario_id>/scorecards/", api.ScenarioScorecardsApi.as_view(), name="api-scorecards"),
]
