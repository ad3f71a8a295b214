// The listening panel's pure numbers (frontend/static/frontend/js/listening.js), without a browser.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  Counters,
  Listening,
  MINUTE_MS,
  SENTIMENTS,
  SPARK_MINUTES,
  TOP_TERMS,
  WINDOW_MS,
} from "../../frontend/static/frontend/js/listening.js";

const post = (id, simMs, sentiment, text = "") => ({ kind: "inject.published", sim_ms: simMs, data: { id, sentiment, text } });

const engagement = (posts, replies = []) => ({ kind: "engagement", sim_ms: 0, data: { posts, replies } });
const published = (response, replyTo) => ({ kind: "response.published", sim_ms: 0, data: { response, reply_to: replyTo } });

function listening(frames, options) {
  const panel = new Listening(options);
  for (const frame of frames) panel.add(frame);
  return panel;
}

test("mentions are counted per simulated minute, the current minute last", () => {
  const panel = listening([post(1, 0, "negative"), post(2, 30_000, "neutral"), post(3, 2 * MINUTE_MS + 5, "negative")]);
  const counts = panel.perMinute(2 * MINUTE_MS + 10_000);
  assert.equal(counts.length, SPARK_MINUTES);
  assert.deepEqual(counts.slice(-3), [2, 0, 1]);
});

test("the sentiment share looks at the last five minutes only", () => {
  const panel = listening([
    post(1, 0, "positive"),
    post(2, 6 * MINUTE_MS, "negative"),
    post(3, 7 * MINUTE_MS, "negative"),
    post(4, 8 * MINUTE_MS, "neutral"),
    post(5, 8 * MINUTE_MS + 1, "negative"),
  ]);
  const shares = panel.shares(8 * MINUTE_MS + 1);
  assert.equal(shares.positive, 0);
  assert.ok(Math.abs(shares.negative - 0.75) < 1e-9 && Math.abs(shares.neutral - 0.25) < 1e-9);
  assert.deepEqual(listening([]).shares(0), { negative: 0, neutral: 0, positive: 0 });
});

test("the most repeated words and hashtags, in any script, handles and words said once left out", () => {
  const panel = listening([
    post(1, 0, "negative", "Outage again #ShopLineDown @shopline"),
    post(2, 1, "negative", "outage outage #shoplinedown @shopline"),
    post(3, 2, "negative", "תקלה תקלה במערכת #תקלה"),
  ]);
  const { words, hashtags } = panel.topTerms();
  assert.deepEqual(words, [{ term: "outage", count: 3 }, { term: "תקלה", count: 2 }]);
  assert.deepEqual(hashtags, [{ term: "#shoplinedown", count: 2 }]);
  assert.ok(!words.some((w) => w.term.startsWith("@")));
});

test("total views add the latest counters of every post and reply", () => {
  const panel = listening([
    engagement([{ inject: 1, likes: 0, shares: 0, views: 100 }, { inject: 2, likes: 0, shares: 0, views: 50 }]),
    engagement([{ inject: 1, likes: 1, shares: 0, views: 180 }], [{ response: 1, likes: 0, shares: 0, views: 7 }]),
  ]);
  assert.equal(panel.totalViews(), 237);
});

test("common words and the brand's own name are not topics", () => {
  const panel = listening(
    [
      post(1, 0, "negative", "This is just broken, ShopLine. Still broken with this app, just this ShopLine #ShopLine"),
      post(2, 1, "negative", "Encore cassé avec cette attente ? Encore ! Avec cette, vous êtes sérieux ? vous êtes"),
      post(3, 2, "negative", "אנחנו עדיין מחכים, תקלה, אנחנו עדיין #ShopLine"),
    ],
    { ignore: ["ShopLine"] },
  );
  const { words, hashtags } = panel.topTerms();
  assert.deepEqual(words, [{ term: "broken", count: 2 }]); // not this, just, still, with, shopline (twice each)
  assert.deepEqual(hashtags, [{ term: "#shopline", count: 2 }]); // a hashtag is a topic people chose
});

test("card counters: growth since the event before, and the reach of unanswered negative posts", () => {
  const counters = new Counters();
  counters.add(post(1, 0, "negative"));
  counters.add(post(2, 0, "negative"));
  counters.add(post(3, 0, "positive"));
  const first = counters.add(
    engagement([{ inject: 1, likes: 1, shares: 0, views: 100 }, { inject: 3, likes: 0, shares: 0, views: 40 }]),
  );
  assert.deepEqual(first[0], { kind: "post", id: 1, likes: 1, shares: 0, views: 100, growth: 0 });
  counters.add(engagement([{ inject: 2, likes: 0, shares: 0, views: 30 }]));
  assert.equal(counters.unansweredNegativeViews, 130); // the positive post does not count
  const [grown, reply] = counters.add(
    engagement([{ inject: 1, likes: 3, shares: 1, views: 160 }], [{ response: 9, likes: 0, shares: 0, views: 5 }]),
  );
  assert.equal(grown.growth, 60);
  assert.deepEqual(reply, { kind: "reply", id: 9, likes: 0, shares: 0, views: 5, growth: 0 });
  assert.equal(counters.unansweredNegativeViews, 190);
  counters.add(published(9, [1]));
  assert.equal(counters.unansweredNegativeViews, 30); // answered: its reach leaves the total, and stays out
  counters.add(engagement([{ inject: 1, likes: 3, shares: 1, views: 170 }]));
  assert.equal(counters.unansweredNegativeViews, 30);
  assert.equal(counters.totalViews, 170 + 30 + 40 + 5);
  assert.deepEqual(counters.add(post(4, 0, "neutral")), []);
});

