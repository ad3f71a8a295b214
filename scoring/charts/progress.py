"""Progress across the drills of one scenario: the overall score of each, oldest on the left."""

from __future__ import annotations

import math
from collections.abc import Sequence

from scoring.charts.svg import GRID, LABELS, MUTED, NOTE, PLOT_END, num, svg, tag, text, titled

PROGRESS_H = 220
PROGRESS_TOP = 24
PROGRESS_BOTTOM = 180
PROGRESS_START = 64.0  # no row labels here: only the 0..100 scale
MAX_PROGRESS_LABELS = 16


def progress_svg(rows: Sequence[dict], labels: dict | None = None) -> str:
    """The overall score of each drill, oldest first; `rows` are `{label, overall}` (overall may be None)."""
    labels = {**LABELS, **(labels or {})}
    body = [_score_grid()]
    if not rows:
        body.append(text(PROGRESS_START + 8, PROGRESS_TOP + 40, labels["no_drills"], fill=MUTED))
        return svg(PROGRESS_H, body, name="progress", labels=labels)
    points = [(_progress_x(index, len(rows)), row.get("overall")) for index, row in enumerate(rows)]
    scored = [(x, _score_y(value)) for x, value in points if value is not None]
    if len(scored) > 1:
        line = " ".join(f"{num(x)},{num(y)}" for x, y in scored)
        body.append(tag("polyline", points=line, fill="none", stroke=NOTE, stroke_width="2.5"))
    every = math.ceil(len(rows) / MAX_PROGRESS_LABELS)  # many drills: label some, keep all points
    for index, ((x, value), row) in enumerate(zip(points, rows, strict=True)):
        shown = index % every == 0 or index == len(rows) - 1
        body.append(_progress_point(x, value, row["label"], labelled=shown))
    return svg(PROGRESS_H, body, name="progress", labels=labels)


def _progress_x(index: int, count: int) -> float:
    if count == 1:
        return (PROGRESS_START + PLOT_END) / 2
    return PROGRESS_START + 24 + (PLOT_END - PROGRESS_START - 48) * index / (count - 1)


def _score_y(value: float) -> float:
    return PROGRESS_BOTTOM - (PROGRESS_BOTTOM - PROGRESS_TOP) * min(max(value, 0.0), 100.0) / 100


def _score_grid() -> str:
    parts = []
    for value in (0, 25, 50, 75, 100):
        y = _score_y(value)
        parts.append(tag("line", x1=PROGRESS_START, y1=y, x2=float(PLOT_END), y2=y, stroke=GRID))
        parts.append(text(PROGRESS_START - 8, y + 4, str(value), text_anchor="end", fill=MUTED, font_size="11"))
    return "".join(parts)


def _progress_point(x: float, value: float | None, label: str, *, labelled: bool) -> str:
    parts = []
    if labelled:
        parts.append(text(x, PROGRESS_BOTTOM + 20, label, text_anchor="middle", fill=MUTED, font_size="11"))
    if value is not None:
        y = _score_y(value)
        parts.append(tag("circle", cx=x, cy=y, r=5.0, fill="#fff", stroke=NOTE, stroke_width="2.5"))
        if labelled:
            parts.append(text(x, y - 10, num(value), text_anchor="middle", font_weight="700", font_size="12"))
    return titled("".join(parts), f"{label}: {'—' if value is None else num(value)}")
