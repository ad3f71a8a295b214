"""The engagement model (PROTOCOL section 1.4), pure: counters grow, never fall, stay bounded, slow after an
answer, and the engagement events of a log do not depend on when the engine wakes."""

import dataclasses
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drills.engagement import (
    MAX_VIEWS,
    POST,
    REPLY,
    TICK_MS,
    ZERO,
    Post,
    PostFold,
    counters,
    engagement_due,
    reach,
)
from drills.log import INJECT_PUBLISHED, RESPONSE_PUBLISHED, LoggedEvent
from scenarios.spec import SENTIMENTS

MINUTE = 60_000
SEED = 7


def post(**changes) -> Post:
    fields = {
        "kind": POST,
        "ref": 1,
        "name": "complaint:None",
        "published_ms": MINUTE,
        "followers": 5_000,
        "severity": 3,
        "sentiment": "negative",
        "heat": 40.0,
        "answered_ms": None,
    }
    return Post(**(fields | changes))


posts = st.builds(
    Post,
    kind=st.sampled_from([POST, REPLY]),
    ref=st.integers(1, 50),
    name=st.sampled_from(["complaint:None", "pile-on:3", "0", "1"]),
    published_ms=st.integers(0, 30 * MINUTE),
    followers=st.integers(0, 10_000_000),
    severity=st.integers(1, 5),
    sentiment=st.sampled_from(SENTIMENTS),
    heat=st.floats(0, 100),
    answered_ms=st.none() | st.integers(0, 60 * MINUTE),
)


def test_nothing_before_it_is_published_then_it_grows():
    assert counters(SEED, post(), MINUTE) == ZERO
    early, later = counters(SEED, post(), 2 * MINUTE), counters(SEED, post(), 10 * MINUTE)
    assert 0 < early.views < later.views
    assert early.likes <= later.likes and early.shares <= later.shares and later.likes > 0


@settings(max_examples=200)
@given(post=posts, times=st.lists(st.integers(0, 120 * MINUTE), min_size=2, max_size=10))
def test_counters_never_fall_and_stay_under_the_post_s_reach(post, times):
    seen = [counters(SEED, post, t) for t in sorted(times)]
    for before, after in itertools.pairwise(seen):
        assert before.views <= after.views and before.likes <= after.likes and before.shares <= after.shares
    assert all(c.views <= reach(SEED, post) <= MAX_VIEWS and c.likes <= c.views for c in seen)


def test_an_answered_post_grows_more_slowly_from_its_answer():
    answered = post(answered_ms=3 * MINUTE)
    assert counters(SEED, answered, 3 * MINUTE) == counters(SEED, post(), 3 * MINUTE)
    unanswered_gain = counters(SEED, post(), 6 * MINUTE).views - counters(SEED, post(), 3 * MINUTE).views
    answered_gain = counters(SEED, answered, 6 * MINUTE).views - counters(SEED, answered, 3 * MINUTE).views
    assert 0 < answered_gain < unanswered_gain / 2


@pytest.mark.parametrize(
    ("louder", "quieter"),
    [
        ({"followers": 50_000}, {"followers": 500}),
        ({"severity": 5}, {"severity": 1}),
        ({"sentiment": "negative"}, {"sentiment": "positive"}),
        ({"heat": 90.0}, {"heat": 0.0}),
    ],
)
def test_big_accounts_severe_news_bad_news_and_a_hot_crisis_spread_further(louder, quieter):
    at = 5 * MINUTE
    assert counters(SEED, post(**louder), at).views > counters(SEED, post(**quieter), at).views


def test_the_seed_spreads_equal_posts_and_the_same_seed_gives_the_same_numbers():
    assert counters(SEED, post(), 5 * MINUTE) == counters(SEED, post(), 5 * MINUTE)
    assert len({counters(seed, post(), 5 * MINUTE).views for seed in range(10)}) > 5
    assert counters(SEED, post(name="other:None"), 5 * MINUTE) != counters(SEED, post(), 5 * MINUTE)


