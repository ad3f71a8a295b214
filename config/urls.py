from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.errors import json_not_found
from config.health import HealthApi

api_patterns = [
    path("", include("accounts.urls")),
    path("", include("scenarios.urls")),
    path("", include("drills.urls")),
    path("", include("evaluation.urls")),
    path("", include("scoring.urls")),
    path("", include("kit.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else under /api/ is a JSON 404, never an HTML page.
    re_path(r"^.*$", json_not_found),
]

urlpatterns = [
    path("healthz", HealthApi.as_view(), name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("frontend.urls")),
]

handler404 = "frontend.views.not_found"
handler500 = "config.errors.json_server_error"
