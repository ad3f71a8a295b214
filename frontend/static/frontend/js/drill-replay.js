// The replay of a finished drill: the whole log read from the events API, then the room as it was at any
// simulated moment (feed with its flags, reactions and counters, heat, approval queue, team channel), read-only.
// The state comes from the reducer the room shares (drill-state.js), drawn by the room's own panels (Feed, Chain,
// Flags, the counters, the heat meter). The scorecard says which posts were signals: marked from the start.
import { Chain } from "./drill-room-chain.js";
import { Channel } from "./drill-room-channel.js";
import { el, formatSim } from "./drill-room-dom.js";
import { showCounters } from "./drill-room-engagement.js";
import { Feed } from "./drill-room-feed.js";
import { Flags } from "./drill-room-flags.js";
import { showHeat } from "./drill-room-heat.js";
import { markSignal } from "./drill-room-signals.js";
import { feedFrames, Timeline } from "./drill-state.js";
import { fmt, t } from "./i18n.js";

const STATUS_LABELS = { lobby: t("Lobby"), running: t("Running"), paused: t("Paused"), finished: t("Finished") };
const MARKED = { "inject.published": "mark-inject", "response.published": "mark-reply", "inject.flagged": "mark-flag" };
const MSG_SIGNAL_TITLE = t("An early warning the team was expected to flag (the scorecard says how fast it did)");
const STEP_MS = 1000;

const root = document.getElementById("replay");
const drillId = Number(root.dataset.drill);
const find = (name) => root.querySelector(`[data-${name}]`);
const bar = { heat: find("heat"), heatFill: find("heat-fill") };
const scrubber = find("scrubber");
const playButton = find("play");
const rate = find("rate");
const player = { timeline: null, simMs: 0, durationMs: 0, playing: false, wallMs: 0, drawn: null };
let feed;
let chain;
let channel;
let flags;
let signals = { signals: [] }; // the keys of the signal posts, as markSignal reads them

async function getJson(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(String(response.status));
  return response.json();
}

// The log in pages (the server sends at most a few thousand events per request).
async function loadEvents() {
  const events = [];
  for (;;) {
    const after = events.length ? events[events.length - 1].seq : 0;
    const page = (await getJson(`/api/drills/${drillId}/events/?after=${after}`)).events;
    if (!page.length) return events;
    events.push(...page);
    find("loading").textContent = fmt(t("Loading the log: %(count)s events…"), { count: events.length });
  }
}

// Which posts were signals (PROTOCOL 1.3): the finished drill's scorecard tells everyone. Without it, no mark.
async function loadSignals() {
  try {
    const { injects } = await getJson(`/api/drills/${drillId}/scorecard/`);
    return injects.filter((row) => row.signal).map((row) => row.key);
  } catch {
    return [];
  }
}

async function start() {
  let drill;
  let events;
  try {
    [drill, events, signals.signals] = await Promise.all([
      getJson(`/api/drills/${drillId}/`),
      loadEvents(),
      loadSignals(),
    ]);
  } catch {
    find("loading").textContent = t("The log could not be loaded. Reload the page to try again.");
    return;
  }
  feed = new Feed(root, { brand: drill.brand, canReply: false, onReply: () => {} });
  // Read-only: every chain role's queue, nobody's own draft, no socket (the panel's buttons are hidden).
  const you = { user: null, roles: drill.chain.map((step) => step.role) };
  chain = new Chain(root, { socket: null, feed, composer: null, toast: () => {}, you, drill });
  // The room's channel, read-only: the viewer's own mentions marked as in the room.
  const viewer = { user: Number(root.dataset.user), username: root.dataset.username };
  channel = new Channel(root, { socket: null, you: viewer, canSay: false, toast: () => {} });
  const names = new Map(drill.seats.map((seat) => [seat.user, seat.display_name || seat.username]));
  const name = (id) => names.get(id);
  flags = new Flags(root, { socket: null, feed, you: null, canFlag: false, name, toast: () => {} });
  player.timeline = new Timeline(events, { chainLength: drill.chain.length });
  // A drill ends when the instructor finishes it, often before the scenario's planned length: its last event,
  // on the scrubber's whole seconds so that its last position shows every event.
  const lastMs = events.length ? events[events.length - 1].sim_ms : drill.duration_ms || 0;
  player.durationMs = Math.ceil(lastMs / STEP_MS) * STEP_MS;
  scrubber.max = String(player.durationMs);
  find("duration").textContent = formatSim(player.durationMs);
  drawMarks(events);
  find("loading").hidden = true;
  find("controls").hidden = false;
  draw(0);
}

