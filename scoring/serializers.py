"""The scorecard's shape (PROTOCOL section 4), declared for the OpenAPI document; scoring.services builds it."""

from rest_framework import serializers

from evaluation.serializers import ObservationOutput


class InjectRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    burst_index = serializers.IntegerField(allow_null=True)
    severity = serializers.IntegerField()
    needs_reply = serializers.BooleanField()
    published_s = serializers.FloatField()
    first_draft_s = serializers.FloatField(allow_null=True)
    reply_s = serializers.FloatField(allow_null=True)
    deadline_s = serializers.FloatField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)
    flag_s = serializers.FloatField(allow_null=True, help_text="from publication to its first flag")
    flags = serializers.IntegerField(help_text="how many people flagged it")
    signal = serializers.BooleanField(allow_null=True, help_text="a weak signal of the scenario; null until finished")


class StepRowOutput(serializers.Serializer):
    step = serializers.IntegerField()
    role = serializers.CharField()
    decisions = serializers.IntegerField()
    rejections = serializers.IntegerField()
    median_wait_s = serializers.FloatField(allow_null=True)
    p90_wait_s = serializers.FloatField(allow_null=True)
    sla_s = serializers.FloatField(allow_null=True)
    within_sla = serializers.FloatField(allow_null=True)


class ParticipantRowOutput(serializers.Serializer):
    user = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    drafts = serializers.IntegerField()
    approvals = serializers.IntegerField()
    rejections = serializers.IntegerField()
    messages = serializers.IntegerField(help_text="team channel messages")
    flags = serializers.IntegerField(help_text="posts this person flagged")
    false_flags = serializers.IntegerField(help_text="flags on posts that were not signals")


class NoteRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    event_seq = serializers.IntegerField()
    sim_s = serializers.FloatField()
    kind = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    author = serializers.CharField(allow_null=True)


class RatingCountsOutput(serializers.Serializer):
    P = serializers.IntegerField(help_text="performed without challenges")
    S = serializers.IntegerField(help_text="some challenges")
    M = serializers.IntegerField(help_text="major challenges")
    U = serializers.IntegerField(help_text="unable to be performed")


class EvaluationRowOutput(serializers.Serializer):
    key = serializers.CharField()
    task = serializers.CharField()
    capability = serializers.CharField(allow_null=True)
    ratings = RatingCountsOutput()
    observations = serializers.IntegerField(help_text="observations about this task, rated or not")


class ReactionCountsOutput(serializers.Serializer):
    backlash = serializers.IntegerField()
    support = serializers.IntegerField()


class ReplyTemplateOutput(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="null once the template was deleted from the kit")
    name = serializers.CharField(help_text="as it was when the reply was drafted")
    kind = serializers.CharField()
    filled = serializers.CharField(
        allow_blank=True, help_text="its text as filled for the post when the reply was drafted"
    )


class ReplyRubricOutput(serializers.Serializer):
    score = serializers.FloatField(help_text="0..1")
    present = serializers.ListField(child=serializers.CharField(), help_text="labels of must_include items found")
    missing = serializers.ListField(child=serializers.CharField(), help_text="labels of must_include items not found")
    forbidden = serializers.ListField(child=serializers.CharField(), help_text="must_avoid phrases found")
    too_long = serializers.BooleanField()
    length = serializers.IntegerField(help_text="characters")
    max_length = serializers.IntegerField(allow_null=True, help_text="the platform's limit, if any")
    platform = serializers.CharField()


class ReplyRowOutput(serializers.Serializer):
    response = serializers.IntegerField()
    author = serializers.IntegerField(allow_null=True, help_text="user id of who drafted it")
    reply_to = serializers.ListField(child=serializers.IntegerField())
    text = serializers.CharField(allow_blank=True)
    platform = serializers.CharField()
    published_s = serializers.FloatField()
    template = ReplyTemplateOutput(allow_null=True, help_text="the template the reply was started from, or null")
    edited_share = serializers.FloatField(
        allow_null=True, help_text="1 − SequenceMatcher ratio of the filled template and the final text; null without"
    )
    rubric = ReplyRubricOutput()


class ScorecardOutput(serializers.Serializer):
    drill = serializers.IntegerField()
    scenario = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    finished = serializers.BooleanField()
    overall = serializers.FloatField(allow_null=True)
    components = serializers.DictField(child=serializers.FloatField(allow_null=True))
    first_statement_s = serializers.FloatField(
        allow_null=True, help_text="from the first post needing a reply to the first published reply"
    )
    first_statement_target_s = serializers.FloatField(help_text="scoring.first_statement_within, or response_sla")
    injects = InjectRowOutput(many=True)
    steps = StepRowOutput(many=True)
    participants = ParticipantRowOutput(many=True)
    heat = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField()), help_text="`[sim seconds, heat]` pairs"
    )
    responses = serializers.ListField(child=serializers.DictField())
    replies = ReplyRowOutput(many=True, help_text="every published reply (section 4)")
    written_by_team = serializers.FloatField(
        allow_null=True,
        help_text="share (0..1) of the published replies' characters the team wrote: not matched with a template",
    )
    reactions = ReactionCountsOutput(help_text="published replies that set off each reaction (section 1.4)")
    notes = NoteRowOutput(many=True)
    evaluation = EvaluationRowOutput(many=True, help_text="per task of the scenario's evaluation (section 1.6)")
    observations = ObservationOutput(many=True)


class ComparisonRowOutput(serializers.Serializer):
    drill = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    overall = serializers.FloatField(allow_null=True)
    components = serializers.DictField(child=serializers.FloatField(allow_null=True))
    first_statement_s = serializers.FloatField(allow_null=True)
    edited_share = serializers.FloatField(allow_null=True, help_text="mean over the replies started from a template")
    team = serializers.ListField(child=serializers.CharField(), help_text="usernames of those who played")
