"""This process's SQLite writers take turns in the order they came (config/sqlite/base.py): a thread that writes
again and again can no longer keep the engine out while SQLite's busy handler makes it sleep."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from config.sqlite.base import FairLock
from drills.models import Drill

WAIT_S = 5.0


def queued(lock: FairLock, count: int) -> None:
    """Waits until `count` threads wait for `lock` (white box: nothing else tells)."""
    ready = threading.Event()
    while not ready.wait(0.001):
        with lock._guard:
            if len(lock._waiters) >= count:
                ready.set()


def test_a_waiting_writer_goes_before_the_one_that_just_let_go():
    lock, order = FairLock(), []
    assert lock.acquire(WAIT_S)

    def waiter():
        assert lock.acquire(WAIT_S)
        order.append("waiter")
        lock.release()

    thread = threading.Thread(target=waiter)
    thread.start()
    queued(lock, 1)
    lock.release()
    assert lock.acquire(WAIT_S)  # at once again, as a person approving one reply after another does
    order.append("holder")
    lock.release()
    thread.join()
    assert order == ["waiter", "holder"]


def test_writers_go_in_the_order_they_came():
    lock, order = FairLock(), []
    assert lock.acquire(WAIT_S)
    threads = []
    for name in "abc":
        threads.append(
            threading.Thread(target=lambda name=name: (lock.acquire(WAIT_S), order.append(name), lock.release()))
        )
        threads[-1].start()
        queued(lock, len(threads))
    lock.release()
    for thread in threads:
        thread.join()
    assert order == ["a", "b", "c"]


def test_a_writer_that_waited_too_long_gives_up_and_the_lock_still_works():
    lock = FairLock()
    assert lock.acquire(WAIT_S)
    assert lock.acquire(0.01) is False
    lock.release()
    assert lock.acquire(0) is True


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend's own")
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_or_committed_transaction_lets_the_next_writer_in(cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        Drill.objects.filter(pk=0).update(seq=1)
        raise RuntimeError("the step failed")
    assert connection.holds_writer_lock is False
    done = []

    def other_thread():
        try:
            with transaction.atomic():
                done.append(Drill.objects.filter(pk=0).update(seq=2))
        finally:
            connection.close()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join(WAIT_S)
    assert done == [0]
    with transaction.atomic():
        assert connection.holds_writer_lock is True
    assert connection.holds_writer_lock is False
