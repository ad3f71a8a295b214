"""The scorecard's SVG charts: what a reader sees in them, and that no text can break out of them."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import charts

SVG = "{http://www.w3.org/2000/svg}"


def inject(key, published_s, *, reply_s=None, deadline_s=300.0, needs_reply=True, severity=3, **extra):
    on_time = None if not needs_reply else reply_s is not None and reply_s <= deadline_s
    return {
        "id": hash(key) % 1000,
        "key": key,
        "burst_index": None,
        "severity": severity,
        "needs_reply": needs_reply,
        "published_s": published_s,
        "first_draft_s": None,
        "reply_s": reply_s,
        "deadline_s": deadline_s if needs_reply else None,
        "on_time": on_time,
        **extra,
    }


def step(index, role, *, median=None, p90=None, sla=120.0, decisions=0, within=None):
    return {
        "step": index,
        "role": role,
        "decisions": decisions,
        "rejections": 0,
        "median_wait_s": median,
        "p90_wait_s": p90,
        "sla_s": sla,
        "within_sla": within,
    }


CARD = {
    "ended_s": 2400.0,
    "injects": [
        inject("first-complaint", 30.0, reply_s=212.0, first_draft_s=41.0),
        inject("reporter-email", 540.0, reply_s=1100.0, deadline_s=900.0, severity=4),
        inject("influencer-video", 840.0, severity=4),
        inject("pile-on", 240.0, needs_reply=False, severity=1, burst_index=0),
    ],
    "steps": [
        step(1, "reviewer", median=50.0, p90=95.0, decisions=4, within=0.75),
        step(2, "legal", median=200.0, p90=260.0, sla=180.0, decisions=2, within=0.0),
        step(3, "spokesperson", sla=60.0),
    ],
    "heat": [[0.0, 10], [30.0, 19], [600.0, 100], [1200.0, 64]],
}
NOTES = [
    {"event_seq": 12, "sim_s": 242.0, "text": "Late to notice the burst"},
    {"event_seq": 13, "sim_s": 244.0, "text": "Same moment, second note"},
    {"event_seq": 40, "sim_s": 1500.0, "text": "Nobody answered the video"},
]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def shapes(root: ET.Element, name: str, **attrs) -> list[ET.Element]:
    found = root.iter(SVG + name)
    return [e for e in found if all(e.get(k.replace("_", "-")) == v for k, v in attrs.items())]


def test_each_reply_is_a_bar_coloured_by_whether_it_was_on_time():
    root = parse(charts.timeline_svg(CARD))
    assert len(shapes(root, "rect", fill=charts.OK)) == 1 + 1  # first-complaint, and the legend swatch
    assert len(shapes(root, "rect", fill=charts.WARN)) == 1 + 1  # reporter-email was late
    assert len(shapes(root, "rect", stroke=charts.BAD)) == 1 + 1  # influencer-video never got a reply


def test_every_inject_is_a_mark_and_every_deadline_a_tick():
    root = parse(charts.timeline_svg(CARD))
    assert len(shapes(root, "polygon", stroke_width="1.2")) == 4 + 1  # four rows, one legend diamond
    deadlines = shapes(root, "line", stroke=charts.INK, stroke_width="2.5")
    assert len(deadlines) == 3 + 1  # the three injects needing a reply, one legend tick
    labels = [t.text for t in root.iter(SVG + "text")]
    assert {"first-complaint", "reporter-email", "influencer-video", "pile-on #1"} <= set(labels)


def test_a_deadline_after_the_end_of_the_drill_is_not_drawn():
    card = {"ended_s": 600.0, "injects": [inject("late-one", 500.0, deadline_s=300.0)], "heat": [], "steps": []}
    root = parse(charts.timeline_svg(card))
    assert len(shapes(root, "line", stroke=charts.INK, stroke_width="2.5")) == 1  # the legend only


def test_the_heat_curve_runs_underneath_until_the_end():
    root = parse(charts.timeline_svg(CARD))
    (curve,) = shapes(root, "polyline", stroke=charts.HEAT)
    points = [tuple(map(float, p.split(","))) for p in curve.get("points").split()]
    assert len(points) == len(CARD["heat"]) + 1  # the last value holds until the drill ends
    assert points[-1][0] == charts.PLOT_END and points[-1][1] == points[-2][1]
    assert min(y for _, y in points) > max(float(r.get("y")) for r in shapes(root, "rect", height="10"))


def test_notes_are_numbered_flags_and_close_ones_share_a_flag():
    root = parse(charts.timeline_svg(CARD, NOTES))
    flags = [t.text for t in root.iter(SVG + "text") if t.get("fill") == "#fff"]
    assert flags == ["1", "1,2", "3"]  # the legend's flag, then the two notes 2 s apart, then the third
    tooltips = [t.text for t in root.iter(SVG + "title")]
    assert any("Late to notice the burst" in t and "Same moment, second note" in t for t in tooltips)


def test_a_flagged_post_carries_a_pennant_where_the_team_first_flagged_it():
    plain = [inject("quiet-post", 100.0, needs_reply=False, flag_s=None, flags=0, signal=True)]
    root = parse(charts.timeline_svg({**CARD, "injects": plain}))
    assert shapes(root, "polygon", fill=charts.FLAG) == []  # no flag: no pennant, no legend entry
    flagged = [inject("quiet-post", 100.0, needs_reply=False, flag_s=90.0, flags=2, signal=True)]
    root = parse(charts.timeline_svg({**CARD, "injects": flagged}))
    _legend_swatch, pennant = shapes(root, "polygon", fill=charts.FLAG)
    scale = charts.timeline.Scale(2400.0)
    assert float(pennant.get("points").split(",")[0]) == pytest.approx(scale.x(190.0), abs=0.1)
    tooltips = [t.text for t in root.iter(SVG + "title")]
    assert any("weak signal" in t and "first flagged after 1:30, 2 flag(s)" in t for t in tooltips)


def test_no_text_escapes_the_chart():
    hostile = '</svg><script>alert("x")</script>&'
    card = {**CARD, "injects": [inject(hostile, 10.0, reply_s=5.0)]}
    steps_card = {"steps": [step(1, hostile, median=1.0, p90=2.0, decisions=1, within=1.0)]}
    for markup in (
        charts.timeline_svg(card, [{"event_seq": 1, "sim_s": 5.0, "text": hostile}]),
        charts.step_wait_svg(steps_card),
        charts.progress_svg([{"label": hostile, "overall": 50.0}]),
    ):
        assert "<script" not in markup
        texts = [t.text for t in parse(markup).iter()]
        assert any(t and hostile in t for t in texts)  # shown as written, as text


def test_charts_need_no_inline_style_and_keep_a_left_to_right_time_axis():
    for markup in (charts.timeline_svg(CARD, NOTES), charts.step_wait_svg(CARD), charts.progress_svg([])):
        root = parse(markup)
        assert root.get("direction") == "ltr" and root.get("role") == "img"
        assert all(e.get("style") is None for e in root.iter())  # the CSP forbids style attributes


def test_an_empty_drill_still_draws_a_chart_that_says_so():
    root = parse(charts.timeline_svg({"ended_s": 0.0, "injects": [], "heat": [], "steps": []}))
    assert charts.LABELS["no_injects"] in [t.text for t in root.iter(SVG + "text")]
    root = parse(charts.step_wait_svg({"steps": []}))
    assert charts.LABELS["no_steps"] in [t.text for t in root.iter(SVG + "text")]


def test_labels_can_be_given_in_the_page_language():
    markup = charts.timeline_svg(CARD, labels={"heat": "חום"})
    assert "חום" in markup and ">Heat<" not in markup


def test_each_step_shows_its_median_against_its_sla():
    root = parse(charts.step_wait_svg(CARD))
    bars = shapes(root, "rect", height="14")
    assert [bar.get("fill") for bar in bars] == [charts.OK, charts.BAD]  # legal waited past its SLA
    sla_lines = shapes(root, "line", stroke_dasharray="4 3")
    assert len(sla_lines) == 3 + 1  # one per step, one in the legend
    texts = [t.text for t in root.iter(SVG + "text")]
    assert "75% within SLA · 4 decisions" in texts and "no decisions" in texts


def test_the_progress_line_skips_drills_without_a_score():
    rows = [{"label": "#1", "overall": 40.0}, {"label": "#2", "overall": None}, {"label": "#3", "overall": 72.5}]
    root = parse(charts.progress_svg(rows))
    (line,) = root.iter(SVG + "polyline")
    assert len(line.get("points").split()) == 2
    assert len(list(root.iter(SVG + "circle"))) == 2
    assert "72.5" in [t.text for t in root.iter(SVG + "text")]


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(None, "—"), (0, "0:00"), (59.6, "1:00"), (212.0, "3:32"), (3725, "1:02:05"), (-30, "-0:30")],
)
def test_durations_read_as_a_clock(seconds, shown):
    assert charts.clock_label(seconds) == shown


@given(st.floats(min_value=1, max_value=48 * 3600, allow_nan=False))
def test_axis_ticks_cover_the_drill_with_few_labels(end_s):
    marks = charts.ticks(end_s)
    assert marks[0] == 0 and len(marks) <= 11
    assert marks[-1] <= end_s < marks[-1] + (marks[1] - marks[0] if len(marks) > 1 else end_s + 1)


xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)


@given(key=xml_text, note=xml_text, role=xml_text)
def test_any_text_is_well_formed_and_shown_as_written(key, note, role):
    card = {**CARD, "injects": [inject(key, 60.0, reply_s=30.0)], "steps": [step(1, role, median=5.0, decisions=1)]}
    timeline = parse(charts.timeline_svg(card, [{"event_seq": 1, "sim_s": 60.0, "text": note}]))
    shown = [t.text or "" for t in timeline.iter()]
    assert key in shown and any(note in t for t in shown)
    waits = parse(charts.step_wait_svg(card))
    assert f"1 · {role}" in [t.text for t in waits.iter(SVG + "text")]


def test_a_long_translated_legend_wraps_and_moves_the_chart_down():
    def height(markup):
        return float(parse(markup).get("viewBox").split()[3])

    wordy = {key: "a rather long translated legend label" for key in ("inject", "reply_on_time", "reply_late")}
    assert height(charts.timeline_svg(CARD, labels=wordy)) > height(charts.timeline_svg(CARD))
    assert height(charts.step_wait_svg(CARD, labels={"median": "m" * 120})) > height(charts.step_wait_svg(CARD))


def test_the_first_public_statement_is_a_line_across_the_rows_where_it_was_published():
    assert shapes(parse(charts.timeline_svg(CARD)), "circle", fill=charts.STATEMENT) == []  # none: no mark, no legend
    card = {**CARD, "first_statement_s": 212.0, "replies": [{"published_s": 242.0}, {"published_s": 1640.0}]}

    root = parse(charts.timeline_svg(card))

    _legend, mark = shapes(root, "circle", fill=charts.STATEMENT)
    assert float(mark.get("cx")) == pytest.approx(charts.timeline.Scale(2400.0).x(242.0), abs=0.1)
    assert "first public statement at 4:02" in [t.text for t in root.iter(SVG + "title")]