def test_an_event_lists_only_what_changed_in_the_protocol_s_shape():
    reply = post(kind=REPLY, ref=9, name="0", published_ms=2 * MINUTE, followers=0, severity=1, sentiment="neutral")
    later = post(ref=2, name="later:None", published_ms=10 * MINUTE)

    data = engagement_due(SEED, [post(), reply, later], done_ms=2 * MINUTE, now_ms=2 * MINUTE + TICK_MS + 5)

    views = counters(SEED, post(), 2 * MINUTE + TICK_MS).views
    assert data["posts"] == [{"inject": 1, "likes": int(views * 0.03), "shares": int(views * 0.02), "views": views}]
    assert [entry["response"] for entry in data["replies"]] == [9]
    assert set(data["replies"][0]) == {"response", "likes", "shares", "views"}


def test_nothing_is_sent_when_nothing_changed_or_no_boundary_passed():
    assert engagement_due(SEED, [post(published_ms=10 * MINUTE)], done_ms=0, now_ms=5 * MINUTE) is None
    assert engagement_due(SEED, [post()], done_ms=2 * MINUTE, now_ms=2 * MINUTE + TICK_MS - 1) is None


def test_a_late_engine_sends_one_event_with_the_counters_of_the_last_boundary_it_passed():
    data = engagement_due(SEED, [post()], done_ms=2 * MINUTE, now_ms=6 * MINUTE + 7)

    views = counters(SEED, post(), 6 * MINUTE).views
    assert data["posts"] == [{"inject": 1, "likes": int(views * 0.03), "shares": int(views * 0.02), "views": views}]


def told(events: list[tuple[int, dict]]) -> dict[tuple[str, int], tuple[int, int, int]]:
    """What a client holds after folding `events`: each post's and reply's latest counters."""
    state = {}
    for _, data in events:
        for entry in data["posts"]:
            state[(POST, entry["inject"])] = (entry["likes"], entry["shares"], entry["views"])
        for entry in data["replies"]:
            state[(REPLY, entry["response"])] = (entry["likes"], entry["shares"], entry["views"])
    return state


@settings(max_examples=100)
@given(
    posts=st.lists(posts, max_size=6, unique_by=lambda post: (post.kind, post.ref)),
    wakes=st.lists(st.integers(0, 20 * MINUTE), min_size=1, max_size=30),
)
def test_however_the_engine_wakes_each_event_tells_the_counters_of_its_boundary(posts, wakes):
    done, events = -1, []
    for now in sorted(wakes):
        if (data := engagement_due(SEED, posts, done_ms=done, now_ms=now)) is not None:
            events.append((now, data))
            done = now
        # Whatever was skipped, the client now holds every post's counters at the last boundary passed.
        boundary = now // TICK_MS * TICK_MS
        expected = {
            (p.kind, p.ref): dataclasses.astuple(counters(SEED, p, boundary))
            for p in posts
            if counters(SEED, p, boundary) != ZERO
        }
        assert told(events) == expected
    windows = [now // TICK_MS for now, _ in events]
    assert len(windows) == len(set(windows))  # at most one per 15 s window


def published(inject_id: int, at_ms: int) -> LoggedEvent:
    data = {"id": inject_id, "key": f"k{inject_id}", "burst_index": None, "severity": 2, "persona": {"followers": 90}}
    return LoggedEvent(inject_id, INJECT_PUBLISHED, at_ms, data)


def test_a_kept_growth_is_never_another_posts_even_when_their_ids_are_the_same(monkeypatch):
    # The engine keeps each post's Growth between steps by the post's id; a freed post's id can be a new post's.
    from drills import engagement

    fold = PostFold()
    fold.fold(published(1, MINUTE))
    fold.growths(SEED)
    fold.fold(LoggedEvent(2, RESPONSE_PUBLISHED, 2 * MINUTE, {"response": 9, "reply_to": [1]}))
    monkeypatch.setattr(engagement, "id", lambda post: 0, raising=False)  # every post takes the same id
    for inject_id in range(3, 6):
        fold.fold(published(inject_id, 3 * MINUTE))

    assert [growth.post for growth in fold.growths(SEED)] == fold.posts()
