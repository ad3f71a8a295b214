"""The report's draft from hand-built scorecards (pure: no database, no clock)."""

from django.utils import translation

from config.texts import translated
from scoring.report import MAX_IMPROVEMENTS, report_draft


def inject(key, *, reply_s=None, deadline_s=300.0, needs_reply=True, severity=3, burst_index=None):
    on_time = None if not needs_reply else reply_s is not None and reply_s <= deadline_s
    return {
        "key": key,
        "burst_index": burst_index,
        "severity": severity,
        "needs_reply": needs_reply,
        "reply_s": reply_s,
        "deadline_s": deadline_s if needs_reply else None,
        "on_time": on_time,
    }


def step(index, role, *, within, sla=120.0, median=60.0, p90=100.0):
    return {"step": index, "role": role, "within_sla": within, "sla_s": sla, "median_wait_s": median, "p90_wait_s": p90}


def reply(published_s, *, score=1.0, missing=(), forbidden=(), too_long=False, platform="x"):
    rubric = {
        "score": score,
        "present": [],
        "missing": list(missing),
        "forbidden": list(forbidden),
        "length": 300 if too_long else 80,
        "max_length": 280,
        "too_long": too_long,
    }
    return {"response": 1, "published_s": published_s, "platform": platform, "rubric": rubric}


def card(**parts):
    return {
        "overall": 71.5,
        "components": {"timeliness": 64.0, "coverage": 80.0, "approval_flow": None, "quality": 45.0},
        "injects": [],
        "steps": [],
        "responses": [],
        **parts,
    }


def texts(items):
    return [str(item) for item in items]


def test_the_summary_says_each_measured_score_in_words():
    draft = report_draft(card(injects=[inject("a", reply_s=100.0), inject("b"), inject("c", needs_reply=False)]))
    assert texts(draft.summary) == [
        "Overall score: 71.5 out of 100 (fair).",
        "Timeliness: 64.0 (fair).",
        "Coverage: 80.0 (good).",
        "Quality: 45.0 (poor).",  # approval flow measured nothing: not said
        "1 of 2 posts that needed a reply got one, 1 on time.",
    ]


def test_the_summary_says_when_the_first_public_statement_came():
    timed = card(components={"first_statement": 50.0}, first_statement_s=900.0, first_statement_target_s=600.0)
    silent = card(components={"first_statement": 0.0}, first_statement_s=None, first_statement_target_s=600.0)

    assert texts(report_draft(timed).summary)[-1] == (
        "The first public statement came 15:00 after the first post that needed a reply (target 10:00)."
    )
    assert texts(report_draft(silent).summary)[-1] == (
        "No public statement was published (target 10:00 after the first post)."
    )
    assert "statement" not in " ".join(texts(report_draft(card()).summary))  # no post needed a reply


def test_a_drill_with_nothing_to_measure_says_so():
    draft = report_draft(card(overall=None, components={"timeliness": None}))
    assert texts(draft.summary) == ["No overall score: the drill gave nothing to measure."]
    assert draft.strengths == draft.improvements == []


def test_each_missed_or_late_reply_is_an_improvement_and_each_timely_one_a_strength():
    injects = [
        inject("first", reply_s=120.0),
        inject("pile-on", burst_index=2, reply_s=400.0, deadline_s=300.0),
        inject("reporter", severity=4, deadline_s=600.0),
        inject("noise", needs_reply=False),
    ]
    draft = report_draft(card(injects=injects))
    assert texts(draft.strengths) == ["first: answered after 2:00, within its deadline of 5:00."]
    assert texts(draft.improvements) == [
        "pile-on #3: answered after 6:40, past its deadline of 5:00.",
        "reporter (severity 4) got no reply; it needed one within 10:00.",
    ]


def test_a_step_over_its_sla_is_an_improvement_and_one_within_it_a_strength():
    steps = [
        step(1, "reviewer", within=1.0),
        step(2, "legal", within=0.5, sla=180.0, p90=250.0),
        step(3, "pr", within=None),
    ]
    draft = report_draft(card(steps=steps))
    assert texts(draft.strengths) == ["Step 1 (reviewer): every decision within its SLA of 2:00 (median wait 1:00)."]
    assert texts(draft.improvements) == [
        "Step 2 (legal) stalled: 50% of decisions within its SLA of 3:00, 90th percentile wait 4:10."
    ]


def test_each_broken_rubric_rule_is_its_own_improvement():
    replies = [
        reply(60.0),
        reply(200.0, score=0.0, forbidden=["no comment"], too_long=True, missing=["apology", "next step"]),
    ]
    draft = report_draft(card(responses=replies))
    assert texts(draft.strengths) == ["The reply published at 1:00 met the whole rubric."]
    assert texts(draft.improvements) == [
        'The reply published at 3:20 contains forbidden phrase "no comment".',
        "The reply published at 3:20 too long for x: 300 > 280 characters.",
        "The reply published at 3:20 missing: apology, next step.",
    ]


def task(key, **ratings):
    return {"key": key, "task": f"Task {key}", "capability": None, "ratings": ratings, "observations": 1}


def test_tasks_rated_m_or_u_are_improvements_and_tasks_rated_well_strengths():
    evaluation = [task("ack", P=2, S=1), task("brief", P=1, M=1), task("hold", U=2), task("unrated")]
    draft = report_draft(card(evaluation=evaluation))
    assert texts(draft.strengths) == [
        "Task “Task ack”: rated P (performed without challenges) 2 times, S (some challenges) 1 times."
    ]
    assert texts(draft.improvements) == [
        "Task “Task brief”: rated M (major challenges) 1 times, U (unable to be performed) 0 times.",
        "Task “Task hold”: rated M (major challenges) 0 times, U (unable to be performed) 2 times.",
    ]


def test_a_scorecard_without_evaluation_drafts_no_task_rows():
    assert report_draft(card()).improvements == []


def test_the_draft_never_holds_more_rows_than_a_report_may():
    draft = report_draft(card(injects=[inject(f"post-{n}") for n in range(MAX_IMPROVEMENTS + 20)]))
    assert len(draft.improvements) == MAX_IMPROVEMENTS


def test_the_draft_is_said_again_in_another_language_names_and_grades_included():
    draft = report_draft(card())
    with translation.override("fr"):
        assert translated(draft.summary[1]) == "Réactivité : 64.0 (moyen)."
    with translation.override("he"):
        assert translated(draft.summary[0]) == "ציון כולל: 71.5 מתוך 100 (סביר)."
