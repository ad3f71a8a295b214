from django.urls import include, path

from frontend import drill_pages, scenario_pages, scorecard_pages, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("", include(scenario_pages.urlpatterns)),
    path("", include(drill_pages.urlpatterns)),
    path("", include(scorecard_pages.urlpatterns)),
]
