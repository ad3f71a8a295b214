// The drill room page: one websocket, one dispatcher on event.kind, and the panels it feeds (status bar,
// feed, inbox, composer, approval queue, my replies, team channel, people, and the instructor console with its
// event log).
import { Chain } from "./drill-room-chain.js";
import { Channel } from "./drill-room-channel.js";
import { SimClock } from "./drill-room-clock.js";
import { Composer } from "./drill-room-composer.js";
import { Console } from "./drill-room-console.js";
import { el, formatSim, isolate, POST_DIR, roleLabel } from "./drill-room-dom.js";
import { showHeat as drawHeat } from "./drill-room-heat.js";
import { Evaluation } from "./drill-room-evaluation.js";
import { Feed } from "./drill-room-feed.js";
import { Flags } from "./drill-room-flags.js";
import { EngagementCounters } from "./drill-room-engagement.js";
import { Inbox } from "./drill-room-inbox.js";
import { ListeningPanel } from "./drill-room-listening.js";
import { People } from "./drill-room-people.js";
import { markSignal } from "./drill-room-signals.js";
import { DrillSocket } from "./drill-room-socket.js";
import { fmt, t } from "./i18n.js";

const TICK_MS = 250;
const TOAST_MS = { ok: 4000, info: 5000, error: 10000 };
const STATUS_LABELS = { lobby: t("Lobby"), running: t("Running"), paused: t("Paused"), finished: t("Finished") };
const CONNECTION_LABELS = {
  connecting: t("Connecting…"),
  live: t("Live"),
  reconnecting: t("Reconnecting…"),
  offline: t("Offline"),
};

const root = document.getElementById("room");
const bar = {
  status: root.querySelector("[data-status-badge]"),
  clock: root.querySelector("[data-clock]"),
  duration: root.querySelector("[data-duration]"),
  speed: root.querySelector("[data-speed]"),
  heat: root.querySelector("[data-heat]"),
  heatFill: root.querySelector("[data-heat-fill]"),
  connection: root.querySelector("[data-connection]"),
  connectionText: root.querySelector("[data-connection-text]"),
};
const clock = new SimClock();
const people = new People(root);
// What the hello said (drill, you), the drill's status, and the panels built on the first hello.
const room = { drill: null, you: null, status: root.dataset.status };
const socket = new DrillSocket({
  drillId: Number(root.dataset.drill),
  onHello: hello,
  onEvent: dispatch,
  onState: showConnection,
  onStrayError: (error) => toast(error.message, "error"),
  onOther: (frame) => frame.type === "observation" && room.evaluation?.receive(frame),
});

// ---- what each event does ------------------------------------------------------------------------------

const HANDLERS = {
  "inject.published": (frame) => {
    room.feed.add(frame);
    room.flags.decorate(frame);
    markSignal(root, room.you, frame);
    room.inbox.add(frame);
  },
  "response.drafted": (frame) => room.chain.drafted(frame),
  "response.edited": (frame) => room.chain.edited(frame),
  "response.submitted": (frame) => room.chain.submitted(frame),
  "approval.approved": (frame) => room.chain.approved(frame),
  "approval.rejected": (frame, live) => {
    room.chain.rejected(frame);
    if (live) tellAuthor(frame, "rejected");
  },
  "response.published": (frame, live) => {
    room.chain.published(frame);
    room.feed.published(frame);
    room.inbox.published(frame);
    if (live) tellAuthor(frame, "published");
  },
  heat: (frame) => showHeat(frame.data.heat),
  "seat.joined": (frame) => people.joined(frame.data),
  "seat.left": (frame) => people.left(frame.data),
  "team.message": (frame, live) => room.channel.add(frame, live),
  "inject.flagged": (frame) => room.flags.add(frame),
  // Clock events already counted in the hello's drill state are history: only live ones move the clock.
  "drill.started": (frame, live) => live && setStatus("running", frame.sim_ms),
  "drill.resumed": (frame, live) => live && setStatus("running", frame.sim_ms),
  "drill.paused": (frame, live) => live && setStatus("paused", frame.sim_ms),
  "drill.finished": (frame, live) => live && setStatus("finished", frame.sim_ms),
  "drill.speed": (frame, live) => live && setSpeed(frame.data.speed, frame.sim_ms),
};

function dispatch(frame, { live }) {
  const handler = HANDLERS[frame.kind];
  if (handler) handler(frame, live);
  room.listening?.add(frame);
  room.engagement?.add(frame);
  room.console?.add(frame);
}

// ---- connection and drill state ------------------------------------------------------------------------

function hello({ drill, you }) {
  Object.assign(room, { drill, you });
  if (!room.feed) build(drill, you);
  room.chain.configure({ you, drill });
  room.inbox.loadReadMarks();
  clock.set({ simMs: drill.sim_ms, running: drill.status === "running", speed: drill.speed });
  bar.duration.textContent = formatSim(drill.duration_ms);
  showHeat(drill.heat);
  people.configure({ seats: drill.seats, bots: drill.bots, you });
  room.evaluation?.configure(you);
  showStatus(drill.status);
  showSpeed(drill.speed);
}

