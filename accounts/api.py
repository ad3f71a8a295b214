"""Sign-in, sign-out, the current user, and the organization's members."""

from django.contrib.auth import login, logout
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import selectors, services, tokens
from accounts.serializers import (
    LoginInput,
    LoginOutput,
    MemberInviteInput,
    MemberInviteOutput,
    MemberOutput,
    MemberUpdateInput,
    MeOutput,
    TeamInput,
    TeamOutput,
    team_data,
)
from accounts.throttle import client_address
from config.api_base import ApiView, check_input
from config.schema import errors


class LoginApi(ApiView):
    # No authentication here: a stale session must not turn a sign-in into a CSRF failure.
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=LoginInput, responses={200: LoginOutput, **errors(429)})
    def post(self, request):
        data = check_input(LoginInput, request.data)
        user = services.user_authenticate(
            username=data["username"], password=data["password"], ip=client_address(request.META), request=request
        )
        login(request._request, user)
        return Response({"token": tokens.token_for(user=user), "user": MeOutput(user).data})


class LogoutApi(ApiView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        tokens.token_revoke(user=request.user)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(ApiView):
    @extend_schema(responses=MeOutput)
    def get(self, request):
        return Response(MeOutput(request.user).data)


class MemberListApi(ApiView):
    @extend_schema(responses=MemberOutput(many=True))
    def get(self, request):
        return Response(MemberOutput(selectors.members_for_user(user=request.user), many=True).data)

    @extend_schema(request=MemberInviteInput, responses={201: MemberInviteOutput})
    def post(self, request):
        data = check_input(MemberInviteInput, request.data)
        membership, password = services.member_invite(by=request.user, **data)
        body = {**MemberOutput(membership).data, "password": password}
        return Response(body, status=status.HTTP_201_CREATED)


class MemberDetailApi(ApiView):
    @extend_schema(responses=MemberOutput)
    def get(self, request, member_id: int):
        return Response(MemberOutput(selectors.member_for_user(user=request.user, member_id=member_id)).data)

    @extend_schema(request=MemberUpdateInput, responses={200: MemberOutput, **errors(409)})
    def patch(self, request, member_id: int):
        data = check_input(MemberUpdateInput, request.data)
        membership = selectors.member_for_user(user=request.user, member_id=member_id)
        membership = services.member_update(by=request.user, membership=membership, **data)
        return Response(MemberOutput(membership).data)


class TeamListApi(ApiView):
    @extend_schema(responses=TeamOutput(many=True))
    def get(self, request):
        return Response([team_data(t) for t in selectors.teams_for_user(user=request.user)])

    @extend_schema(request=TeamInput, responses={201: TeamOutput})
    def post(self, request):
        data = check_input(TeamInput, request.data)
        team = services.team_save(by=request.user, name=data["name"], member_ids=data["members"])
        return Response(team_data(team), status=status.HTTP_201_CREATED)


class TeamDetailApi(ApiView):
    @extend_schema(request=TeamInput, responses=TeamOutput)
    def put(self, request, team_id: int):
        team = selectors.team_for_user(user=request.user, team_id=team_id)
        data = check_input(TeamInput, request.data)
        team = services.team_save(by=request.user, name=data["name"], member_ids=data["members"], team=team)
        return Response(team_data(team))
