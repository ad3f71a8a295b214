"""The drill timeline: one row per inject (mark, reply bar, deadline tick, first team flag), note flags, the heat
curve below."""

from __future__ import annotations

from collections.abc import Sequence

from scoring.charts.svg import (
    BAD,
    BAR_H,
    FLAG,
    GRID,
    HEAT,
    HEAT_FILL,
    INK,
    LABEL_END,
    LABELS,
    LEGEND_Y,
    MUTED,
    NOTE,
    OK,
    PLOT_START,
    ROW_H,
    SEVERITY,
    STATEMENT,
    WARN,
    Scale,
    bar,
    clock_label,
    deadline_tick,
    legend,
    num,
    shifted,
    stripe,
    svg,
    tag,
    text,
    time_axis,
    titled,
    vline,
)

FLAGS_Y = 40  # centre of the note flags
ROWS_TOP = 56
HEAT_GAP = 18
HEAT_H = 84


def timeline_svg(scorecard: dict, notes: Sequence[dict] = (), labels: dict | None = None) -> str:
    """Injects as rows (mark at publication, bar to the reply, tick at the deadline), heat underneath."""
    labels = {**LABELS, **(labels or {})}
    injects = scorecard.get("injects") or []
    scale = Scale(timeline_end_s(scorecard, notes))
    rows_bottom = ROWS_TOP + ROW_H * max(len(injects), 1)
    heat_top = rows_bottom + HEAT_GAP
    heat_bottom = heat_top + HEAT_H
    statement_s = first_statement_at_s(scorecard)
    flagged = any(i.get("flag_s") is not None for i in injects)
    key, extra_h = timeline_legend(labels, flagged=flagged, statement=statement_s is not None)
    body = [
        "".join(stripe(index, ROWS_TOP, ROW_H) for index in range(len(injects))),
        time_axis(scale, ROWS_TOP, heat_bottom),
        "".join(inject_row(inject, index, scale, labels) for index, inject in enumerate(injects)),
        "" if injects else text(PLOT_START + 8, ROWS_TOP + 16, labels["no_injects"], fill=MUTED),
        heat_panel(scorecard.get("heat") or [], scorecard.get("ended_s"), scale, heat_top, labels),
        finish_line(scorecard.get("ended_s"), scale, heat_bottom),
        statement_line(statement_s, scale, rows_bottom, labels),
        note_flags(notes, scale, heat_bottom, labels),
    ]
    return svg(heat_bottom + 24 + extra_h, [key, shifted(extra_h, body)], name="timeline", labels=labels)


def timeline_end_s(scorecard: dict, notes: Sequence[dict]) -> float:
    """The drill's end; replies, heat or notes after it (a log cut short) widen the axis instead of clipping."""
    ends = [scorecard.get("ended_s") or 0.0, 60.0]
    for inject in scorecard.get("injects") or []:
        ends.append(inject["published_s"] + (inject["reply_s"] or 0.0))
    ends += [point[0] for point in scorecard.get("heat") or []]
    ends += [note["sim_s"] for note in notes]
    return max(ends)


def first_statement_at_s(scorecard: dict) -> float | None:
    """When the first reply was published (replies are in publication order), if the drill had a first statement."""
    replies = scorecard.get("replies") or []
    return replies[0]["published_s"] if replies and scorecard.get("first_statement_s") is not None else None


def statement_line(at_s: float | None, scale: Scale, bottom: float, labels: dict) -> str:
    if at_s is None:
        return ""
    mark = _statement_mark(scale.x(at_s), ROWS_TOP - 8, bottom)
    return tag("g", titled(mark, labels["first_statement_at"].format(at=clock_label(at_s))), class_="first-statement")


def _statement_mark(x: float, y1: float, y2: float) -> str:
    line = tag("line", x1=x, y1=float(y1), x2=x, y2=float(y2), stroke=STATEMENT, stroke_width="2")
    return line + tag("circle", cx=x, cy=float(y1), r=4.0, fill=STATEMENT)


