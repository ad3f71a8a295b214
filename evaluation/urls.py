from django.urls import path

from evaluation import api

D = "drills/<int:drill_id>/"

urlpatterns = [
    path(D + "observations/", api.ObservationListApi.as_view(), name="api-observations"),
    path(D + "observations/<int:observation_id>/", api.ObservationDetailApi.as_view(), name="api-observation"),
]
