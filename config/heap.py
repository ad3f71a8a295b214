"""Python's cyclic garbage collector, tuned for a process that serves drills.

Its full collections stop every thread of the process (the event loop, the engine) while they walk every object
that lives. With Python's default thresholds they came every 2-3 s at 500 drills and grew to 160 ms each as the
engine's views of the drills grew: an engine step builds thousands of objects that live a little while, more than
the default's 700 allocations between young collections, so they were promoted to the old generation, whose growth
sets off the full collections. Engine lateness p99 at 500 drills, embedded, no team (bench/README.md): 107.6 ms with
the defaults, 7.2 ms with `settle`."""

from __future__ import annotations

import gc

# A young collection every 50,000 net allocations (default 700), the middle generation every 20 young ones and the
# full one after 20 middle ones (defaults 10 and 10): young collections take about 10 ms each at 500 drills, and a
# full one comes every few minutes instead of every few seconds.
THRESHOLDS = (50_000, 20, 20)


def settle() -> None:
    """Freezes what the process built so far (Django, DRF, Twisted, the apps: about 100,000 objects that live as
    long as the process: full collections no longer walk them) and sets `THRESHOLDS`. Called once start-up is done:
    by the ASGI server, by each Celery worker process, by the engine benchmark (as the server does)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