function build(drill, you) {
  const drafter = you.roles.includes(drill.chain[0]?.role) && Boolean(root.querySelector("[data-composer]"));
  const onReply = (id) => room.composer.toggleTarget(id);
  room.feed = new Feed(root, { brand: drill.brand, canReply: drafter, onReply, elsewhere: ["email"] });
  if (drafter) {
    room.composer = new Composer(root, { socket, feed: room.feed, maxLength: drill.max_length || {}, toast });
  }
  room.chain = new Chain(root, { socket, feed: room.feed, composer: room.composer, toast, you, drill });
  if (root.querySelector("[data-evaluation]")) {
    room.evaluation = new Evaluation(root, { socket, toast, drillId: drill.id });
  }
  const onEmailReply = (id, subject) => room.composer.replyToEmail(id, subject);
  room.inbox = new Inbox(root, { drillId: drill.id, canReply: Boolean(room.composer), onReply: onEmailReply, toast });
  const canSay = you.instructor || drill.chain.some((step) => you.roles.includes(step.role));
  room.channel = new Channel(root, { socket, you, canSay, toast });
  const canFlag = drill.chain.some((step) => you.roles.includes(step.role));
  room.flags = new Flags(root, { socket, feed: room.feed, you, canFlag, name: (id) => people.name(id), toast });
  room.listening = new ListeningPanel(root, { brand: drill.brand });
  room.engagement = new EngagementCounters(root, { feed: room.feed });
  if (you.instructor && root.querySelector("[data-console]")) {
    const names = { user: (id) => people.name(id), stepRole: (step) => room.drill.chain[step]?.role };
    room.console = new Console(root, { socket, toast, names });
  }
}

function setStatus(status, simMs) {
  if (status === "running") clock.run(simMs);
  else clock.freeze(simMs);
  showStatus(status);
}

function setSpeed(speed, simMs) {
  clock.setSpeed(speed, clock.running ? simMs : clock.now());
  showSpeed(speed);
}

function showStatus(status) {
  room.status = status;
  root.dataset.status = status;
  bar.status.textContent = STATUS_LABELS[status] || status;
  bar.status.className = `badge badge-${status}`;
  root.querySelector("[data-lobby-banner]").hidden = status !== "lobby";
  root.querySelector("[data-finished-banner]").hidden = status !== "finished";
  const running = status === "running";
  room.composer?.setRunning(running, status);
  room.chain?.setRunning(running);
  room.feed?.setReplyEnabled(running);
  room.inbox?.setReplyEnabled(running);
  room.channel?.setOpen(status !== "finished");
  room.flags?.setOpen(status !== "finished");
  room.feed?.setFinished(status === "finished");
  room.console?.setState({ status, speed: clock.speed });
}

function showSpeed(speed) {
  bar.speed.textContent = `×${Number(speed)}`;
  room.console?.setState({ status: room.status, speed });
}

function showHeat(heat) {
  drawHeat(bar, heat);
}

function showConnection(state, message) {
  bar.connection.dataset.connection = state;
  bar.connectionText.textContent = CONNECTION_LABELS[state] || state;
  if (message) toast(message, "error");
}

// ---- notices -------------------------------------------------------------------------------------------

function toast(message, kind = "info") {
  const close = el("button", { type: "button", className: "toast-close", "aria-label": t("Dismiss") }, "×");
  const role = kind === "error" ? "alert" : "status";
  const node = el("div", { className: `toast toast-${kind}`, role }, el("span", {}, message), close);
  close.addEventListener("click", () => node.remove());
  root.querySelector("[data-toasts]").append(node);
  setTimeout(() => node.remove(), TOAST_MS[kind] || TOAST_MS.info);
}

// The author hears at once when their reply is sent back or goes out.
function tellAuthor({ data }, what) {
  const response = room.chain.responses.get(data.response);
  if (!response || response.author !== room.you?.user) return;
  if (what === "published") toast(fmt(t("Your reply #%(id)s is published."), { id: data.response }), "ok");
  else {
    const comment = isolate(data.comment, POST_DIR);
    const values = { name: isolate(data.by_name), role: roleLabel(data.role), id: data.response, comment };
    // A bot's name already says its role ("Reviewer bot").
    const message = data.bot
      ? t("%(name)s sent back reply #%(id)s: %(comment)s")
      : t("%(name)s (%(role)s) sent back reply #%(id)s: %(comment)s");
    toast(fmt(message, values), "error");
  }
}

function tick() {
  const now = clock.now();
  const duration = room.drill?.duration_ms;
  bar.clock.textContent = formatSim(duration ? Math.min(now, duration) : now);
  room.feed?.tick(now);
  room.chain?.tick(now);
  room.listening?.tick(now);
}

socket.start();
setInterval(tick, TICK_MS);
