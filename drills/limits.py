"""The bounds of what people write and set in a drill, each defined once with its one message: the REST and
websocket serializers, the services and the clock all use these. Messages write their numbers out, so that
each language writes them its own way (and DRF, which formats messages itself, can carry them)."""

from django.utils.translation import gettext_noop

from scenarios.durations import MAX_DURATION_MS

MIN_SPEED = 0.25
MAX_SPEED = 100.0
MSG_SPEED_RANGE = gettext_noop("Speed must be between 0.25 and 100.")

MAX_REPLY_CHARS = 10_000
MSG_REPLY_TOO_LONG = gettext_noop("Replies are at most 10,000 characters.")
MAX_REPLY_TO = 50
MAX_COMMENT_CHARS = 2000
MSG_COMMENT_TOO_LONG = gettext_noop("Comments are at most 2,000 characters.")
MAX_NOTE_CHARS = 5000
MSG_NOTE_TOO_LONG = gettext_noop("Notes are at most 5,000 characters.")
# A manual inject's deadline: no longer than a scenario may last.
MAX_RESPOND_WITHIN_S = MAX_DURATION_MS // 1000
# The team channel (PROTOCOL.md section 3, `say`).
MAX_MESSAGE_CHARS = 2000
MSG_MESSAGE_TOO_LONG = gettext_noop("Messages are at most 2,000 characters.")
# A flag's optional note (PROTOCOL.md section 1.5).
MAX_FLAG_NOTE_CHARS = 500
MSG_FLAG_NOTE_TOO_LONG = gettext_noop("Flag notes are at most 500 characters.")
# A subject line, of a manual e-mail inject or a reply to one: the scenario format's bound (PROTOCOL.md section 1.3),
# said as a sentence over REST and the websocket.
MSG_SUBJECT_TOO_LONG = gettext_noop("Subjects are at most 200 characters.")
