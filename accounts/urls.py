from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/login/", api.LoginApi.as_view(), name="api-login"),
    path("auth/logout/", api.LogoutApi.as_view(), name="api-logout"),
    path("auth/me/", api.MeApi.as_view(), name="api-me"),
    path("members/", api.MemberListApi.as_view(), name="api-members"),
    path("members/<int:member_id>/", api.MemberDetailApi.as_view(), name="api-member"),
    path("teams/", api.TeamListApi.as_view(), name="api-teams"),
    path("teams/<int:team_id>/", api.TeamDetailApi.as_view(), name="api-team"),
]
