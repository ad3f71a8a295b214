from django.urls import path

from kit import api

urlpatterns = [
    path("templates/", api.TemplateListApi.as_view(), name="api-templates"),
    path("templates/import/", api.TemplateImportApi.as_view(), name="api-template-import"),
    path("templates/export/", api.TemplateExportApi.as_view(), name="api-template-export"),
    path("templates/<int:template_id>/", api.TemplateDetailApi.as_view(), name="api-template"),
    path("templates/<int:template_id>/duplicate/", api.TemplateDuplicateApi.as_view(), name="api-template-duplicate"),
]
