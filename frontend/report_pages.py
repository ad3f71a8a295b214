"""The after-action report page: instructors edit it (the page's script saves through the REST API), seated
people read it. The report itself comes from scoring.reports, drafted on the first read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.errors import DomainError
from drills.models import DrillStatus
from drills.selectors import drill_for_user, is_instructor
from frontend.views import not_found
from scoring import report as rules
from scoring.reports import report_for


@login_required
@require_GET
def report_page(request, drill_id: int):
    try:
        drill = drill_for_user(user=request.user, drill_id=drill_id)
    except DomainError:  # other organizations, unseated people, people without an organization
        return not_found(request)
    if drill.status != DrillStatus.FINISHED:
        return render(request, "frontend/scorecards/not_finished.html", {"drill": drill})
    report = report_for(drill=drill)
    statuses = [(key, _(rules.STATUS_WORDS[key])) for key in rules.STATUSES]
    words = dict(statuses)
    context = {
        "drill": drill,
        "report": report,
        "improvements": [
            {**row, "status_label": words.get(row["status"], row["status"])} for row in report.improvements
        ],
        "statuses": statuses,
        "instructor": is_instructor(user=request.user, drill=drill),
        "limits": {
            "summary": rules.MAX_SUMMARY_CHARS,
            "item": rules.MAX_ITEM_CHARS,
            "owner": rules.MAX_OWNER_CHARS,
            "strengths": rules.MAX_STRENGTHS,
            "improvements": rules.MAX_IMPROVEMENTS,
        },
    }
    return render(request, "frontend/scorecards/report.html", context)


urlpatterns = [path("drills/<int:drill_id>/report/", report_page, name="report")]
