// The drill websocket (PROTOCOL.md section 3): the session cookie authenticates it (the handshake is same
// origin), so a reconnect is the socket alone, with no request before it; only if the server answers 4401
// (no cookie reached it: blocked, or the session is gone) does it take a one-time ticket per connection from
// then on, and a ticket refused over HTTP stops it. `?after=` the last seq shown on every connect (the server sends the rest of the log right after its hello), each seq handed on
// exactly once and in order, silent reconnects with backoff, and actions that resolve on `ack` or reject
// on `error` by their `ref`.
import { t } from "./i18n.js";

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
const CLOSE_UNAUTHENTICATED = 4401;
const CLOSE_FORBIDDEN = 4403;
const STOP_STATUSES = new Set([401, 403, 404]);
export const MSG_DISCONNECTED = t(
  "The connection dropped before the server answered: check the result, then try again.",
);
export const MSG_OFFLINE = t("Not connected right now: reconnecting, try again in a moment.");
const MSG_NO_ACCESS = t("You no longer have access to this drill. Reload the page or sign in again.");

// A generic message ("Invalid input.") says little: list each field's problem after it.
function describe(message, errors = []) {
  if (errors.length < 2) return message;
  return `${message} ${errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; ")}`;
}

export class ActionError extends Error {
  constructor({ code, message, errors }) {
    super(describe(message, errors));
    this.code = code;
    this.errors = errors || [];
  }
}

export function csrfToken() {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
}

export class DrillSocket {
  // onHello(hello), onEvent(frame, {live}), onState(state, message): state is connecting / live /
  // reconnecting / offline; `live` is false for events the hello's drill state already includes.
  // onStrayError(error): an error frame no pending action waits for (a malformed frame, say).
  constructor({ drillId, onHello, onEvent, onState, onStrayError }) {
    Object.assign(this, { drillId, onHello, onEvent, onState, onStrayError });
    this.lastSeq = 0;
    this.helloSeq = 0;
    this.attempt = 0;
    this.nextRef = 1;
    this.pending = new Map();
    this.replaying = false;
    this.stopped = false;
    this.useTicket = false; // set for good once the cookie alone was refused (4401)
    this.ws = null;
  }

  start() {
    this.onState("connecting");
    this.connect();
  }

  async connect() {
    // `after` rather than a `replay` once the hello is in: live frames pushed in between are not sent twice.
    let query = `after=${this.lastSeq}`;
    if (this.useTicket) {
      try {
        query = `ticket=${encodeURIComponent(await this.fetchTicket())}&${query}`;
      } catch (error) {
        return error.stop ? this.stop(MSG_NO_ACCESS) : this.retry();
      }
    }
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${location.host}/ws/drills/${this.drillId}/?${query}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.addEventListener("message", (message) => this.receive(message.data));
    ws.addEventListener("close", (close) => this.closed(ws, close.code));
  }

  async fetchTicket() {
    const response = await fetch(`/api/drills/${this.drillId}/ticket/`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    });
    if (!response.ok) throw Object.assign(new Error("ticket"), { stop: STOP_STATUSES.has(response.status) });
    return (await response.json()).ticket;
  }

  closed(ws, code) {
    if (ws !== this.ws) return;
    this.ws = null;
    this.replaying = false;
    this.failPending();
    if (code === CLOSE_FORBIDDEN) return this.stop(MSG_NO_ACCESS);
    if (code === CLOSE_UNAUTHENTICATED && !this.useTicket) {
      this.useTicket = true; // the ticket request says whether the session is gone (401/403: stop) or not
      return this.connect();
    }
    this.retry();
  }

  retry() {
    if (this.stopped) return;
    this.onState("reconnecting");
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    setTimeout(() => this.connect(), base + Math.random() * base * 0.3); // jitter: clients do not stampede
  }

  stop(message) {
    this.stopped = true;
    this.onState("offline", message);
  }

  failPending() {
    const lost = new ActionError({ code: "disconnected", message: MSG_DISCONNECTED });
    for (const { reject } of this.pending.values()) reject(lost);
    this.pending.clear();
  }

  receive(raw) {
    const frame = JSON.parse(raw);
    if (frame.type === "hello") return this.hello(frame);
    if (frame.type === "event") return this.event(frame);
    if (frame.type === "ack" || frame.type === "error") return this.answer(frame);
  }

  hello(frame) {
    this.attempt = 0;
    this.helloSeq = frame.seq;
    this.onHello(frame);
    this.onState("live");
  }

  // Only the next seq is shown; a repeat is dropped, a gap asks the server for everything after the last shown.
  event(frame) {
    if (frame.seq <= this.lastSeq) return;
    if (frame.seq > this.lastSeq + 1) {
      if (!this.replaying) this.replay();
      return;
    }
    this.lastSeq = frame.seq;
    this.onEvent(frame, { live: frame.seq > this.helloSeq });
  }

  replay() {
    this.replaying = true;
    const done = () => (this.replaying = false);
    this.send("replay", { after: this.lastSeq }).then(done, done);
  }

  answer(frame) {
    const waiting = this.pending.get(frame.ref);
    if (!waiting) {
      if (frame.type === "error") this.onStrayError(new ActionError(frame));
      return;
    }
    this.pending.delete(frame.ref);
    if (frame.type === "ack") waiting.resolve(frame.result || {});
    else waiting.reject(new ActionError(frame));
  }

  // Resolves with the ack's result, rejects with an ActionError carrying the server's message.
  send(action, payload = {}) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new ActionError({ code: "offline", message: MSG_OFFLINE }));
    }
    const ref = `r${this.nextRef++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(ref, { resolve, reject });
      this.ws.send(JSON.stringify({ action, ref, ...payload }));
    });
  }
}
