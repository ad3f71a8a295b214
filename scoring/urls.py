from django.urls import path

from scoring import api, report_api

urlpatterns = [
    path("drills/<int:drill_id>/scorecard/", api.ScorecardApi.as_view(), name="api-scorecard"),
    path("drills/<int:drill_id>/scorecard.csv", api.ScorecardCsvApi.as_view(), name="api-scorecard-csv"),
    path("drills/<int:drill_id>/report/", report_api.ReportApi.as_view(), name="api-report"),
    path("drills/<int:drill_id>/report.pdf", report_api.ReportPdfApi.as_view(), name="api-report-pdf"),
    path("scenarios/<int:scenario_id>/scorecards/", api.ScenarioScorecardsApi.as_view(), name="api-scorecards"),
]
