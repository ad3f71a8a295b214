"""config.heap: the server, the Celery workers and the engine benchmark leave start-up's objects out of the
collector's walks and collect the young generation less often (full collections stopped the engine for 160 ms)."""

import gc

import pytest
from celery.signals import worker_process_init, worker_ready

from config.heap import THRESHOLDS, settle

STARTS = {
    "server": settle,
    "celery solo worker": lambda: worker_ready.send(sender=None),
    "celery prefork child": lambda: worker_process_init.send(sender=None),
}


@pytest.fixture
def collector():
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


@pytest.mark.parametrize("start", STARTS.values(), ids=STARTS.keys())
def test_once_started_full_collections_skip_what_start_up_built(collector, start):
    built = [[n] for n in range(3)]  # start-up's objects, alive for good (lists: the collector tracks them)
    assert {id(o) for o in built} <= {id(o) for o in gc.get_objects()}
    start()
    assert gc.get_threshold() == THRESHOLDS
    assert not {id(o) for o in built} & {id(o) for o in gc.get_objects()}
