"""The drills of bench/engine.py's child: created, started with their clocks spread out, and driven for `--seconds`
by the in-process driver or by Celery workers, with a recorder of commits and a per-step profiler."""

from __future__ import annotations

import asyncio
import cProfile
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import common, engine_team

SPEED = 100.0
START_MARGIN_S = 1.0
# Generous for one drill_start here (Celery's are slower: the workers already run the first steps); a
# shortfall is reported, not hidden.
START_S_PER_DRILL = {"inprocess": 0.04, "celery": 0.1}


def say(message: str) -> None:
    print(f"   {message}", file=sys.stderr, flush=True)


def drills_create(count: int, instructor, participants, versions, *, team: bool) -> list[int]:
    from drills.services import drill_create

    ids = []
    for index in range(count):
        version = versions[index % len(versions)]
        seats, bots = engine_team.seats(version, participants) if team else common.drill_seats(version, participants)
        drill = drill_create(by=instructor, version=version.pk, seats=seats, bots=bots, speed=SPEED)
        ids.append(drill.pk)
    return ids


def drills_stop(drill_ids: list[int]) -> None:
    """Nothing may pick these drills up later (a server started on the same database resumes running ones)."""
    from drills.models import Drill, DrillStatus

    Drill.objects.filter(pk__in=drill_ids, status=DrillStatus.RUNNING).update(status=DrillStatus.FINISHED)


class CommitRecorder:
    """Wraps `drills.events.broadcast` (called on commit) to note when each batch of frames was committed."""

    def __init__(self) -> None:
        self.batches: list[tuple[float, list[dict]]] = []

    def install(self) -> None:
        from drills import events

        original = events.broadcast

        def recording(drill_id, frames):
            self.batches.append((time.time(), list(frames)))  # list.append is atomic across threads
            return original(drill_id, frames)

        events.broadcast = recording


