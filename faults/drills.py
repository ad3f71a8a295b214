"""The drills of a fault: created and started through the REST API as an instructor would, and read back from
the log in the database afterwards (plain SQL: the suite's own process never loads Django).

Checks of the log (`log_check`): seqs 1..N with no gap, no inject key (and burst index) published twice, and
`drill.finished` within a bound of the scenario's end. Lateness is the engine's own measure, from the log:
(sim_ms - planned_ms) / speed, in wall ms, for every scripted inject.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import psycopg

from bench.room_clients import USERS, Http
from faults.cluster import DATABASE_URL

SPEED = 100.0
COPY_PREFIX = "Fault suite copy"
TAIL_MS = 5 * 60_000  # short drills go on this long after their last scripted item (3 s of wall time)
# ... and with `longer`, this long (9 s): a rolling restart (two servers stopped and started again in turn) ends
# before the drills do, so that their logs still take the presence it would get wrong.
LONGER_TAIL_MS = 15 * 60_000
DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
CLOCK = re.compile(r"^(\d+):(\d\d):(\d\d)$")


@dataclass
class DrillPlan:
    id: int
    duration_ms: int
    broken: bool = False  # its stored version is corrupted once it runs: every engine step of it raises


def duration_ms(text) -> int:
    """A scenario duration (`45s`, `5m`, `1h30m`, `90` or `0:05:00`, PROTOCOL.md section 1) in ms."""
    text = str(text)
    if text.isdigit():
        return int(text) * 1000
    match = DURATION.match(text) or CLOCK.match(text)
    if not match or not any(match.groups()):
        raise ValueError(f"duration {text!r} is not one PROTOCOL.md section 1 allows")
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return (hours * 3600 + minutes * 60 + seconds) * 1000


async def scenarios(http: Http) -> list[dict]:
    """The demo organization's published scenarios, shortest first, each with its document."""
    listed = await http.call("GET", "/scenarios/", user="instructor")
    listed = listed["results"] if isinstance(listed, dict) else listed
    published = [s for s in listed if s.get("published_version") and not s["title"].startswith(COPY_PREFIX)]
    if not published:
        raise SystemExit("the demo organization has no published scenario: is the demo seeded?")
    documents = [await http.call("GET", f"/scenarios/{s['id']}/", user="instructor") for s in published]
    return sorted(documents, key=lambda d: (duration_ms(d["spec"]["duration"]), d["id"]))


async def drills_create(http: Http, count: int, *, broken: bool, short: bool, longer: bool = False) -> list[DrillPlan]:
    """`count` drills cycling through the demo scenarios, plus one more whose version is its own (a copy) when
    `broken`: that one's version is corrupted once it runs (`break_version`). `short`: every drill plays a copy of
    the shortest scenario that ends TAIL_MS after its last scripted item (the quiet end of a demo script is most
    of its length, and the short suite runs each fault in a few seconds of drill), or LONGER_TAIL_MS with
    `longer`."""
    members = await http.call("GET", "/members/", user="instructor")
    members = members["results"] if isinstance(members, dict) else members
    ids = {m["username"]: m["id"] for m in members}
    documents = await scenarios(http)
    if short:
        tail_ms = LONGER_TAIL_MS if longer else TAIL_MS
        spec = {**documents[0]["spec"], "duration": f"{(_scripted_end_ms(documents[0]['spec']) + tail_ms) // 1000}s"}
        documents = [{"spec": spec, "version": await _published_copy(http, spec)}]
    plans = []
    for index in range(count):
        document = documents[index % len(documents)]
        source = {"version": document["version"]} if "version" in document else {"scenario": document["id"]}
        plans.append(await _drill(http, ids, document["spec"], source))
    if broken:
        spec = documents[0]["spec"]
        plan = await _drill(http, ids, spec, {"version": await _published_copy(http, spec)})
        plan.broken = True
        plans.append(plan)
    return plans


async def _published_copy(http: Http, spec: dict) -> int:
    """The version id of a new scenario with this document under a title of its own, published."""
    spec = {**spec, "title": f"{COPY_PREFIX} {uuid.uuid4().hex[:8]}"}
    copy = await http.call("POST", "/scenarios/", user="instructor", body={"spec": spec})
    return (await http.call("POST", f"/scenarios/{copy['id']}/publish/", user="instructor"))["id"]


def _scripted_end_ms(spec: dict) -> int:
    """When the last timed inject (burst included) of the document is due; conditions are left out."""
    ends = [duration_ms(i["at"]) + duration_ms(i.get("burst", {}).get("over", 0)) for i in spec["injects"] if "at" in i]
    return max(ends, default=0)


