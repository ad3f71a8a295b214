// The pure reducer of frontend/static/frontend/js/drill-state.js, without a browser: run by
// tests/frontend/test_js_units.py (`node --test tests/js/`).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  applyEvent,
  applyResponse,
  countAt,
  emptyState,
  feedFrames,
  Timeline,
} from "../../frontend/static/frontend/js/drill-state.js";
import { foldCounts } from "../../frontend/static/frontend/js/listening.js";

let seq = 0;
const ev = (kind, sim_ms, data = {}) => ({ seq: ++seq, kind, sim_ms, data });
const post = (id, ms) => ev("inject.published", ms, { id, platform: "x", text: `post ${id}`, requires_response: true });

function sampleLog() {
  seq = 0;
  return [
    ev("drill.started", 0),
    post(1, 1000),
    ev("heat", 1000, { heat: 20 }),
    ev("response.drafted", 2000, { response: 7, author: 3, author_name: "alice", reply_to: [1], text: "v1" }),
    ev("response.submitted", 3000, { response: 7, step: 1 }),
    ev("approval.rejected", 4000, { response: 7, step: 1, role: "legal", by: 4, comment: "no" }),
    ev("response.edited", 5000, { response: 7, text: "v2" }),
    ev("response.submitted", 6000, { response: 7, step: 1 }),
    ev("approval.approved", 7000, { response: 7, step: 1, role: "legal", by: 4, comment: "" }),
    ev("team.message", 7500, { id: 1, by: 3, by_name: "alice", text: "@bob look" }),
    ev("response.published", 8000, { response: 7, reply_to: [1], text: "v2", platform: "x" }),
    post(2, 9000),
    ev("heat", 9000, { heat: 55 }),
    ev("drill.finished", 10000),
  ];
}

test("a reply walks the chain: pending, sent back, edited, pending at the next step, published", () => {
  const responses = new Map();
  const log = sampleLog();
  const states = log.map((frame) => {
    applyResponse(responses, frame, 3);
    const r = responses.get(7);
    return r && `${r.status}@${r.step}`;
  });
  assert.deepEqual(states.slice(3, 11), [
    "draft@0",
    "pending@1",
    "changes_requested@0",
    "changes_requested@0",
    "pending@1",
    "pending@2",
    "pending@2",
    "published@0",
  ]);
  assert.equal(responses.get(7).text, "v2");
  assert.equal(responses.get(7).reachedMs, 7000);
  assert.equal(responses.get(7).publishedMs, 8000);
});

test("approval at the last step leaves the step alone (publication follows)", () => {
  const responses = new Map();
  applyResponse(responses, { kind: "response.drafted", sim_ms: 0, data: { response: 1, reply_to: [] } }, 2);
  applyResponse(responses, { kind: "response.submitted", sim_ms: 5, data: { response: 1, step: 1 } }, 2);
  applyResponse(responses, { kind: "approval.approved", sim_ms: 9, data: { response: 1, step: 1 } }, 2);
  assert.equal(responses.get(1).step, 1);
  assert.equal(responses.get(1).reachedMs, 5);
});

test("events that are not about replies are not applied to them", () => {
  const responses = new Map();
  assert.equal(applyResponse(responses, { kind: "heat", sim_ms: 0, data: { heat: 3 } }, 2), false);
  assert.equal(responses.size, 0);
});

test("the state collects posts, replies, messages, heat and status in log order", () => {
  const state = sampleLog().reduce((s, frame) => applyEvent(s, frame, 3), emptyState());
  assert.deepEqual(
    state.posts.map((p) => p.data.id),
    [1, 2],
  );
  assert.equal(state.replies.length, 1);
  assert.equal(state.messages[0].data.text, "@bob look");
  assert.equal(state.heat, 55);
  assert.equal(state.status, "finished");
  assert.equal(state.seq, 14);
});

test("countAt counts the events at or before a moment", () => {
  const log = sampleLog();
  assert.equal(countAt(log, -1), 0);
  assert.equal(countAt(log, 0), 1);
  assert.equal(countAt(log, 1000), 3);
  assert.equal(countAt(log, 8999), 11);
  assert.equal(countAt(log, 99999), log.length);
});

function summary(state) {
  const r = state.responses.get(7);
  return { posts: state.posts.length, heat: state.heat, status: state.status, reply: r ? r.status : null };
}

test("seeking forward adds only the new events; backward rebuilds to the same state as from scratch", () => {
  const log = sampleLog();
  const timeline = new Timeline(log, { chainLength: 3, every: 4 });
  let step = timeline.seek(1500);
  assert.equal(step.rebuilt, false);
  assert.equal(step.added.length, 3);
  assert.deepEqual(summary(step.state), { posts: 1, heat: 20, status: "running", reply: null });
  step = timeline.seek(9500);
  assert.equal(step.added.length, 10);
  assert.deepEqual(summary(step.state), { posts: 2, heat: 55, status: "running", reply: "published" });
  step = timeline.seek(4500);
  assert.equal(step.rebuilt, true);
  assert.deepEqual(summary(step.state), { posts: 1, heat: 20, status: "running", reply: "changes_requested" });
  const fresh = new Timeline(log, { chainLength: 3, every: 4 }).seek(4500).state;
  assert.deepEqual(summary(step.state), summary(fresh));
  assert.equal(step.state.seq, fresh.seq);
});

