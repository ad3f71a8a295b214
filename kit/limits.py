"""The bounds of the crisis kit, each defined once: the validator, the services, the pages and the import read them."""

from django.utils.translation import gettext_noop

from config.limits import MAX_BODY_BYTES, MAX_TITLE_CHARS
from scenarios.validation.limits import MAX_TEXT_CHARS, MSG_SUBJECT_TOO_LONG, MSG_TEXT_TOO_LONG

# A template becomes a post: the same bound as a scenario's post texts (and its message, "at most 5,000 characters").
MAX_TEMPLATE_CHARS = MAX_TEXT_CHARS
MSG_TEMPLATE_TOO_LONG = MSG_TEXT_TOO_LONG
# A name is a title (the words of a 200-character subject line's message: one translation).
MAX_TEMPLATE_NAME_CHARS = MAX_TITLE_CHARS
MSG_NAME_TOO_LONG = MSG_SUBJECT_TOO_LONG
# Tags sort a kit ("outage", "privacy"); they are words, not sentences.
MAX_TAGS = 20
MAX_TAG_CHARS = 40
MSG_TOO_MANY_TAGS = gettext_noop("at most 20 tags")
MSG_TAG_TOO_LONG = gettext_noop("must be at most 40 characters")
# A kit is prepared ahead, not generated: 500 templates is far more than any team reads in a crisis.
MAX_TEMPLATES = 500
MSG_TOO_MANY_TEMPLATES = gettext_noop("An organization keeps at most 500 templates.")
# A kit file (import): the request body's own bound.
MAX_KIT_BYTES = MAX_BODY_BYTES
MSG_KIT_TOO_LARGE = gettext_noop("The kit file is larger than 2 MiB.")