def timeline_legend(labels: dict, *, flagged: bool = False, statement: bool = False) -> tuple[str, float]:
    items = [
        (_diamond(6, LEGEND_Y - 4, 5, SEVERITY[3]), labels["inject"]),
        (bar(0, 16, LEGEND_Y - 9, OK), labels["reply_on_time"]),
        (bar(0, 16, LEGEND_Y - 9, WARN), labels["reply_late"]),
        (_missing_bar(0, 16, LEGEND_Y - 9), labels["no_reply"]),
        (
            tag("circle", cx=6.0, cy=LEGEND_Y - 4.0, r=3.5, fill="#fff", stroke=INK, stroke_width="1.5"),
            labels["first_draft"],
        ),
        (deadline_tick(6, LEGEND_Y - 11, LEGEND_Y + 3), labels["deadline"]),
        (_flag_shape(6, LEGEND_Y - 4, "1"), labels["note"]),
        (
            tag("line", x1=0.0, y1=LEGEND_Y - 4.0, x2=16.0, y2=LEGEND_Y - 4.0, stroke=HEAT, stroke_width="2.5"),
            labels["heat_legend"],
        ),
        (_finish_mark(8, LEGEND_Y - 12, LEGEND_Y + 4), labels["finished"]),
    ]
    if flagged:  # only drills where someone flagged a post name the mark
        items.append((_pennant(6, LEGEND_Y + 3), labels["flagged"]))
    if statement:
        items.append((_statement_mark(6, LEGEND_Y - 8, LEGEND_Y + 4), labels["first_statement"]))
    return legend(items, PLOT_START)


def inject_row(inject: dict, index: int, scale: Scale, labels: dict) -> str:
    mid = ROWS_TOP + ROW_H * index + ROW_H / 2
    start = inject["published_s"]
    parts = [text(LABEL_END, mid + 4, row_name(inject), text_anchor="end")]
    if inject["needs_reply"]:
        parts.append(_reply_marks(inject, scale, mid))
    color = SEVERITY.get(inject["severity"], SEVERITY[3]) if inject["needs_reply"] else "#fff"
    parts.append(_diamond(scale.x(start), mid, 6, color, stroke=INK if not inject["needs_reply"] else None))
    if inject.get("flag_s") is not None:
        parts.append(_pennant(scale.x(start + inject["flag_s"]), mid + 8))
    return titled("".join(parts), inject_tooltip(inject, labels))


def row_name(inject: dict) -> str:
    burst = inject.get("burst_index")
    return inject["key"] if burst is None else f"{inject['key']} #{burst + 1}"


def inject_tooltip(inject: dict, labels: dict) -> str:
    severity = labels["severity"].format(severity=inject["severity"])
    head = f"{row_name(inject)} · {clock_label(inject['published_s'])} · {severity}{_flag_detail(inject, labels)}"
    if not inject["needs_reply"]:
        return head
    deadline = clock_label(inject["deadline_s"])
    if inject["reply_s"] is None:
        return f"{head} · {labels['not_answered'].format(deadline=deadline)}"
    detail = labels["replied_after"].format(reply=clock_label(inject["reply_s"]), deadline=deadline)
    return f"{head} · {detail}"


def _flag_detail(inject: dict, labels: dict) -> str:
    detail = " · " + labels["signal"] if inject.get("signal") else ""
    if inject.get("flag_s") is None:
        return detail
    flags = labels["flagged_after"].format(flag=clock_label(inject["flag_s"]), flags=inject["flags"])
    return f"{detail} · {flags}"


def _pennant(x: float, base: float) -> str:
    """A small flag on a pole, its foot at (x, base): when the team first flagged the post."""
    pole = tag("line", x1=x, y1=base, x2=x, y2=base - 15.0, stroke=FLAG, stroke_width="1.5")
    cloth = f"{num(x)},{num(base - 15)} {num(x + 8)},{num(base - 12)} {num(x)},{num(base - 9)}"
    return pole + tag("polygon", points=cloth, fill=FLAG)


def _reply_marks(inject: dict, scale: Scale, mid: float) -> str:
    start, top = inject["published_s"], mid - BAR_H / 2
    parts = []
    if inject["reply_s"] is None:
        parts.append(_missing_bar(scale.x(start), scale.x(scale.end_s), top))
    else:
        color = OK if inject["on_time"] else WARN
        parts.append(bar(scale.x(start), scale.x(start + inject["reply_s"]), top, color))
    if inject.get("first_draft_s") is not None:
        x = scale.x(start + inject["first_draft_s"])
        parts.append(tag("circle", cx=x, cy=mid, r=3.5, fill="#fff", stroke=INK, stroke_width="1.5"))
    deadline_s = inject.get("deadline_s")
    if deadline_s is not None and start + deadline_s <= scale.end_s:
        parts.append(deadline_tick(scale.x(start + deadline_s), mid - 9, mid + 9))
    return "".join(parts)


