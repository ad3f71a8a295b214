"""Template context every page needs: the signed-in member, the text direction, the labels of scenario keys."""

from django.utils.translation import get_language_bidi

from scenarios.labels import display_labels


def membership(request) -> dict:
    user = getattr(request, "user", None)
    member = getattr(user, "membership", None) if user and user.is_authenticated else None
    # display_labels is called only by the templates that render it (base.html, for the ES modules).
    return {"member": member, "text_dir": "rtl" if get_language_bidi() else "ltr", "display_labels": display_labels}