test("a rebuild starts from the nearest snapshot, and never changes the snapshot it starts from", () => {
  seq = 0;
  const log = Array.from({ length: 10000 }, (_, i) => ev(i % 10 ? "heat" : "inject.published", i * 100, { id: i, heat: i % 101 }));
  const timeline = new Timeline(log, { chainLength: 3, every: 500 });
  timeline.seek(log.at(-1).sim_ms);
  assert.equal(timeline.snapshots.length, 21);
  const back = timeline.seek(700_050); // event 7000 of the log
  assert.equal(timeline.applied, 7001);
  assert.equal(back.added.length, 1); // from the snapshot after 7000 events: one event more
  assert.equal(back.state.posts.length, 701);
  timeline.seek(999_999);
  const again = timeline.seek(700_050);
  assert.equal(again.state.posts.length, 701);
  assert.equal(timeline.snapshots[14].posts.length, 700);
});

// A drill of section 1.4/1.5: a post flagged, a reply that sets off a backlash, counters that grow.
function crowdLog() {
  seq = 0;
  const reaction = (id, ms, index) =>
    ev("inject.published", ms, { id, key: "reaction-7", burst_index: index, reaction: "backlash", in_reply_to: 7 });
  return [
    ev("drill.started", 0),
    post(1, 1000),
    post(2, 2000),
    ev("inject.flagged", 3000, { inject: 2, by: 3, note: "early sign" }),
    ev("engagement", 15000, { posts: [{ inject: 1, likes: 2, shares: 1, views: 40 }], replies: [] }),
    ev("response.published", 16000, { response: 7, reply_to: [1], text: "sorry", platform: "x" }),
    reaction(3, 16000, 0),
    reaction(4, 20000, 1),
    ev("inject.flagged", 21000, { inject: 2, by: 4, note: "" }),
    ev("engagement", 30000, {
      posts: [
        { inject: 1, likes: 5, shares: 2, views: 100 },
        { inject: 3, likes: 1, shares: 0, views: 9 },
      ],
      replies: [{ response: 7, likes: 0, shares: 3, views: 70 }],
    }),
    ev("drill.finished", 31000),
  ];
}

test("engagement folds only the counters an event names, with the views gained since that post's last event", () => {
  const counters = new Map();
  foldCounts(counters, { posts: [{ inject: 1, likes: 2, shares: 1, views: 40 }], replies: [] });
  const changed = foldCounts(counters, {
    posts: [{ inject: 1, likes: 5, shares: 2, views: 100 }],
    replies: [{ response: 7, likes: 0, shares: 3, views: 70 }],
  });
  assert.deepEqual(
    changed.map((c) => [c.key, c.added]),
    [
      ["post:1", 60],
      ["reply:7", 70],
    ],
  );
  assert.deepEqual(counters.get("post:1"), { likes: 5, shares: 2, views: 100, growth: 60 });
  assert.deepEqual(counters.get("reply:7"), { likes: 0, shares: 3, views: 70, growth: 0 }); // first seen: no growth
  const stopped = foldCounts(counters, { posts: [{ inject: 2, likes: 1, shares: 1, views: 5 }] });
  // Post 1 is not named: its counters stay, and it has stopped growing (the room and the replay both say so).
  assert.deepEqual(counters.get("post:1"), { likes: 5, shares: 2, views: 100, growth: 0 });
  assert.deepEqual(
    stopped.map((c) => c.key),
    ["post:2", "post:1"],
  );
});

test("flags, reaction comments and counters are in the state at their moment and gone before it", () => {
  const timeline = new Timeline(crowdLog(), { chainLength: 1, every: 3 });
  let state = timeline.seek(2999).state;
  assert.equal(state.flags.length, 0);
  assert.equal(state.engagement.size, 0);
  state = timeline.seek(21000).state;
  assert.deepEqual(
    state.flags.map((f) => [f.data.inject, f.data.by, f.data.note]),
    [
      [2, 3, "early sign"],
      [2, 4, ""],
    ],
  );
  assert.deepEqual(state.engagement.get("post:1"), { likes: 2, shares: 1, views: 40, growth: 0 });
  assert.equal(state.posts.filter((p) => p.data.reaction === "backlash").length, 2);
  state = timeline.seek(31000).state;
  assert.deepEqual(state.engagement.get("post:1"), { likes: 5, shares: 2, views: 100, growth: 60 });
  assert.equal(state.engagement.get("reply:7").views, 70);
  state = timeline.seek(15999).state; // back before the reply: its reactions, its counters and the second flag gone
  assert.equal(state.flags.length, 1);
  assert.equal(state.posts.length, 2);
  assert.equal(state.replies.length, 0);
  assert.deepEqual([...state.engagement.keys()], ["post:1"]);
  assert.deepEqual(state.engagement.get("post:1"), { likes: 2, shares: 1, views: 40, growth: 0 });
});

test("the feed draws a reaction comment after the reply it answers, even when the reply is logged later", () => {
  const state = crowdLog().reduce((s, frame) => applyEvent(s, frame, 1), emptyState());
  assert.deepEqual(
    feedFrames(state).map((f) => f.data.id ?? `reply ${f.data.response}`),
    [1, 2, "reply 7", 3, 4],
  );
});

test("scrubbing back to any moment gives the state playing forward gave there", () => {
  const log = crowdLog();
  const moments = [0, 1000, 2500, 3000, 15000, 16000, 18000, 20000, 21000, 30000, 31000];
  const forward = new Timeline(log, { chainLength: 1, every: 2 });
  const played = moments.map((ms) => structuredClone(forward.seek(ms).state));
  const scrubbed = new Timeline(log, { chainLength: 1, every: 2 });
  scrubbed.seek(31000);
  for (const [i, ms] of [...moments.entries()].reverse()) {
    assert.deepEqual(scrubbed.seek(ms).state, played[i], `at ${ms} ms`);
  }
  assert.ok(scrubbed.rebuilds >= 5); // from the snapshots, not played forward again
});
