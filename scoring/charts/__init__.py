"""Server-rendered SVG charts for the scorecard pages: the drill timeline, the step waits, the progress line.

Pure: each takes the scorecard dict (or comparison rows) and returns SVG markup, with no script and no
`style` attribute (the Content-Security-Policy forbids inline styles). Every piece of text is escaped.
Time axes run left to right whatever the page direction; the browser lays out each label's own script.
"""

from scoring.charts.progress import progress_svg
from scoring.charts.svg import (
    BAD,
    FLAG,
    HEAT,
    INK,
    LABELS,
    NOTE,
    OK,
    PLOT_END,
    PLOT_START,
    STATEMENT,
    WARN,
    clock_label,
    tick_label,
    ticks,
)
from scoring.charts.timeline import row_name, timeline_svg
from scoring.charts.waits import step_wait_svg

__all__ = [
    "BAD",
    "FLAG",
    "HEAT",
    "INK",
    "LABELS",
    "NOTE",
    "OK",
    "PLOT_END",
    "PLOT_START",
    "STATEMENT",
    "WARN",
    "clock_label",
    "progress_svg",
    "row_name",
    "step_wait_svg",
    "tick_label",
    "ticks",
    "timeline_svg",
]
