"""Reads of the crisis kit: every member of an organization reads its templates; other organizations get 404."""

from django.db.models import Q

from accounts.selectors import membership_of
from config.errors import NotFound
from kit.models import ResponseTemplate


def templates_for_user(
    *, user, kind: str = "", language: str = "", platform: str = "", tag: str = "", query: str = ""
) -> list[ResponseTemplate]:
    """The caller's organization's templates by name; `platform` keeps those for every platform too."""
    templates = ResponseTemplate.objects.filter(organization=membership_of(user).organization)
    if kind:
        templates = templates.filter(kind=kind)
    if language:
        templates = templates.filter(language=language)
    if query:
        templates = templates.filter(Q(name__icontains=query) | Q(text__icontains=query))
    found = list(templates.order_by("name", "id"))
    # Lists in a JSON column: SQLite has no `contains` lookup on them, and an organization keeps at most 500.
    if platform:
        found = [t for t in found if not t.platforms or platform in t.platforms]
    if tag:
        found = [t for t in found if tag in t.tags]
    return found


def template_for_user(*, user, template_id) -> ResponseTemplate:
    try:
        return ResponseTemplate.objects.get(organization=membership_of(user).organization, pk=template_id)
    except (ResponseTemplate.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
