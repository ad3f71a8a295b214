"""Django's SQLite backend with the writers of one process taking turns in order.

SQLite lets one writer at a time in, and a writer that finds the file locked sleeps in SQLite's busy handler (1,
2, 5, 10 ... 100 ms) before it looks again. A thread that writes in quick succession (a person approving one reply
after another, a page that saves) then takes the lock back each time while the engine's thread sleeps: the engine
waited for whole rounds of other people's writes (issue 15's benchmark: most of its lateness with a team in every
drill). So the writers of this process queue in a fair lock before `BEGIN IMMEDIATE` and hand it on at commit or
rollback: each waits for the transactions ahead of it only, and wakes the moment the last one ends. Writers of other
processes (a management command) still meet SQLite's own lock and its busy handler.
"""

from __future__ import annotations

import collections
import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

LOCKED = "database is locked (waited {timeout} s for this process's other writers)"


class FairLock:
    """A lock handed to its waiters in the order they came (threading.Lock lets the releasing thread take it back
    before a woken waiter runs)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiters: collections.deque[threading.Lock] = collections.deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._guard:
            if not self._held:
                self._held = True
                return True
            waiter = threading.Lock()
            waiter.acquire()
            self._waiters.append(waiter)
        if waiter.acquire(timeout=timeout):
            return True  # handed over by release: _held stayed True
        with self._guard:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
                return False
        return True  # handed over just as the wait ended

    def release(self) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._held = False


_locks: dict[str, FairLock] = collections.defaultdict(FairLock)  # one per database file


class DatabaseWrapper(base.DatabaseWrapper):
    holds_writer_lock = False

    def _start_transaction_under_autocommit(self):
        timeout = self.settings_dict.get("OPTIONS", {}).get("timeout", 5)
        writers = _locks[self.settings_dict["NAME"]]
        if not writers.acquire(timeout):
            raise OperationalError(LOCKED.format(timeout=timeout))
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            writers.release()
            raise
        self.holds_writer_lock = True

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer_lock()

    def _release_writer_lock(self) -> None:
        if self.holds_writer_lock:
            self.holds_writer_lock = False
            _locks[self.settings_dict["NAME"]].release()
