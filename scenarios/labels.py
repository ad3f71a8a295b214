"""What people read for a scenario's keys: chain roles (`approval_chain[].role`) and persona kinds.

Scenario authors choose these keys, so the list is open: the usual ones have a label in each language, any
other is shown as its own words (`comms_lead` -> "comms lead"). Role labels are nouns as they read inside a
sentence ("Pending at step 1 (reviewer)"); a chip capitalizes its first letter (CSS), and so does a bot's name
(`role_title`). Persona kinds only ever show as badges, capitalized. The keys themselves never change in the
API, the websocket or the log (PROTOCOL.md); only pages, the room's modules (through `display_labels`, rendered
into every page) and the bots' names say the labels.
"""

from __future__ import annotations

import re

from django.utils.functional import lazy
from django.utils.translation import pgettext_lazy

ROLE_LABELS = {
    "drafter": pgettext_lazy("chain role", "drafter"),
    "reviewer": pgettext_lazy("chain role", "reviewer"),
    "legal": pgettext_lazy("chain role", "legal"),
    "spokesperson": pgettext_lazy("chain role", "spokesperson"),
    "observer": pgettext_lazy("chain role", "observer"),
    "direction": pgettext_lazy("chain role", "management"),  # the French scenarios' word for it
    "management": pgettext_lazy("chain role", "management"),
    "approver": pgettext_lazy("chain role", "approver"),
    "communications": pgettext_lazy("chain role", "communications"),
    "pr": pgettext_lazy("chain role", "PR"),
    "social_media": pgettext_lazy("chain role", "social media"),
    "community_manager": pgettext_lazy("chain role", "community manager"),
    "customer_service": pgettext_lazy("chain role", "customer service"),
    "compliance": pgettext_lazy("chain role", "compliance"),
    "hr": pgettext_lazy("chain role", "HR"),
    "executive": pgettext_lazy("chain role", "executive"),
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


def key_words(key: str) -> str:
    """`crisis_lead` -> "crisis lead": the key's own words, as written."""
    return SEPARATORS.sub(" ", str(key or "")).strip()


def first_capital(text: str) -> str:
    """ "comms lead" -> "Comms lead" (the rest as written: "PR" stays "PR")."""
    return text[:1].upper() + text[1:]


def role_label(role: str) -> str:
    """A chain role in the active language, as it reads inside a sentence."""
    return str(ROLE_LABELS[role]) if role in ROLE_LABELS else key_words(role)


# A chain role inside a `said` message (config/texts.py): its label in whichever language the message is said.
role_in_message = lazy(role_label, str)


def role_title(role: str) -> str:
    """A chain role in the active language, as a name starts: "Reviewer" of "Reviewer bot"."""
    return first_capital(role_label(role))


def persona_kind_label(kind: str) -> str:
    """A persona kind in the active language, as its badge shows it."""
    return str(PERSONA_KIND_LABELS[kind]) if kind in PERSONA_KIND_LABELS else first_capital(key_words(kind))


def display_labels() -> dict[str, dict[str, str]]:
    """Every known label in the active language, for the pages' ES modules (frontend/static/.../labels.js)."""
    return {
        "roles": {key: str(label) for key, label in ROLE_LABELS.items()},
        "persona_kinds": {key: str(label) for key, label in PERSONA_KIND_LABELS.items()},
    }
