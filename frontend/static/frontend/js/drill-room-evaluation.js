// The evaluation panel (PROTOCOL.md 1.6), for observer seats and instructors only: the scenario's tasks with
// P / S / M / U buttons and a note, a free observation box, and "Note this event" on every feed item. Observations
// arrive live as `observation` frames (never part of the log); their author edits or removes them over REST.
import { el, formatSim } from "./drill-room-dom.js";
import { csrfToken } from "./drill-room-socket.js";
import { fmt, t } from "./i18n.js";

export const RATINGS = {
  P: t("Performed without challenges"),
  S: t("Performed with some challenges"),
  M: t("Performed with major challenges"),
  U: t("Unable to be performed"),
};
const MSG_FAILED = t("The observation could not be saved.");

export class Evaluation {
  constructor(root, { socket, toast, drillId }) {
    Object.assign(this, { socket, toast, you: null, eventSeq: null });
    this.url = `/api/drills/${drillId}/observations/`;
    this.panel = root.querySelector("[data-evaluation]");
    this.list = this.panel.querySelector("[data-observations]");
    this.empty = this.panel.querySelector("[data-observations-empty]");
    this.items = new Map(); // observation id -> its list item
    this.tasks = new Map();
    for (const row of this.panel.querySelectorAll("[data-task]")) {
      this.tasks.set(row.dataset.task, row.querySelector("[data-task-name]").textContent);
      for (const button of row.querySelectorAll("[data-rating]")) {
        button.addEventListener("click", () => this.rate(row, button.dataset.rating));
      }
    }
    this.form = this.panel.querySelector("[data-observe-form]");
    this.text = this.form.querySelector("textarea");
    this.about = this.form.querySelector("[data-observe-event]");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.observeFree();
    });
    this.form.querySelector("[data-observe-event-clear]").addEventListener("click", () => this.noteEvent(null));
    this.watchFeed(root.querySelector("[data-feed]"));
  }

  // Called on every hello: what the socket may have missed while away is read again.
  configure(you) {
    this.you = you;
    this.load();
  }

  async load() {
    try {
      const observations = await this.request("GET", this.url);
      for (const id of [...this.items.keys()]) if (!observations.some((o) => o.id === id)) this.remove(id);
      for (const observation of observations) this.show(observation);
    } catch (error) {
      this.toast(error.message, "error");
    }
  }

  // An `observation` frame from the socket.
  receive(frame) {
    if (frame.deleted) this.remove(frame.observation.id);
    else this.show(frame.observation);
  }

  rate(row, rating) {
    const note = row.querySelector("[data-task-note]");
    const text = note.value.trim() || RATINGS[rating];
    this.observe({ text, task: row.dataset.task, rating }).then(() => (note.value = ""), () => {});
  }

  observeFree() {
    const text = this.text.value.trim();
    if (!text) return this.text.focus();
    const payload = { text };
    if (this.eventSeq !== null) payload.event_seq = this.eventSeq;
    this.observe(payload).then(() => {
      this.text.value = "";
      this.noteEvent(null);
    }, () => {});
  }

  async observe(payload) {
    try {
      const { observation } = await this.socket.send("observe", payload);
      this.show(observation);
    } catch (error) {
      this.toast(error.message || MSG_FAILED, "error");
      throw error;
    }
  }

  // `time` as the feed item shows it.
  noteEvent(seq, time = "") {
    this.eventSeq = seq;
    this.about.hidden = seq === null;
    this.about.querySelector("span").textContent =
      seq === null ? "" : fmt(t("About event #%(seq)s at %(time)s"), { seq, time });
    if (seq !== null) this.text.focus();
  }

  // "Note this event" on each feed item as it arrives: the feed module stays as it is.
  watchFeed(feed) {
    const add = (item) => {
      const foot = item.querySelector(".post-foot");
      if (!foot || foot.querySelector("[data-note-event]")) return;
      const time = item.querySelector(".post-time")?.textContent || "";
      const button = el("button", { type: "button", className: "button-quiet post-note-button", dataset: { noteEvent: item.dataset.seq } }, t("Note this event"));
      button.addEventListener("click", () => this.noteEvent(Number(item.dataset.seq), time));
      foot.append(button);
    };
    for (const item of feed.children) add(item);
    new MutationObserver((changes) => {
      for (const change of changes) for (const node of change.addedNodes) if (node.dataset?.seq) add(node);
    }).observe(feed, { childList: true });
  }

  show(observation) {
    const item = this.item(observation);
    const old = this.items.get(observation.id);
    if (old) old.replaceWith(item);
    else this.list.prepend(item);
    this.items.set(observation.id, item);
    this.empty.hidden = true;
  }

  remove(id) {
    this.items.get(id)?.remove();
    this.items.delete(id);
    this.empty.hidden = this.items.size > 0;
  }

  item(observation) {
    const mine = observation.by === this.you?.user;
    const task = observation.task ? this.tasks.get(observation.task) || observation.task : null;
    const meta = el(
      "p",
      { className: "observation-meta" },
      el("span", { className: "ltr-always" }, formatSim(observation.sim_ms)),
      observation.rating
        ? el("span", { className: `pill rating-${observation.rating}`, title: RATINGS[observation.rating] }, observation.rating)
        : null,
      task ? el("bdi", { className: "observation-task" }, task) : null,
      observation.event_seq ? el("span", { className: "muted" }, fmt(t("event #%(seq)s"), { seq: observation.event_seq })) : null,
      el("bdi", { className: "muted" }, observation.by_name || ""),
    );
    const text = el("p", { className: "observation-text", dir: "auto" }, observation.text);
    const node = el("li", { className: "observation", dataset: { observation: observation.id } }, meta, text);
    if (mine) node.append(this.tools(observation, node));
    return node;
  }

  tools(observation, node) {
    const edit = el("button", { type: "button", className: "button-quiet", dataset: { editObservation: "" } }, t("Edit"));
    const drop = el("button", { type: "button", className: "button-quiet", dataset: { deleteObservation: "" } }, t("Delete"));
    edit.addEventListener("click", () => node.replaceChildren(this.editor(observation)));
    drop.addEventListener("click", () => this.change("DELETE", observation.id).then(() => this.remove(observation.id), () => {}));
    return el("div", { className: "observation-tools" }, edit, drop);
  }

  editor(observation) {
    const text = el("textarea", { rows: "2", maxlength: "2000", dir: "auto", "aria-label": t("Observation") });
    text.value = observation.text;
    const rating = el("select", { "aria-label": t("Rating") }, el("option", { value: "" }, t("No rating")));
    for (const [value, label] of Object.entries(RATINGS)) rating.append(el("option", { value }, `${value} · ${label}`));
    rating.value = observation.rating || "";
    const save = el("button", { type: "submit", className: "button-primary" }, t("Save"));
    const cancel = el("button", { type: "button", className: "button-quiet" }, t("Cancel"));
    const form = el("form", { className: "observation-editor" }, text, rating, el("div", { className: "form-actions" }, cancel, save));
    cancel.addEventListener("click", () => this.show(observation));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = { text: text.value, rating: rating.value || null };
      this.change("PATCH", observation.id, body).then((saved) => this.show(saved), () => {});
    });
    return form;
  }

  async change(method, id, body) {
    try {
      return await this.request(method, `${this.url}${id}/`, body);
    } catch (error) {
      this.toast(error.message, "error");
      throw error;
    }
  }

  async request(method, url, body) {
    const headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return null;
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.errors?.[0]?.message || data.detail || MSG_FAILED);
    return data;
  }
}