test("a card that stopped growing loses its growth at the next engagement event", () => {
  const counters = new Counters();
  counters.add(engagement([{ inject: 1, likes: 0, shares: 0, views: 10 }, { inject: 2, likes: 0, shares: 0, views: 5 }]));
  const grew = counters.add(engagement([{ inject: 1, likes: 1, shares: 0, views: 30 }]));
  assert.deepEqual(grew, [{ kind: "post", id: 1, likes: 1, shares: 0, views: 30, growth: 20 }]);
  const next = counters.add(engagement([{ inject: 2, likes: 0, shares: 0, views: 9 }]));
  assert.deepEqual(next, [
    { kind: "post", id: 2, likes: 0, shares: 0, views: 9, growth: 4 },
    { kind: "post", id: 1, likes: 1, shares: 0, views: 30, growth: 0 }, // not in this event: it did not grow
  ]);
  assert.deepEqual(counters.add(engagement([{ inject: 2, likes: 0, shares: 0, views: 11 }])).length, 1);
});

// A long drill: 2,000 posts and 160 engagement events (a 40-minute drill) listing every post published so far. The
// running totals must give what a plain recount of all the frames gives.
test("many events: the running numbers equal a recount of the whole log", () => {
  const frames = [];
  const texts = ["Checkout broken again #down", "Refund please", "Thanks for the update #respect", "Still waiting"];
  for (let i = 0; i < 2000; i += 1) {
    const simMs = Math.floor((i * 40 * MINUTE_MS) / 2000) + (i % 7 === 0 ? -5000 : 0); // a few out of order
    frames.push(post(i, Math.max(simMs, 0), SENTIMENTS[i % 3], `${texts[i % 4]} word${i % 50}`));
    if (i % 13 === 0) frames.push(published(10_000 + i, [i]));
    if (i % 12 === 11) {
      const entries = Array.from({ length: i + 1 }, (_, id) => ({ inject: id, likes: 0, shares: 0, views: id + i }));
      frames.push(engagement(entries));
    }
  }
  const panel = listening(frames);
  const counters = new Counters();
  for (const frame of frames) counters.add(frame);

  const posts = frames.filter((frame) => frame.kind === "inject.published");
  const nowMs = 33 * MINUTE_MS + 1234;
  const recent = posts.filter((frame) => frame.sim_ms > nowMs - WINDOW_MS && frame.sim_ms <= nowMs);
  for (const name of SENTIMENTS) {
    const expected = recent.filter((frame) => frame.data.sentiment === name).length / recent.length;
    assert.ok(Math.abs(panel.shares(nowMs)[name] - expected) < 1e-9, name);
  }
  const minute = (frame) => Math.floor(frame.sim_ms / MINUTE_MS);
  const expectedMinutes = Array.from({ length: SPARK_MINUTES }, (_, i) => 33 - SPARK_MINUTES + 1 + i).map(
    (m) => posts.filter((frame) => minute(frame) === m).length,
  );
  assert.deepEqual(panel.perMinute(nowMs), expectedMinutes);

  const latest = new Map();
  for (const frame of frames.filter((f) => f.kind === "engagement")) {
    for (const entry of frame.data.posts) latest.set(entry.inject, entry.views);
  }
  const total = [...latest.values()].reduce((sum, views) => sum + views, 0);
  assert.equal(panel.totalViews(), total);
  const answered = new Set(frames.filter((f) => f.kind === "response.published").flatMap((f) => f.data.reply_to));
  const negative = posts.filter((frame) => frame.data.sentiment === "negative" && !answered.has(frame.data.id));
  assert.equal(counters.unansweredNegativeViews, negative.reduce((sum, f) => sum + (latest.get(f.data.id) || 0), 0));

  const { words, hashtags } = panel.topTerms();
  assert.equal(words.length, TOP_TERMS);
  assert.deepEqual(words.slice(0, 3), [
    { term: "broken", count: 500 },
    { term: "checkout", count: 500 },
    { term: "please", count: 500 },
  ]);
  assert.deepEqual(hashtags, [{ term: "#down", count: 500 }, { term: "#respect", count: 500 }]);
});
