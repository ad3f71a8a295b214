"""The pages of a finished drill (scorecard, report, replay): who may open them, and what they show before the end."""

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.errors import DomainError
from drills.models import DrillStatus
from drills.selectors import drill_for_user
from frontend.views import not_found


def finished_drill_page(not_finished_template: str):
    """The view is called with the drill once it is finished; before that `not_finished_template` says so.
    Instructors of its organization and its seated people only: anyone else gets the 404 page, as for a drill that
    does not exist."""

    def decorate(view):
        @login_required
        @require_GET
        @functools.wraps(view)
        def page(request, drill_id: int):
            try:
                drill = drill_for_user(user=request.user, drill_id=drill_id)
            except DomainError:  # other organizations, unseated people, people without an organization
                return not_found(request)
            if drill.status != DrillStatus.FINISHED:
                return render(request, not_finished_template, {"drill": drill})
            return view(request, drill)

        return page

    return decorate
