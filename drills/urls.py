from django.urls import path

from drills import api

D = "drills/<int:drill_id>/"
R = D + "responses/<int:response_id>/"

urlpatterns = [
    path("drills/", api.DrillListApi.as_view(), name="api-drills"),
    path(D, api.DrillDetailApi.as_view(), name="api-drill"),
    path(D + "start/", api.DrillStartApi.as_view(), name="api-drill-start"),
    path(D + "pause/", api.DrillPauseApi.as_view(), name="api-drill-pause"),
    path(D + "resume/", api.DrillResumeApi.as_view(), name="api-drill-resume"),
    path(D + "finish/", api.DrillFinishApi.as_view(), name="api-drill-finish"),
    path(D + "speed/", api.DrillSpeedApi.as_view(), name="api-drill-speed"),
    path(D + "injects/", api.DrillInjectApi.as_view(), name="api-drill-injects"),
    path(D + "events/", api.DrillEventsApi.as_view(), name="api-drill-events"),
    path(D + "ticket/", api.DrillTicketApi.as_view(), name="api-drill-ticket"),
    path(D + "responses/", api.ResponseListApi.as_view(), name="api-responses"),
    path(R, api.ResponseDetailApi.as_view(), name="api-response"),
    path(R + "submit/", api.ResponseSubmitApi.as_view(), name="api-response-submit"),
    path(R + "approve/", api.ResponseApproveApi.as_view(), name="api-response-approve"),
    path(R + "reject/", api.ResponseRejectApi.as_view(), name="api-response-reject"),
    path(D + "templates/", api.TemplateSuggestionsApi.as_view(), name="api-drill-templates"),
    path(D + "notes/", api.NoteListApi.as_view(), name="api-notes"),
    path(D + "messages/", api.MessageListApi.as_view(), name="api-messages"),
    path(D + "inbox/", api.InboxApi.as_view(), name="api-inbox"),
    path(D + "flags/", api.FlagListApi.as_view(), name="api-flags"),
    path(D + "inbox/read/", api.InboxReadApi.as_view(), name="api-inbox-read"),
]