def _missing_bar(x1: float, x2: float, top: float) -> str:
    return tag(
        "rect",
        x=float(x1),
        y=float(top),
        width=max(x2 - x1, 2.0),
        height=float(BAR_H),
        rx="2",
        fill="#fbe9ea",
        stroke=BAD,
        stroke_width="1.2",
        stroke_dasharray="4 3",
    )


def _diamond(cx: float, cy: float, size: float, fill: str, stroke: str | None = None) -> str:
    points = (
        f"{num(cx)},{num(cy - size)} {num(cx + size)},{num(cy)} {num(cx)},{num(cy + size)} {num(cx - size)},{num(cy)}"
    )
    return tag("polygon", points=points, fill=fill, stroke=stroke or "#fff", stroke_width="1.2")


def heat_panel(heat: Sequence[Sequence[float]], ended_s: float | None, scale: Scale, top: float, labels: dict) -> str:
    bottom = top + HEAT_H
    parts = [
        tag(
            "rect",
            x=float(PLOT_START),
            y=float(top),
            width=float(scale.plot_end - PLOT_START),
            height=float(HEAT_H),
            fill="none",
            stroke=GRID,
        ),
        text(LABEL_END, top + HEAT_H / 2 + 4, labels["heat"], text_anchor="end", font_weight="600"),
        text(PLOT_START - 4, top + 9, "100", text_anchor="end", fill=MUTED, font_size="10"),
        text(PLOT_START - 4, bottom, "0", text_anchor="end", fill=MUTED, font_size="10"),
    ]
    points = heat_points(heat, ended_s, scale, top)
    if points:
        line = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        area = f"{num(points[0][0])},{num(bottom)} {line} {num(points[-1][0])},{num(bottom)}"
        parts.append(tag("polygon", points=area, fill=HEAT_FILL))
        parts.append(tag("polyline", points=line, fill="none", stroke=HEAT, stroke_width="2", stroke_linejoin="round"))
    return tag("g", "".join(parts), class_="heat")


def heat_points(heat: Sequence[Sequence[float]], ended_s: float | None, scale: Scale, top: float) -> list:
    """Heat moves linearly between its events (PROTOCOL 1.1); the last value holds until the end."""
    values = [(float(at_s), min(max(float(value), 0.0), 100.0)) for at_s, value in heat]
    if values and ended_s is not None and ended_s > values[-1][0]:
        values.append((float(ended_s), values[-1][1]))
    return [(scale.x(at_s), top + HEAT_H * (1 - value / 100)) for at_s, value in values]


def finish_line(ended_s: float | None, scale: Scale, bottom: float) -> str:
    if ended_s is None:
        return ""
    # Named in the legend, not beside the line: a note flag at the very end would cover a label there.
    return _finish_mark(scale.x(ended_s), ROWS_TOP, bottom)


def _finish_mark(x: float, y1: float, y2: float) -> str:
    return vline(x, y1, y2, stroke=MUTED, dashes="2 3")


def note_flags(notes: Sequence[dict], scale: Scale, bottom: float, labels: dict) -> str:
    """A numbered flag per note (numbers follow the given order); close notes share one flag."""
    parts = []
    for x, group in _flag_groups(notes, scale):
        numbers = ",".join(str(number) for number, _ in group)
        tooltip = "\n".join(f"{number}. {clock_label(note['sim_s'])} {note['text']}" for number, note in group)
        line = tag(
            "line",
            x1=x,
            y1=float(FLAGS_Y + 8),
            x2=x,
            y2=float(bottom),
            stroke=NOTE,
            stroke_width="1.2",
            stroke_dasharray="3 3",
        )
        parts.append(titled(line + _flag_shape(x, FLAGS_Y, numbers), f"{labels['note']} {tooltip}"))
    return tag("g", "".join(parts), class_="notes")


def _flag_groups(notes: Sequence[dict], scale: Scale) -> list[tuple[float, list[tuple[int, dict]]]]:
    numbered = sorted(enumerate(notes, start=1), key=lambda item: (item[1]["sim_s"], item[0]))
    groups: list[tuple[float, list[tuple[int, dict]]]] = []
    for number, note in numbered:
        x = scale.x(note["sim_s"])
        if groups and x - groups[-1][0] < 18:
            groups[-1][1].append((number, note))
        else:
            groups.append((x, [(number, note)]))
    return groups


def _flag_shape(x: float, y: float, label: str) -> str:
    width = 10 + 6.5 * len(label)
    box = tag("rect", x=float(x - width / 2), y=float(y - 8), width=float(width), height=16.0, rx="8", fill=NOTE)
    return box + text(x, y + 4, label, text_anchor="middle", fill="#fff", font_size="10.5", font_weight="700")
