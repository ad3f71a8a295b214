"""Template context every page needs: the signed-in member and the text direction."""

from django.utils.translation import get_language_bidi


def membership(request) -> dict:
    user = getattr(request, "user", None)
    member = getattr(user, "membership", None) if user and user.is_authenticated else None
    return {"member": member, "text_dir": "rtl" if get_language_bidi() else "ltr"}
