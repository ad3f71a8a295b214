"""The replay page of a finished drill: the room at any simulated moment, rebuilt in the browser from the
events API (frontend/static/frontend/js/drill-replay.js). No state of its own on the server."""

from django.shortcuts import render
from django.urls import path

from frontend.drill_pages import PLATFORM_LABELS
from frontend.finished import finished_drill_page
from scenarios.textgen import text_direction

RATES = (1, 2, 5, 10, 20, 50)  # play speeds offered: simulated seconds per wall second


@finished_drill_page("frontend/drills/replay_not_finished.html")
def drill_replay(request, drill):
    context = {
        "drill": drill,
        "platforms": PLATFORM_LABELS,
        "rates": RATES,
        "post_direction": text_direction(drill.version.language),
    }
    return render(request, "frontend/drills/replay.html", context)


urlpatterns = [path("drills/<int:drill_id>/replay/", drill_replay, name="drill-replay")]
