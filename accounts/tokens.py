"""API tokens that expire: TOKEN_LIFETIME_S after they were issued, a token answers 401 like a revoked one."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from config.texts import translated

MSG_TOKEN_EXPIRED = gettext_noop("Token expired. Sign in again.")


def issued_after(now=None):
    """Tokens issued at or before this moment have expired."""
    return (now or timezone.now()) - timedelta(seconds=settings.TOKEN_LIFETIME_S)


def token_for(*, user) -> str:
    """The user's token; an expired one is replaced by a new one."""
    token, created = Token.objects.get_or_create(user=user)
    if not created and token.created <= issued_after():
        token.delete()
        token = Token.objects.create(user=user)
    return token.key


def token_revoke(*, user) -> None:
    Token.objects.filter(user=user).delete()


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token.created <= issued_after():
            raise AuthenticationFailed(translated(MSG_TOKEN_EXPIRED))
        return user, token
