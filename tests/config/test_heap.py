"""config.heap: the server, the Celery workers and the engine benchmark leave start-up's objects out of the
collector's walks and collect the young generation less often (full collections stopped the engine for 160 ms)."""

import gc

import pytest
from celery.signals import worker_process_init, worker_ready

import drills.tasks  # noqa: F401 - connects the workers' broadcast loop
from config import heap
from drills.events import server_sender


@pytest.fixture
def collector():
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_once_started_full_collections_skip_what_start_up_built(collector):
    built = [[n] for n in range(3)]  # start-up's objects, alive for good (lists: the collector tracks them)
    assert {id(o) for o in built} <= {id(o) for o in gc.get_objects()}

    heap.settle()

    assert gc.get_threshold() == heap.THRESHOLDS
    assert not {id(o) for o in built} & {id(o) for o in gc.get_objects()}


@pytest.mark.parametrize("signal", [worker_ready, worker_process_init], ids=["solo worker", "prefork child"])
def test_each_celery_process_that_runs_tasks_settles_and_broadcasts_from_its_own_loop(monkeypatch, signal):
    started = []
    monkeypatch.setattr(heap, "settle", lambda: started.append("settled"))
    monkeypatch.setattr(server_sender, "serve_in_own_thread", lambda: started.append("broadcast loop"))

    signal.send(sender=None)

    assert sorted(started) == ["broadcast loop", "settled"]
