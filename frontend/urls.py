from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path

from frontend import drill_pages, replay_pages, report_pages, scenario_pages, scorecard_pages, template_pages, views


def favicon(request):
    # Looked up per request, and temporary: in production the icon's hashed name changes with each deploy.
    return HttpResponseRedirect(static("frontend/favicon.svg"))


urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    # Browsers ask for /favicon.ico on pages without an icon link (the API docs): the same icon.
    path("favicon.ico", favicon),
    path("", include(scenario_pages.urlpatterns)),
    path("", include(template_pages.urlpatterns)),
    path("", include(drill_pages.urlpatterns)),
    path("", include(scorecard_pages.urlpatterns)),
    path("", include(replay_pages.urlpatterns)),
    path("", include(report_pages.urlpatterns)),
]
