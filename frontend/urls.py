from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from frontend import drill_pages, scenario_pages, scorecard_pages, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    # Browsers ask for /favicon.ico on pages without an icon link (the API docs): the same icon.
    path("favicon.ico", RedirectView.as_view(url=static("frontend/favicon.svg"), permanent=True)),
    path("", include(scenario_pages.urlpatterns)),
    path("", include(drill_pages.urlpatterns)),
    path("", include(scorecard_pages.urlpatterns)),
]
