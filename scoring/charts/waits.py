"""Approval waits per step of the chain: the median as a bar, the 90th percentile as a whisker, the SLA dashed."""

from __future__ import annotations

from collections.abc import Sequence

from scoring.charts.svg import (
    BAD,
    INK,
    LABEL_END,
    LABELS,
    LEGEND_Y,
    MUTED,
    OK,
    PLOT_START,
    Scale,
    bar,
    clock_label,
    deadline_tick,
    legend,
    shifted,
    stripe,
    svg,
    tag,
    text,
    time_axis,
    titled,
    vline,
)

STEP_ROW_H = 36
STEP_TOP = 32  # under the legend: this chart has no note flags
STEP_PLOT_END = 700.0
WAIT_BAR_H = 14


def step_wait_svg(scorecard: dict, labels: dict | None = None) -> str:
    """One row per deciding step: median wait bar, p90 whisker, the step's SLA as a dashed line."""
    labels = {**LABELS, **(labels or {})}
    steps = scorecard.get("steps") or []
    scale = Scale(_wait_end_s(steps), plot_end=STEP_PLOT_END)
    bottom = STEP_TOP + STEP_ROW_H * max(len(steps), 1)
    key, extra_h = wait_legend(labels)
    body = [
        "".join(stripe(index, STEP_TOP, STEP_ROW_H) for index in range(len(steps))),
        time_axis(scale, STEP_TOP, bottom),
        "".join(step_row(step, index, scale, labels) for index, step in enumerate(steps)),
        "" if steps else text(PLOT_START + 8, STEP_TOP + 20, labels["no_steps"], fill=MUTED),
    ]
    return svg(bottom + 24 + extra_h, [key, shifted(extra_h, body)], name="waits", labels=labels)


def _wait_end_s(steps: Sequence[dict]) -> float:
    values = [step.get(name) or 0.0 for step in steps for name in ("median_wait_s", "p90_wait_s", "sla_s")]
    return max([60.0, *values]) * 1.1


def wait_legend(labels: dict) -> tuple[str, float]:
    items = [
        (bar(0, 16, LEGEND_Y - 9, OK), labels["median"]),
        (
            tag("line", x1=0.0, y1=LEGEND_Y - 4.0, x2=16.0, y2=LEGEND_Y - 4.0, stroke=INK, stroke_width="1.5")
            + deadline_tick(16, LEGEND_Y - 9, LEGEND_Y + 1),
            labels["p90"],
        ),
        (_sla_line(8, LEGEND_Y - 12, LEGEND_Y + 4), labels["sla"]),
    ]
    return legend(items, PLOT_START)


def step_row(step: dict, index: int, scale: Scale, labels: dict) -> str:
    top = STEP_TOP + STEP_ROW_H * index
    mid = top + STEP_ROW_H / 2
    parts = [text(LABEL_END, mid + 4, f"{step['step']} · {step['role']}", text_anchor="end")]
    parts.append(_wait_marks(step, scale, mid))
    if step.get("sla_s") is not None:
        parts.append(_sla_line(scale.x(step["sla_s"]), top + 4, top + STEP_ROW_H - 4))
    parts.append(text(STEP_PLOT_END + 16, mid + 4, _step_summary(step, labels), fill=MUTED))
    return titled("".join(parts), _step_tooltip(step, labels))


def _wait_marks(step: dict, scale: Scale, mid: float) -> str:
    median, p90, sla = step.get("median_wait_s"), step.get("p90_wait_s"), step.get("sla_s")
    if median is None:
        return ""
    color = OK if sla is None or median <= sla else BAD
    bar = tag(
        "rect",
        x=float(PLOT_START),
        y=mid - WAIT_BAR_H / 2,
        width=max(scale.x(median) - PLOT_START, 2.0),
        height=float(WAIT_BAR_H),
        rx="2",
        fill=color,
    )
    if p90 is None or p90 <= median:
        return bar
    whisker = tag(
        "line", x1=scale.x(median), y1=float(mid), x2=scale.x(p90), y2=float(mid), stroke=INK, stroke_width="1.5"
    )
    return bar + whisker + deadline_tick(scale.x(p90), mid - 5, mid + 5)


def _sla_line(x: float, y1: float, y2: float) -> str:
    return vline(x, y1, y2, dashes="4 3")


def _step_summary(step: dict, labels: dict) -> str:
    if not step.get("decisions"):
        return labels["no_decisions"]
    within = step.get("within_sla")
    share = "—" if within is None else f"{round(within * 100)}%"
    label = labels["within_one"] if step["decisions"] == 1 else labels["within"]
    return label.format(share=share, decisions=step["decisions"])


def _step_tooltip(step: dict, labels: dict) -> str:
    return (
        f"{step['step']} · {step['role']}: {labels['median']} {clock_label(step.get('median_wait_s'))}, "
        f"{labels['p90']} {clock_label(step.get('p90_wait_s'))}, {labels['sla']} {clock_label(step.get('sla_s'))}"
    )
