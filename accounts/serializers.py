from rest_framework import serializers

from accounts.models import Membership, Role
from config.api_base import IdField, LineField
from config.limits import MAX_NAME_CHARS, MSG_NAME_TOO_LONG


class LoginInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=512, trim_whitespace=False)


class OrganizationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class MeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField(source="shown_name")
    organization = OrganizationOutput(source="membership.organization", allow_null=True)
    role = serializers.CharField(source="membership.role", allow_null=True)


class LoginOutput(serializers.Serializer):
    token = serializers.CharField()
    user = MeOutput()


class MemberOutput(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.shown_name")
    role = serializers.CharField()


class MemberInviteInput(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)
    display_name = LineField(max_length=150, required=False, default="")
    email = serializers.EmailField(required=False, default="")
    password = serializers.CharField(min_length=8, max_length=128, required=False, default="")


class MemberInviteOutput(MemberOutput):
    password = serializers.CharField(help_text="The initial password, shown once.")


class MemberUpdateInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    display_name = LineField(max_length=150, required=False)


def member_data(membership: Membership) -> dict:
    return MemberOutput(membership).data


class TeamInput(serializers.Serializer):
    name = LineField(max_length=MAX_NAME_CHARS, error_messages={"max_length": MSG_NAME_TOO_LONG})
    members = serializers.ListField(child=IdField(), max_length=500, default=list)


class TeamMemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()


class TeamOutput(serializers.Serializer):
    """team_data: a team and its members by username."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    members = TeamMemberOutput(many=True)


def team_data(team) -> dict:
    members = sorted(team.members.all(), key=lambda u: u.username)
    return {
        "id": team.pk,
        "name": team.name,
        "members": [{"id": u.pk, "username": u.username, "display_name": u.shown_name} for u in members],
    }
