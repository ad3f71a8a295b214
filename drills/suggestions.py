"""The crisis kit in the room (PROTOCOL section 2): the organization's templates ranked for a published post, each
filled for it, and the one definition of what a template's placeholders say for that post."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from config.errors import Invalid, NotFound
from drills.models import Drill, PublishedInject
from drills.services.common import scenario_of
from kit.models import ResponseTemplate
from kit.ranking import Candidate, Post, rank
from kit.text import fill

# The composer lists this many: past it the ranking has stopped being about the post.
MAX_SUGGESTIONS = 20
# Where people are named by @handle: the room shows a handle there with its "@" (drill-room-dom.js shownHandle),
# and a reply that names the persona must say it as the room shows it.
MENTION_PLATFORMS = frozenset({"x", "instagram", "tiktok"})
MSG_UNKNOWN_TEMPLATE = gettext_noop("No response template with this id in your organization.")


def fill_values(drill: Drill, inject: PublishedInject) -> dict[str, str]:
    """The placeholders of section 1 for a reply to `inject`: the brand from the drill's scenario, the persona
    as the post was published."""
    scenario = scenario_of(drill)
    return {
        "brand.name": scenario.brand_name,
        "brand.handle": scenario.brand_handle,
        "persona.name": inject.persona.get("name", ""),
        "persona.handle": shown_handle(inject.persona.get("handle", ""), inject.platform),
    }


def shown_handle(handle: str, platform: str) -> str:
    if handle and platform in MENTION_PLATFORMS and not handle.startswith("@"):
        return f"@{handle}"
    return handle


def published_inject(*, drill: Drill, inject_id: int) -> PublishedInject:
    """A post published in this drill; 404 for another drill's, a future one or an unknown id."""
    inject = PublishedInject.objects.filter(drill=drill, pk=inject_id).first()
    if inject is None:
        raise NotFound()
    return inject


def template_of_organization(*, drill: Drill, template_id) -> ResponseTemplate:
    """A template of the drill's organization, else Invalid at path `template` (another organization's is as
    unknown as a missing one)."""
    template = ResponseTemplate.objects.filter(organization_id=drill.organization_id, pk=template_id).first()
    if template is None:
        raise Invalid(MSG_UNKNOWN_TEMPLATE, errors=[{"path": "template", "message": MSG_UNKNOWN_TEMPLATE}])
    return template


def _candidate(template: ResponseTemplate) -> Candidate:
    return Candidate(
        id=template.pk,
        name=template.name,
        language=template.language,
        platforms=tuple(template.platforms),
        tags=tuple(template.tags),
        text=template.text,
    )


def suggestions_for(*, drill: Drill, inject: PublishedInject) -> list[dict]:
    """The organization's templates best first for a reply to `inject`, each `{id, name, kind, text, filled}`."""
    templates = {t.pk: t for t in ResponseTemplate.objects.filter(organization_id=drill.organization_id)}
    post = Post(language=scenario_of(drill).language, platform=inject.platform, text=inject.text)
    ranked = rank(post, [_candidate(t) for t in templates.values()])[:MAX_SUGGESTIONS]
    values = fill_values(drill, inject)
    return [
        {
            "id": candidate.id,
            "name": candidate.name,
            "kind": templates[candidate.id].kind,
            "text": candidate.text,
            "filled": fill(candidate.text, values),
        }
        for candidate in ranked
    ]
