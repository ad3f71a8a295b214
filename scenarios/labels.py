"""What people read for a scenario's keys: chain roles (`approval_chain[].role`) and persona kinds.

Scenario authors choose these keys, so the list is open: the usual ones have a label in each language, any
other is shown as its key, nicely capitalized. The keys themselves never change in the API, the websocket or
the log (PROTOCOL.md); only pages, the room's modules (through `display_labels`, rendered into every page)
and the bots' names say the labels.
"""

from __future__ import annotations

import re

from django.utils.translation import pgettext_lazy

ROLE_LABELS = {
    "drafter": pgettext_lazy("chain role", "Drafter"),
    "reviewer": pgettext_lazy("chain role", "Reviewer"),
    "legal": pgettext_lazy("chain role", "Legal"),
    "spokesperson": pgettext_lazy("chain role", "Spokesperson"),
    "observer": pgettext_lazy("chain role", "Observer"),
    "direction": pgettext_lazy("chain role", "Management"),  # the French scenarios' word for it
    "management": pgettext_lazy("chain role", "Management"),
    "approver": pgettext_lazy("chain role", "Approver"),
    "communications": pgettext_lazy("chain role", "Communications"),
    "pr": pgettext_lazy("chain role", "PR"),
    "social_media": pgettext_lazy("chain role", "Social media"),
    "community_manager": pgettext_lazy("chain role", "Community manager"),
    "customer_service": pgettext_lazy("chain role", "Customer service"),
    "compliance": pgettext_lazy("chain role", "Compliance"),
    "hr": pgettext_lazy("chain role", "HR"),
    "executive": pgettext_lazy("chain role", "Executive"),
    "ceo": pgettext_lazy("chain role", "CEO"),
}

PERSONA_KIND_LABELS = {
    "customer": pgettext_lazy("persona kind", "Customer"),
    "journalist": pgettext_lazy("persona kind", "Journalist"),
    "influencer": pgettext_lazy("persona kind", "Influencer"),
    "regulator": pgettext_lazy("persona kind", "Regulator"),
    "employee": pgettext_lazy("persona kind", "Employee"),
    "activist": pgettext_lazy("persona kind", "Activist"),
    "politician": pgettext_lazy("persona kind", "Politician"),
    "official": pgettext_lazy("persona kind", "Official"),
    "investor": pgettext_lazy("persona kind", "Investor"),
    "partner": pgettext_lazy("persona kind", "Partner"),
    "competitor": pgettext_lazy("persona kind", "Competitor"),
    "expert": pgettext_lazy("persona kind", "Expert"),
}

SEPARATORS = re.compile(r"[_\-\s]+")


def shown_key(key: str) -> str:
    """`crisis_lead` -> "Crisis lead": the key's own words, first letter capital (the rest as written)."""
    words = SEPARATORS.sub(" ", str(key or "")).strip()
    return words[:1].upper() + words[1:]


def role_label(role: str) -> str:
    """A chain role in the active language."""
    return str(ROLE_LABELS[role]) if role in ROLE_LABELS else shown_key(role)


def persona_kind_label(kind: str) -> str:
    """A persona kind in the active language."""
    return str(PERSONA_KIND_LABELS[kind]) if kind in PERSONA_KIND_LABELS else shown_key(kind)


def display_labels() -> dict[str, dict[str, str]]:
    """Every known label in the active language, for the pages' ES modules (frontend/static/.../labels.js)."""
    return {
        "roles": {key: str(label) for key, label in ROLE_LABELS.items()},
        "persona_kinds": {key: str(label) for key, label in PERSONA_KIND_LABELS.items()},
    }