async def _drill(http: Http, ids: dict[str, int], spec: dict, source: dict) -> DrillPlan:
    """A participant drafts, bots hold the later chain roles, everybody else of USERS watches (so every
    user of bench.room_clients may connect)."""
    roles = [step["role"] for step in spec["approval_chain"]]
    seats = [{"user": ids["alice"], "role": roles[0]}]
    seats += [{"user": ids[u], "role": "observer"} for u in USERS if u not in ("instructor", "alice")]
    body = {**source, "speed": SPEED, "seats": seats, "bots": roles[1:], "title": "Fault suite drill"}
    drill = await http.call("POST", "/drills/", user="instructor", body=body)
    return DrillPlan(drill["id"], duration_ms(spec["duration"]))


async def drills_start(http: Http, plans: list[DrillPlan]) -> None:
    for plan in plans:
        await http.call("POST", f"/drills/{plan.id}/start/", user="instructor")


def break_version(plan: DrillPlan) -> None:
    """Corrupts the drill's own stored version: the next engine step that reads it raises (a new checksum, so
    no process keeps the parsed version it had cached)."""
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute(
            'update scenarios_scenarioversion set spec = \'{"format": "broken"}\', checksum = %s'
            " where id = (select version_id from drills_drill where id = %s)",
            [uuid.uuid4().hex, plan.id],
        )


def forget_drills() -> None:
    """Earlier runs' drills (a broken one keeps running forever otherwise) and scenario copies go."""
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("truncate table drills_drill cascade")
        copies = f"select id from scenarios_scenario where title like '{COPY_PREFIX} %%'"
        conn.execute(f"delete from scenarios_scenarioversion where scenario_id in ({copies})")
        conn.execute(f"delete from scenarios_scenario where id in ({copies})")


def drill_seqs(ids: list[int]) -> dict[int, tuple[int, str]]:
    """(seq, status) of each drill now."""
    with psycopg.connect(DATABASE_URL) as conn:
        rows = conn.execute("select id, seq, status from drills_drill where id = any(%s)", [ids]).fetchall()
    return {drill_id: (seq, status) for drill_id, seq, status in rows}


def presence_counts(ids: list[int]) -> dict[int, dict[str, int]]:
    """Per drill, how many seat.joined and seat.left its log has now."""
    with psycopg.connect(DATABASE_URL) as conn:
        rows = conn.execute(
            "select drill_id, kind, count(*) from drills_drillevent where drill_id = any(%s)"
            " and kind in ('seat.joined', 'seat.left') group by drill_id, kind",
            [ids],
        ).fetchall()
    counts = {drill_id: {"joined": 0, "left": 0} for drill_id in ids}
    for drill_id, kind, count in rows:
        counts[drill_id][kind.removeprefix("seat.")] = count
    return counts


def log_check(plan: DrillPlan, *, finish_bound_s: float) -> dict:
    """What the drill's log shows: problems (a list of sentences), lateness of its injects, its end."""
    with psycopg.connect(DATABASE_URL) as conn:
        events = conn.execute(
            "select seq, kind, sim_ms, data from drills_drillevent where drill_id = %s order by seq", [plan.id]
        ).fetchall()
        speed, status = conn.execute("select speed, status from drills_drill where id = %s", [plan.id]).fetchone()
    problems = []
    seqs = [e[0] for e in events]
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append(f"drill {plan.id}: seqs are not 1..{len(seqs)} without a gap")
    keys = [(d.get("key"), d.get("burst_index")) for _, kind, _, d in events if kind == "inject.published"]
    twice = len(keys) - len(set(keys))
    if twice:
        problems.append(f"drill {plan.id}: {twice} inject(s) published twice")
    late_ms = [(sim - d["planned_ms"]) / speed for _, kind, sim, d in events if _scripted(kind, d)]
    finished = [sim for _, kind, sim, _ in events if kind == "drill.finished"]
    finish_late_s = (finished[0] - plan.duration_ms) / speed / 1000 if finished else None
    if not plan.broken and (finish_late_s is None or finish_late_s > finish_bound_s):
        shown = "never" if finish_late_s is None else f"{finish_late_s:.1f} s late"
        problems.append(f"drill {plan.id}: finished {shown} (bound {finish_bound_s:g} s; status {status})")
    return {"final_seq": len(seqs), "problems": problems, "late_ms": late_ms, "finish_late_s": finish_late_s}


def _scripted(kind: str, data: dict) -> bool:
    return kind == "inject.published" and data.get("planned_ms") is not None and not data.get("manual")
