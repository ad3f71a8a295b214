"""SVG building blocks shared by the scorecard charts: palette, labels, escaping markup, time axes, legends.

Pure: strings in, strings out. Every piece of text goes through `html.escape`; there is no `style` attribute
anywhere (the Content-Security-Policy forbids inline styles), only SVG presentation attributes.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_noop

INK = "#1c2430"
MUTED = "#5d6b7a"
GRID = "#e3e7ec"
STRIPE = "#f6f7f9"
OK = "#1d7f4e"
WARN = "#c77c02"
BAD = "#c0262d"
HEAT = "#d2542b"
HEAT_FILL = "#f8ddd3"
NOTE = "#1f5fa8"
FLAG = "#7a3fa0"  # a post the team flagged as a warning sign
STATEMENT = "#0f6b8a"  # the team's first public statement
SEVERITY = {1: "#f2b8a8", 2: "#e88d74", 3: "#d9603f", 4: "#b83a1e", 5: "#7f1d0c"}
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Hebrew", Arial, sans-serif'

# English defaults; pages pass them through gettext (gettext_noop only marks them for translation).
LABELS = {
    "timeline": gettext_noop("Timeline of the drill"),
    "timeline_desc": gettext_noop(
        "Injects as diamonds, replies as bars from publication to the published reply, "
        "deadlines as ticks, debrief notes as numbered flags, and the heat curve underneath."
    ),
    "inject": gettext_noop("inject"),
    "reply_on_time": gettext_noop("reply on time"),
    "reply_late": gettext_noop("late reply"),
    "no_reply": gettext_noop("no reply"),
    "first_draft": gettext_noop("first draft"),
    "deadline": gettext_noop("deadline"),
    "note": gettext_noop("note"),
    "flagged": gettext_noop("first flag"),
    "flagged_after": gettext_noop("first flagged after {flag}, {flags} flag(s)"),
    "signal": gettext_noop("weak signal"),
    "heat": gettext_noop("Heat"),
    "heat_legend": gettext_noop("heat"),
    "finished": gettext_noop("finished"),
    "first_statement": gettext_noop("first public statement"),
    "first_statement_at": gettext_noop("first public statement at {at}"),
    "severity": gettext_noop("severity {severity}"),
    "replied_after": gettext_noop("replied after {reply}, deadline {deadline}"),
    "not_answered": gettext_noop("no reply, deadline {deadline}"),
    "no_injects": gettext_noop("No inject was published."),
    "waits": gettext_noop("Approval waits per step against the SLA"),
    "waits_desc": gettext_noop(
        "Median wait as a bar, the 90th percentile as a whisker, the step's SLA as a dashed line."
    ),
    "median": gettext_noop("median wait"),
    "p90": gettext_noop("90th percentile"),
    "sla": gettext_noop("SLA"),
    "within": gettext_noop("{share} within SLA · {decisions} decisions"),
    "within_one": gettext_noop("{share} within SLA · 1 decision"),
    "no_decisions": gettext_noop("no decisions"),
    "no_steps": gettext_noop("The approval chain has a single step: nobody waits."),
    "progress": gettext_noop("Overall score, drill after drill"),
    "no_drills": gettext_noop("No finished drill yet."),
}

WIDTH = 960
LABEL_END = 176  # right edge of the row labels
PLOT_START = 188
PLOT_END = 940
ROW_H = 24
NICE_STEPS_S = (10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800)


# ---- markup --------------------------------------------------------------------------------------------


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def tag(name: str, content: str = "", **attrs: object) -> str:
    """An SVG element; `stroke_width=2` becomes stroke-width="2", `class_` becomes class."""
    parts = [name]
    for key, value in attrs.items():
        if value is None:
            continue
        shown = num(value) if isinstance(value, float) else esc(value)
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{shown}"')
    opening = " ".join(parts)
    return f"<{opening}>{content}</{name}>" if content else f"<{opening}/>"


def text(x: float, y: float, content: str, **attrs: object) -> str:
    return tag("text", esc(content), x=float(x), y=float(y), **attrs)


def titled(content: str, tooltip: str) -> str:
    """Wraps shapes in a group whose <title> the browser shows on hover (and screen readers read)."""
    return tag("g", tag("title", esc(tooltip)) + content)


def svg(height: float, body: Iterable[str], *, name: str, labels: dict) -> str:
    title_id, desc_id = f"{name}-title", f"{name}-desc"
    content = tag("title", esc(labels[name]), id=title_id)
    if f"{name}_desc" in labels:
        content += tag("desc", esc(labels[f"{name}_desc"]), id=desc_id)
    content += "".join(body)
    return tag(
        "svg",
        content,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH} {num(height)}",
        width="100%",
        class_=f"chart chart-{name}",
        role="img",
        aria_labelledby=f"{title_id} {desc_id}" if f"{name}_desc" in labels else title_id,
        direction="ltr",  # a time axis reads left to right, also on a right-to-left page
        font_family=FONT,
        font_size="13",
        fill=INK,
    )


# ---- time --------------------------------------------------------------------------------------------


def clock_label(seconds: float | None) -> str:
    """Simulated seconds as m:ss (or h:mm:ss); a dash for none. Negative values keep their sign."""
    if seconds is None:
        return "—"
    sign = "-" if seconds < 0 else ""
    total = round(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


def tick_label(seconds: float, step_s: float) -> str:
    """Whole minutes or hours as 5m / 1h; finer steps as m:ss, so a 30-second grid reads 0:30, 1:00, 1:30."""
    if step_s % 60:
        return clock_label(seconds)
    if seconds % 3600 or seconds == 0:
        return f"{round(seconds / 60)}m"
    return f"{round(seconds / 3600)}h"


def ticks(end_s: float, *, most: int = 10) -> list[float]:
    step = next((s for s in NICE_STEPS_S if end_s / s <= most), NICE_STEPS_S[-1] * math.ceil(end_s / 36000))
    return [i * step for i in range(int(end_s // step) + 1)]


class Scale:
    """Maps simulated seconds on [0, end_s] to x between PLOT_START and `plot_end`."""

    def __init__(self, end_s: float, plot_end: float = PLOT_END) -> None:
        self.end_s = max(end_s, 1.0)
        self.plot_end = plot_end

    def x(self, seconds: float) -> float:
        seconds = min(max(seconds, 0.0), self.end_s)
        return PLOT_START + (self.plot_end - PLOT_START) * seconds / self.end_s


def time_axis(scale: Scale, top: float, bottom: float) -> str:
    """Vertical grid lines from `top` to `bottom` and tick labels under `bottom`."""
    parts = []
    marks = ticks(scale.end_s)
    step_s = marks[1] - marks[0] if len(marks) > 1 else 60
    for at_s in marks:
        x = scale.x(at_s)
        parts.append(tag("line", x1=x, y1=float(top), x2=x, y2=float(bottom), stroke=GRID))
        parts.append(text(x, bottom + 15, tick_label(at_s, step_s), text_anchor="middle", fill=MUTED, font_size="11"))
    return "".join(parts)


# ---- shared shapes and legends ---------------------------------------------------------------------

LEGEND_Y = 16
LEGEND_LINE_H = 18
BAR_H = 10


def legend(items: Sequence[tuple[str, str]], start_x: float) -> tuple[str, float]:
    """Swatch + label pairs, wrapped onto more lines when long labels (a translation) need them.

    Returns the markup and the height the extra lines take, by which the caller moves the chart down.
    Widths are estimated from the label length: there are no text metrics on the server.
    """
    parts, x, y = [], float(start_x), 0.0
    for swatch, label in items:
        width = 20 + 6.2 * len(label) + 14
        if x > start_x and x + width > WIDTH:
            x, y = float(start_x), y + LEGEND_LINE_H
        parts.append(tag("g", swatch, transform=f"translate({num(x)} {num(y)})"))
        parts.append(text(x + 20, LEGEND_Y + y, label, fill=MUTED, font_size="11.5"))
        x += width
    return tag("g", "".join(parts), class_="legend"), y


def shifted(extra_h: float, body: Iterable[str]) -> str:
    """The chart under a wrapped legend, moved down by the legend's extra lines."""
    return tag("g", "".join(body), transform=f"translate(0 {num(extra_h)})") if extra_h else "".join(body)


def bar(x1: float, x2: float, top: float, color: str) -> str:
    return tag("rect", x=float(x1), y=float(top), width=max(x2 - x1, 2.0), height=float(BAR_H), rx="2", fill=color)


def vline(x: float, y1: float, y2: float, *, stroke: str = INK, width: str = "1.5", dashes: str | None = None) -> str:
    attrs = {"stroke_dasharray": dashes} if dashes else {}
    return tag("line", x1=float(x), y1=float(y1), x2=float(x), y2=float(y2), stroke=stroke, stroke_width=width, **attrs)


def deadline_tick(x: float, y1: float, y2: float) -> str:
    return vline(x, y1, y2, width="2.5")


def stripe(index: int, top: float, row_h: float) -> str:
    """A light band behind every other row, so a reader's eye stays on one row across the chart."""
    if index % 2:
        return ""
    y = top + row_h * index
    return tag("rect", x=0.0, y=float(y), width=float(WIDTH), height=float(row_h), fill=STRIPE)
