// The replay of a finished drill: the whole log read from the events API, then the room as it was at any
// simulated moment (feed, heat, approval queue, team channel), read-only. The state comes from the
// reducer the room shares (drill-state.js), drawn by the room's own panels (Feed, Chain, the heat meter).
import { Chain } from "./drill-room-chain.js";
import { Channel } from "./drill-room-channel.js";
import { el, formatSim } from "./drill-room-dom.js";
import { Feed } from "./drill-room-feed.js";
import { showHeat } from "./drill-room-heat.js";
import { Timeline } from "./drill-state.js";
import { fmt, t } from "./i18n.js";

const STATUS_LABELS = { lobby: t("Lobby"), running: t("Running"), paused: t("Paused"), finished: t("Finished") };
const MARKED = { "inject.published": "mark-inject", "response.published": "mark-reply" };
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

async function start() {
  let drill;
  let events;
  try {
    [drill, events] = await Promise.all([getJson(`/api/drills/${drillId}/`), loadEvents()]);
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
  else for (const frame of added) drawEvent(frame);
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
  for (const frame of state.posts) feed.add(frame);
  for (const frame of state.replies) feed.published(frame);
  chain.show(state.responses);
  channel.clear();
  for (const frame of state.messages) channel.add(frame, false);
}

function drawEvent(frame) {
  if (frame.kind === "inject.published") feed.add(frame);
  else if (frame.kind === "response.published") feed.published(frame);
  else if (frame.kind === "team.message") channel.add(frame, false);
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
