"""makemessages that also extracts the ES modules' t() and tn() (frontend/static/frontend/js/i18n.js).

xgettext knows gettext() and ngettext() in JavaScript, not the short names the modules import; Django's
documented way to add keywords is a makemessages subclass with more xgettext options.
"""

from django.core.management.commands import makemessages

JS_KEYWORDS = ["--keyword=t", "--keyword=tn:1,2"]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        if options["domain"] == "djangojs":  # in Python and templates, t() is not a translation
            self.xgettext_options = [*self.xgettext_options, *JS_KEYWORDS]
        super().handle(*args, **options)
