// The drill as its event log says it was: a pure reducer (no DOM, no clock) from events to state, shared by
// the live room (the approval chain's replies) and the replay (everything at a chosen simulated moment).
// `Timeline` answers "the state at sim time T" quickly for a long log: forward it applies only the new
// events; backward it starts again from the nearest snapshot kept every SNAPSHOT_EVERY events.

import { foldCounts } from "./listening.js";

export const SNAPSHOT_EVERY = 500;

// A reply's life on the approval chain (PROTOCOL.md 1.2), as one Map of response id -> reply. Changes the
// reply objects in place: a panel holding one keeps seeing it current. Returns whether the event was one.
export function applyResponse(responses, frame, chainLength) {
  const { data } = frame;
  if (frame.kind === "response.drafted") {
    responses.set(data.response, {
      id: data.response,
      author: data.author,
      author_name: data.author_name,
      reply_to: data.reply_to,
      text: data.text,
      platform: data.platform,
      status: data.status || "draft",
      step: 0,
      reachedMs: null,
      rejection: null,
      publishedMs: null,
    });
    return true;
  }
  const change = RESPONSE_CHANGES[frame.kind];
  if (!change) return false;
  const response = responses.get(data.response);
  if (response) change(response, frame, chainLength);
  return true;
}

const RESPONSE_CHANGES = {
  "response.edited": (r, { data }) => Object.assign(r, { text: data.text, status: data.status || r.status }),
  "response.submitted": (r, frame) => Object.assign(r, { status: "pending", step: frame.data.step, reachedMs: frame.sim_ms }),
  "approval.approved": (r, frame, chainLength) => {
    if (frame.data.step + 1 < chainLength) Object.assign(r, { step: frame.data.step + 1, reachedMs: frame.sim_ms });
  },
  "approval.rejected": (r, { data }) => Object.assign(r, { status: "changes_requested", step: 0, rejection: data }),
  "response.published": (r, frame) => Object.assign(r, { status: "published", step: 0, publishedMs: frame.sim_ms }),
};

const STATUS_AFTER = {
  "drill.started": "running",
  "drill.resumed": "running",
  "drill.paused": "paused",
  "drill.finished": "finished",
};

// posts: inject.published frames in log order (reaction comments too); replies: response.published frames;
// messages: team.message; flags: inject.flagged; engagement: the cards' counters (listening.js foldCounts).
export function emptyState() {
  return {
    seq: 0,
    simMs: 0,
    status: "lobby",
    heat: 0,
    posts: [],
    replies: [],
    responses: new Map(),
    messages: [],
    flags: [],
    engagement: new Map(),
  };
}

// The feed's posts and replies in log order: a reaction comment after the reply it is threaded under.
export function feedFrames(state) {
  return [...state.posts, ...state.replies].sort((a, b) => a.seq - b.seq);
}

// One event onto the state (changed in place).
export function applyEvent(state, frame, chainLength) {
  state.seq = frame.seq;
  state.simMs = Math.max(state.simMs, frame.sim_ms);
  applyResponse(state.responses, frame, chainLength);
  if (frame.kind === "inject.published") state.posts.push(frame);
  else if (frame.kind === "response.published") state.replies.push(frame);
  else if (frame.kind === "team.message") state.messages.push(frame);
  else if (frame.kind === "inject.flagged") state.flags.push(frame);
  else if (frame.kind === "engagement") foldCounts(state.engagement, frame.data);
  else if (frame.kind === "heat") state.heat = frame.data.heat;
  else if (STATUS_AFTER[frame.kind]) state.status = STATUS_AFTER[frame.kind];
  return state;
}

// How many events of the log (sorted by seq, hence by sim time) happened at or before `simMs`.
export function countAt(events, simMs) {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (events[middle].sim_ms <= simMs) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class Timeline {
  constructor(events, { chainLength, every = SNAPSHOT_EVERY }) {
    Object.assign(this, { events, chainLength, every });
    this.snapshots = [emptyState()]; // snapshots[i]: the state after i * every events
    this.state = emptyState();
    this.applied = 0; // events of the log in this.state
    this.rebuilds = 0;
  }

  // The state at `simMs`, and how it got there: `added` (the events applied on top of the state shown
  // before) or `rebuilt` (the state is new: draw it whole).
  seek(simMs) {
    const target = countAt(this.events, simMs);
    let rebuilt = false;
    if (target < this.applied) {
      const index = Math.min(Math.floor(target / this.every), this.snapshots.length - 1);
      this.state = structuredClone(this.snapshots[index]);
      this.applied = index * this.every;
      this.rebuilds += 1;
      rebuilt = true;
    }
    const added = this.events.slice(this.applied, target);
    for (const frame of added) this.step(frame);
    this.state.simMs = simMs; // the moment asked, back too (every event applied is at or before it)
    return { state: this.state, added, rebuilt };
  }

  step(frame) {
    applyEvent(this.state, frame, this.chainLength);
    this.applied += 1;
    // The first time forward past a multiple of `every`: keep a copy to come back to.
    if (this.applied % this.every === 0 && this.snapshots.length === this.applied / this.every) {
      this.snapshots.push(structuredClone(this.state));
    }
  }
}
