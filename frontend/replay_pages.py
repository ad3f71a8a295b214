"""The replay page of a finished drill: the room at any simulated moment, rebuilt in the browser from the
events API (frontend/static/frontend/js/drill-replay.js). No state of its own on the server."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from config.errors import DomainError
from drills.models import DrillStatus
from drills.selectors import drill_for_user
from frontend.drill_pages import PLATFORM_LABELS
from frontend.views import not_found
from scenarios.textgen import text_direction

RATES = (1, 2, 5, 10, 20, 50)  # play speeds offered: simulated seconds per wall second


@login_required
@require_GET
def drill_replay(request, drill_id: int):
    try:
        drill = drill_for_user(user=request.user, drill_id=drill_id)
    except DomainError:  # other organizations, unseated participants, people without an organization
        return not_found(request)
    if drill.status != DrillStatus.FINISHED:
        return render(request, "frontend/drills/replay_not_finished.html", {"drill": drill})
    context = {
        "drill": drill,
        "platforms": PLATFORM_LABELS,
        "rates": RATES,
        "post_direction": text_direction(drill.version.language),
    }
    return render(request, "frontend/drills/replay.html", context)


urlpatterns = [path("drills/<int:drill_id>/replay/", drill_replay, name="drill-replay")]
