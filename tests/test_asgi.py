"""config.asgi: what start-up built is frozen out of the garbage collector's full collections."""

import gc

import config.asgi  # noqa: F401 - freezes on import


def test_the_start_up_objects_are_frozen():
    assert gc.get_freeze_count() > 10_000
