"""The targets bench/room.py judges a room by, and how a miss is said (by how much)."""

from __future__ import annotations

from bench import common
from bench.room_clients import WAIT_S

# Burst p99 of a single room, by its size: up to 50 clients (issue 6), up to 1,000 (issue 18); none above.
TARGET_BURST_P99_MS = {50: 100.0, 1000: 250.0}
TARGET_FANOUT_RATIO = 0.6
TARGET_FANOUT_RATIO_BALANCED = 0.8  # several servers behind nginx, the bare consumer through the same nginx
TARGET_STORM_S = 5.0
TARGET_REPLAY_S = 0.5


def burst_target_ms(drills: int, clients: int) -> float | None:
    if drills != 1:
        return None
    return next((ms for size, ms in sorted(TARGET_BURST_P99_MS.items()) if clients <= size), None)


def judged_room(row: dict) -> dict:
    """The burst latency target is stated for single rooms (by size); the others apply to every layout, the
    fan-out ratio higher through the balancer. Each miss says by how much."""
    misses = []
    burst_ms = burst_target_ms(row["drills"], row["clients"])
    if burst_ms is not None and (row["burst_p99_ms"] is None or row["burst_p99_ms"] >= burst_ms):
        said = f"burst p99 {common.fmt(row['burst_p99_ms'])} ms, target under {burst_ms:g} ms"
        misses.append(said + over(row["burst_p99_ms"], burst_ms))
    ratio = TARGET_FANOUT_RATIO_BALANCED if row["servers"] > 1 else TARGET_FANOUT_RATIO
    if row["fanout_ratio"] is None and row["fanout_bare"]["incomplete_rounds"] and row["fanout_ours_per_s"]:
        rounds = row["fanout_bare"]["incomplete_rounds"]
        said = (
            f"fan-out ratio not measured: in {rounds} round(s) the bare baseline took over {WAIT_S:g} s (ours did not)"
        )
        misses.append(said)
    elif row["fanout_ratio"] is None or row["fanout_ratio"] < ratio:
        misses.append(f"fan-out {common.fmt(row['fanout_ratio'], 2)} of bare, target at least {ratio}")
    if row["storm_max_s"] is None or row["storm_max_s"] >= TARGET_STORM_S:
        misses.append(
            f"storm catch-up max {common.fmt(row['storm_max_s'], 2)} s, target under {TARGET_STORM_S:g} s"
            + over(row["storm_max_s"], TARGET_STORM_S)
        )
    if not row["exactly_once"]:
        misses.append(f"{row['clients_missing_events']} clients missed events (exactly once)")
    return {**row, "misses": misses, "targets_met": not misses}


def over(value: float | None, target: float) -> str:
    """`: N% over` for a measured value above its target."""
    return f": {(value / target - 1) * 100:.0f}% over" if value is not None and value >= target else ""
