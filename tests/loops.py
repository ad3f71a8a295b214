"""Running async code in tests that are plain functions."""

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor


def in_own_loop(test):
    """Runs the async test in a loop of its own thread: a browser test's Playwright may own this thread's."""

    @functools.wraps(test)
    def run():
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, test()).result()

    return run
