"""The bounds of an observation, each defined once with its message: the serializers and the services use these."""

from django.utils.translation import gettext_noop

MAX_OBSERVATION_CHARS = 2000
MSG_OBSERVATION_TOO_LONG = gettext_noop("Observations are at most 2,000 characters.")
MSG_UNKNOWN_TASK = gettext_noop("No task of this scenario's evaluation has this key.")
MSG_EVALUATORS_ONLY = gettext_noop("Only instructors and observers record observations.")
MSG_NOT_YOURS = gettext_noop("Only its author may change an observation.")