function drawMarks(events) {
  const marks = find("marks");
  const total = Math.max(player.durationMs, 1);
  for (const frame of events) {
    const kind = MARKED[frame.kind];
    if (!kind) continue;
    const mark = el("span", { className: `mark ${kind}`, title: formatSim(frame.sim_ms) });
    mark.style.insetInlineStart = `${((frame.sim_ms / total) * 100).toFixed(2)}%`; // CSSOM: the CSP allows it
    marks.append(mark);
  }
}

// The room at `simMs`: only the new events drawn when going forward, the whole state after a jump back.
function draw(simMs) {
  player.simMs = Math.max(0, Math.min(simMs, player.durationMs));
  const { state, added, rebuilt } = player.timeline.seek(player.simMs);
  if (rebuilt) redraw(state);
  else for (const frame of added) drawEvent(frame, state);
  showHeat(bar, state.heat);
  const status = find("status-badge");
  status.textContent = STATUS_LABELS[state.status] || state.status;
  status.className = `badge badge-${state.status}`;
  find("clock").textContent = formatSim(player.simMs);
  scrubber.value = String(player.simMs);
  scrubber.setAttribute("aria-valuetext", formatSim(player.simMs)); // read out as 4:10, not as 250000
  feed.setFinished(state.status === "finished");
  feed.tick(player.simMs);
  setTimeout(() => chain.tick(player.simMs), 0); // after the queue's own redraw (Chain.schedule)
  root.dataset.seq = String(state.seq);
}

function redraw(state) {
  feed.clear();
  flags.clear();
  for (const frame of feedFrames(state)) drawFeed(frame);
  for (const frame of state.flags) flags.add(frame);
  for (const [key, counters] of state.engagement) showCounters(root, key, counters);
  // A jump shows a moment, not arrivals: the cards drawn whole do not slide in (CSSOM: the CSP allows it).
  for (const card of root.querySelectorAll("[data-feed] .post")) card.style.animation = "none";
  chain.show(state.responses);
  channel.clear();
  for (const frame of state.messages) channel.add(frame, false);
}

// A post or a reply in the feed (a reaction comment goes under the reply it answers, drawn before it).
function drawFeed(frame) {
  if (frame.kind === "response.published") return feed.published(frame);
  feed.add(frame);
  markSignal(root, signals, frame, MSG_SIGNAL_TITLE);
}

// One event on top of the room drawn before; `state`: the counters as of the moment shown.
function drawEvent(frame, state) {
  if (frame.kind === "inject.published" || frame.kind === "response.published") drawFeed(frame);
  else if (frame.kind === "team.message") channel.add(frame, false);
  else if (frame.kind === "inject.flagged") flags.add(frame);
  else if (frame.kind === "engagement") {
    for (const [key, counters] of state.engagement) showCounters(root, key, counters); // unchanged ones cost no write
  }
  if (frame.kind.startsWith("response.") || frame.kind.startsWith("approval.")) chain.schedule();
}

// ---- play, pause, scrub ------------------------------------------------------------------------------

function play() {
  if (player.simMs >= player.durationMs) draw(0);
  player.playing = true;
  player.wallMs = performance.now();
  playButton.textContent = t("Pause");
  playButton.setAttribute("aria-pressed", "true");
  requestAnimationFrame(frame);
}

function pause() {
  player.playing = false;
  playButton.textContent = t("Play");
  playButton.setAttribute("aria-pressed", "false");
}

function frame(now) {
  if (!player.playing) return;
  const elapsed = now - player.wallMs;
  player.wallMs = now;
  draw(player.simMs + Math.max(0, elapsed) * Number(rate.value));
  if (player.simMs >= player.durationMs) return pause();
  requestAnimationFrame(frame);
}

// Dragging fires many input events: draw at most once per animation frame, at the latest position.
function scrubTo(simMs) {
  const first = player.drawn === null;
  player.drawn = simMs;
  if (first) {
    requestAnimationFrame(() => {
      draw(player.drawn);
      player.drawn = null;
    });
  }
}

playButton.addEventListener("click", () => (player.playing ? pause() : play()));
scrubber.addEventListener("input", () => scrubTo(Number(scrubber.value)));
find("back").addEventListener("click", () => draw(player.simMs - 10 * STEP_MS));
find("forward").addEventListener("click", () => draw(player.simMs + 10 * STEP_MS));
start();