class StepProfiler:
    """cProfile of every engine step, one profiler per thread (cProfile sees only the thread it runs in), and of
    the team's thread apart: its actions compete with the steps for the database and the interpreter.

    Each counts its thread's CPU time, not the wall clock: with several engine threads, a thread's wall time is
    mostly spent waiting for the interpreter or the database, which would be charged to whatever it was calling."""

    def __init__(self) -> None:
        import threading

        self.local = threading.local()
        self.profilers = []
        self.team = cProfile.Profile(time.thread_time)

    def install(self) -> None:
        from drills import services

        for name in ("drill_advance", "drills_step"):  # a step alone, and a batch of them
            setattr(services, name, self._profiled(getattr(services, name)))  # the driver looks them up per run
        team_run = engine_team.Team.run
        engine_team.Team.run = lambda team: self.team.runcall(team_run, team)

    def _profiled(self, original):
        def profiled(**kwargs):
            profiler = getattr(self.local, "profiler", None)
            if profiler is None:
                profiler = self.local.profiler = cProfile.Profile(time.thread_time)
                self.profilers.append(profiler)
            return profiler.runcall(original, **kwargs)

        return profiled

    def report(self, path: Path) -> None:
        import io
        import pstats

        if not self.profilers:
            return
        stream = io.StringIO()
        stats = pstats.Stats(self.profilers[0], stream=stream)
        for profiler in self.profilers[1:]:
            stats.add(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        if self.team.getstats():
            stream.write("\n\n==== the team's thread ====\n")
            pstats.Stats(self.team, stream=stream).sort_stats("cumulative").print_stats(40)
        path.write_text(stream.getvalue())
        say(f"engine step profile: {path}")


def drills_start(drill_ids: list[int], instructor, spread_s: float, driver: str, seconds: float) -> dict:
    """Starts every drill with its clock anchored a little in the future, spread over `spread_s`.

    The starts themselves take a while (each is a transaction and a first engine step); anchoring them
    after the last one keeps that setup out of the lateness, so the run measures drills that all began
    within `spread_s` of each other. Before its anchor a drill's clock stays at 0 (drills/clock.py).
    Returns the first anchor, the moment `seconds` after it, how long the starts took and how far they overran
    the first anchor.
    """
    from django.utils import timezone

    from drills.models import Drill
    from drills.services import drill_start

    began = time.monotonic()
    first = timezone.now() + timedelta(seconds=START_MARGIN_S + START_S_PER_DRILL[driver] * len(drill_ids))
    for index, pk in enumerate(drill_ids):
        at = first + timedelta(seconds=spread_s * index / len(drill_ids))
        drill_start(by=instructor, drill=Drill.objects.get(pk=pk), now=at)
    starting_s = time.monotonic() - began
    late_start_s = max((timezone.now() - first).total_seconds(), 0)
    if late_start_s:
        say(f"!! starting took {starting_s:.1f} s, past the first anchor: early drills begin late")
    stopped_at = first + timedelta(seconds=seconds)
    return {"started_at": first, "stopped_at": stopped_at, "starting_s": starting_s, "late_start_s": late_start_s}


class Window:
    """What a run cost from its creation to `close`: wall seconds, CPU seconds of this process plus `more_cpu()`
    (the Celery workers'), and the machine's busy CPU seconds (everybody's)."""

    def __init__(self, more_cpu=lambda: 0.0) -> None:
        self.more_cpu = more_cpu
        self.opened = (time.monotonic(), time.process_time() + more_cpu(), common.machine_cpu()[0])

    def close(self) -> dict:
        wall0, cpu0, machine0 = self.opened
        return {
            "wall_s": time.monotonic() - wall0,
            "cpu_s": time.process_time() + self.more_cpu() - cpu0,
            "machine_cpu_s": common.machine_cpu()[0] - machine0,
        }


def sleep_until(moment: datetime) -> float:
    return max((moment - datetime.now(UTC)).total_seconds(), 0)


def team_start(drill_ids: list[int], args, start: dict) -> engine_team.Team | None:
    """The drills' people (bench/engine_team.py), from now until the drills stop; None with `--no-team`."""
    if args.no_team:
        return None
    drafter, approver = engine_team.people(drill_ids[0])
    team = engine_team.Team(drill_ids, drafter, approver, time.monotonic() + sleep_until(start["stopped_at"]))
    team.start()
    return team


def team_stop(team: engine_team.Team | None) -> dict:
    if team is None:
        return {}
    team.join()
    return dict(team.done)


def run_inprocess(drill_ids: list[int], instructor, args, workdir: Path) -> dict:
    """The in-process driver in an event loop of its own, as in the ASGI server, for `--seconds` of drills."""
    from config.heap import settle
    from drills.driver import inprocess, serve_in_this_loop

    recorder = CommitRecorder()
    recorder.install()
    profiler = StepProfiler() if args.cprofile else None
    if profiler:
        profiler.install()
    settle()  # as the ASGI server does once started (config/asgi.py)
    start = drills_start(drill_ids, instructor, args.start_spread, args.driver, args.seconds)
    team = team_start(drill_ids, args, start)

    async def drive() -> None:
        await serve_in_this_loop()  # as the ASGI server does; wakes every running drill, as after a restart
        for pk in drill_ids:
            inprocess.wake(pk)
        await asyncio.sleep(sleep_until(start["stopped_at"]))
        await inprocess.stop()

    window = Window()
    asyncio.run(drive())  # returns once the engine steps still under way have finished
    cost = window.close()
    say(f"drivers stopped; {(datetime.now(UTC) - start['stopped_at']).total_seconds():.1f} s to finish the steps")
    if profiler:
        profiler.report(common.RESULTS_DIR / f"engine-profile-{common.stamp()}.txt")
    return {**start, **cost, "commits": recorder.batches, "team": team_stop(team)}


def run_celery(drill_ids: list[int], instructor, args, workdir: Path) -> dict:
    """Celery workers on a queue of their own; each drill start schedules its first task."""
    queue = os.environ["CELERY_QUEUE"]
    workers = common.celery_workers_start(dict(os.environ), workdir, count=args.workers, queue=queue)
    try:
        start = drills_start(drill_ids, instructor, args.start_spread, args.driver, args.seconds)
        team = team_start(drill_ids, args, start)
        window = Window(more_cpu=lambda: sum(common.proc_cpu_s(worker.pid) for worker in workers))
        time.sleep(sleep_until(start["stopped_at"]))
        cost = window.close()
        team_done = team_stop(team)
    finally:
        for worker in workers:
            common.stop(worker)
        common.celery_queue_drop(queue)
    return {**start, **cost, "commits": [], "team": team_done}
