"""Engagement (PROTOCOL section 1.4): the likes, shares and views of every published post and reply.

A pure function of the drill's seed and of what the log says about each post (its persona's followers, severity,
sentiment, the heat when it landed, when it was answered) and the simulated time. Counters are read at the
15-second boundaries of simulated time only, so the engine's waking moments never change a number: what the
log tells of a post at a boundary is the same however the engine woke. No database here; the engine gives it
the posts it already knows.
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass, field, replace

from drills.log import HEAT, INJECT_PUBLISHED, RESPONSE_PUBLISHED, LoggedEvent, engagement_data
from scenarios.spec import NEGATIVE, NEUTRAL, POSITIVE

# At most one engagement event per 15 simulated seconds per drill: counters are read at these boundaries only.
TICK_MS = 15_000
# A cold, unanswered post reaches about 63% of its audience in this much simulated time; heat 100 makes it 3x faster.
GROWTH_MS = 10 * 60_000
HEAT_SPEEDUP = 2.0
# An answered post keeps growing, at this fraction of its pace: the brand's reply takes the air out of it.
ANSWERED_PACE = 0.25
# Views a post from an account with no followers still gets (search, trending pages), per point of severity.
BASE_VIEWS_PER_SEVERITY = 150
# Bad news travels further; praise is liked more than it is shared.
REACH = {NEGATIVE: 1.5, NEUTRAL: 1.0, POSITIVE: 0.8}
LIKES_PER_VIEW = {NEGATIVE: 0.03, NEUTRAL: 0.05, POSITIVE: 0.08}
SHARES_PER_VIEW = {NEGATIVE: 0.02, NEUTRAL: 0.008, POSITIVE: 0.01}
# The seed's spread between two otherwise equal posts, and the ceiling that keeps every counter bounded.
SPREAD = 0.4
MAX_VIEWS = 50_000_000
POST, REPLY = "post", "reply"


@dataclass(frozen=True, slots=True)
class Post:
    """A published post (an inject) or reply as the log tells it; `ref` is its inject or response id."""

    kind: str  # POST or REPLY
    ref: int
    name: str  # what the seed draws on: the same in every drill of the scenario (ids differ between drills)
    published_ms: int
    followers: int
    severity: int
    sentiment: str
    heat: float  # the drill's heat (0..100) when it was published
    answered_ms: int | None = None  # when the team's reply to it was published; None while unanswered


@dataclass(frozen=True, slots=True)
class Counters:
    likes: int
    shares: int
    views: int


ZERO = Counters(0, 0, 0)


def counters(seed: int, post: Post, at_ms: int) -> Counters:
    """The post's counters at simulated time `at_ms`: never falling as time goes on, never above its reach."""
    return Growth.of(seed, post).at(at_ms)


def reach(seed: int, post: Post) -> int:
    """How many views the post tends to: its audience, made larger by severity and bad news, spread by the seed."""
    audience = max(post.followers, 0) + BASE_VIEWS_PER_SEVERITY * post.severity
    return min(int(audience * REACH[post.sentiment] * (1 + post.severity / 5) * _draw(seed, post)), MAX_VIEWS)


@dataclass(frozen=True, slots=True)
class Growth:
    """A post's counters as a function of time, with what does not depend on time worked out once: the engine
    reads every post at every boundary, so this is its busiest arithmetic."""

    post: Post
    reach: int
    rate: float  # per simulated ms
    likes_per_view: float
    shares_per_view: float

    @classmethod
    @functools.lru_cache(maxsize=50_000)  # a post keeps its growth from one step to the next (same seed and Post)
    def of(cls, seed: int, post: Post) -> Growth:
        rate = (1 + HEAT_SPEEDUP * min(max(post.heat, 0), 100) / 100) / GROWTH_MS
        sentiment = post.sentiment
        return cls(post, reach(seed, post), rate, LIKES_PER_VIEW[sentiment], SHARES_PER_VIEW[sentiment])

    def at(self, at_ms: int) -> Counters:
        paced_ms = _paced_ms(self.post, at_ms)
        if paced_ms <= 0:
            return ZERO
        views = int(self.reach * (1 - math.exp(-self.rate * paced_ms)))
        return Counters(int(views * self.likes_per_view), int(views * self.shares_per_view), views)


def _paced_ms(post: Post, at_ms: int) -> float:
    """The post's growth time: full pace until it is answered, ANSWERED_PACE after."""
    if post.answered_ms is None or at_ms <= post.answered_ms:
        return at_ms - post.published_ms
    before = max(post.answered_ms - post.published_ms, 0)
    return before + ANSWERED_PACE * (at_ms - max(post.answered_ms, post.published_ms))


