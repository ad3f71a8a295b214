"""The after-action report page: instructors edit it (the page's script saves through the REST API), seated
people read it. The report itself comes from scoring.reports, drafted on the first read."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from drills.selectors import is_instructor
from frontend.finished import finished_drill_page
from scoring import report as rules
from scoring.reports import report_for


@finished_drill_page("frontend/scorecards/not_finished.html")
def report_page(request, drill):
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
