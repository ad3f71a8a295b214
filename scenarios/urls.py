from django.urls import path

from scenarios import api, formats_api

urlpatterns = [
    path("scenarios/", api.ScenarioListApi.as_view(), name="api-scenarios"),
    path("scenarios/import/", api.ScenarioImportApi.as_view(), name="api-scenario-import"),
    path("scenarios/validate/", api.ScenarioValidateApi.as_view(), name="api-scenario-validate"),
    path("scenarios/schema.json", formats_api.ScenarioSchemaApi.as_view(), name="api-scenario-schema"),
    path("scenarios/preview/", api.ScenarioPreviewDraftApi.as_view(), name="api-scenario-preview-draft"),
    path("scenarios/<int:scenario_id>/", api.ScenarioDetailApi.as_view(), name="api-scenario"),
    path("scenarios/<int:scenario_id>/export/", api.ScenarioExportApi.as_view(), name="api-scenario-export"),
    path("scenarios/<int:scenario_id>/publish/", api.ScenarioPublishApi.as_view(), name="api-scenario-publish"),
    path("scenarios/<int:scenario_id>/preview/", api.ScenarioPreviewApi.as_view(), name="api-scenario-preview"),
    path(
        "scenarios/<int:scenario_id>/versions/",
        api.ScenarioVersionsApi.as_view(),
        name="api-scenario-versions",
    ),
]
