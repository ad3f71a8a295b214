// The listening panel's pure numbers (frontend/static/frontend/js/listening.js), without a browser.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Listening, MINUTE_MS, SPARK_MINUTES } from "../../frontend/static/frontend/js/listening.js";

const post = (id, simMs, sentiment, text = "") => ({ kind: "inject.published", sim_ms: simMs, data: { id, sentiment, text } });

function listening(frames) {
  const panel = new Listening();
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

test("the most repeated words and hashtags, in any script, handles left out", () => {
  const panel = listening([
    post(1, 0, "negative", "Outage again #ShopLineDown @shopline"),
    post(2, 1, "negative", "outage outage #shoplinedown"),
    post(3, 2, "negative", "תקלה תקלה במערכת #תקלה"),
  ]);
  const { words, hashtags } = panel.topTerms();
  assert.deepEqual(words.slice(0, 2), [{ term: "outage", count: 3 }, { term: "תקלה", count: 2 }]);
  assert.deepEqual(hashtags, [{ term: "#shoplinedown", count: 2 }, { term: "#תקלה", count: 1 }]);
  assert.ok(!words.some((w) => w.term.startsWith("@")));
});

test("total views add the latest counters of every post and reply", () => {
  const engagement = (posts, replies = []) => ({ kind: "engagement", sim_ms: 0, data: { posts, replies } });
  const panel = listening([
    engagement([{ inject: 1, likes: 0, shares: 0, views: 100 }, { inject: 2, likes: 0, shares: 0, views: 50 }]),
    engagement([{ inject: 1, likes: 1, shares: 0, views: 180 }], [{ response: 1, likes: 0, shares: 0, views: 7 }]),
  ]);
  assert.equal(panel.totalViews(), 237);
});