def _draw(seed: int, post: Post) -> float:
    """A factor in 1 +/- SPREAD/2, fixed by the seed and the post (a hash: no shared random state to advance)."""
    digest = hashlib.blake2b(f"{seed}:{post.kind}:{post.name}".encode(), digest_size=8).digest()
    return 1 - SPREAD / 2 + SPREAD * int.from_bytes(digest, "big") / 2**64


def tick_of(sim_ms: int) -> int:
    """The last boundary at or before `sim_ms`."""
    return sim_ms // TICK_MS * TICK_MS


def engagement_due(seed: int, posts: list[Post], done_ms: int, now_ms: int) -> dict | None:
    """The `engagement` event's data at the last boundary at or before `now_ms`, if that is after `done_ms` (the
    boundary the last event told): every post and reply whose counters changed since then. One event however
    many boundaries a late engine passed, so there is never more than one per 15 s; None when nothing changed."""
    return growths_due([Growth.of(seed, post) for post in posts], done_ms, now_ms)


def growths_due(growths: list[Growth], done_ms: int, now_ms: int) -> dict | None:
    """`engagement_due` of posts whose growth is already worked out (the engine keeps them: `PostFold.growths`)."""
    boundary, told_ms = tick_of(now_ms), tick_of(done_ms)
    if boundary <= told_ms:
        return None
    changed = []
    for growth in growths:
        post = growth.post
        if post.published_ms > boundary:
            continue
        now = growth.at(boundary)
        if now != growth.at(told_ms):
            changed.append((post.kind == REPLY, post.ref, now))
    return engagement_data(changed) if changed else None


@dataclass(slots=True)
class PostFold:
    """The published posts and replies a log tells of, folded one event at a time (the engine folds only what was
    appended since its last step): each post with the heat last sent before it and the moment its first reply was
    published; a reply reaches the audience of the largest post it answers. Posts the database has not numbered yet
    (published by the running call, so at its moment) have no counters."""

    heat: float = 0.0
    by_id: dict[int, Post] = field(default_factory=dict)
    replies: list[Post] = field(default_factory=list)
    # (seed, id of a post) -> (the post, its Growth), for `growths`: a post keeps its Growth from step to step until
    # a reply replaces the post. Checked by identity: a Growth from the shared cache may hold an equal post of another
    # drill, and a freed post's id can be a new post's (hypothesis found a reply's counters on the wrong post).
    known: dict[tuple[int, int], tuple[Post, Growth]] = field(default_factory=dict, compare=False, repr=False)

    def copy(self) -> PostFold:
        return PostFold(self.heat, dict(self.by_id), list(self.replies), dict(self.known))

    def growths(self, seed: int) -> list[Growth]:
        """Every post's and reply's Growth (`posts`), worked out once per post (and again once it is answered)."""
        growths = []
        for post in self.posts():
            known = self.known.get((seed, id(post)))
            if known is None or known[0] is not post:
                known = self.known[(seed, id(post))] = (post, Growth.of(seed, post))
            growths.append(known[1])
        return growths

    def fold(self, event: LoggedEvent) -> None:
        data = event.data
        if event.kind == HEAT:
            self.heat = float(data.get("heat") or 0)
        elif event.kind == INJECT_PUBLISHED and data.get("id") is not None:
            self.by_id[data["id"]] = Post(
                kind=POST,
                ref=data["id"],
                name=f"{data.get('key')}:{data.get('burst_index')}",
                published_ms=event.sim_ms,
                followers=int((data.get("persona") or {}).get("followers") or 0),
                severity=int(data.get("severity") or 1),
                sentiment=data.get("sentiment") or NEUTRAL,
                heat=self.heat,
            )
        elif event.kind == RESPONSE_PUBLISHED:
            self._reply(event)

    def _reply(self, event: LoggedEvent) -> None:
        answered = [self.by_id[ref] for ref in event.data.get("reply_to") or () if ref in self.by_id]
        for post in answered:
            if post.answered_ms is None:
                self.by_id[post.ref] = replace(post, answered_ms=event.sim_ms)
        followers = max((post.followers for post in answered), default=0)
        name = str(len(self.replies))  # its rank among the drill's published replies
        self.replies.append(Post(REPLY, event.data["response"], name, event.sim_ms, followers, 1, NEUTRAL, self.heat))

    def posts(self) -> list[Post]:
        return [*self.by_id.values(), *self.replies]


def before_first_post_ms(posts: list[Post]) -> int:
    """The boundary before the first post: where the first engagement event counts from."""
    return tick_of(min((post.published_ms for post in posts), default=0)) - TICK_MS
