// The inbox: e-mail injects as messages (sender, subject, simulated time, body), read or unread for this user
// (marks kept on the server, so they follow the user to another device), the unread count on the tab, and the
// team's published answer under each e-mail. "Reply" opens the composer with "Re: <subject>".
import { csrfToken } from "./drill-room-socket.js";
import { el, formatSim, isolate, POST_DIR, postText, shownHandle } from "./drill-room-dom.js";
import { fmt, t } from "./i18n.js";

const EMAIL = "email";
const SUBJECT_WORDS = 8;
const SUBJECT_CHARS = 80;

// An e-mail's subject: its own (PROTOCOL.md section 1.3), else the first words of its text.
export function subjectOf(data) {
  if (data.subject) return data.subject;
  const words = String(data.text ?? "").trim().split(/\s+/);
  const start = [...words.slice(0, SUBJECT_WORDS).join(" ")];
  const cut = start.length > SUBJECT_CHARS;
  const subject = start.slice(0, SUBJECT_CHARS).join("");
  return cut || words.length > SUBJECT_WORDS ? `${subject}…` : subject;
}

export class Inbox {
  constructor(root, { drillId, canReply, onReply, toast }) {
    this.list = root.querySelector("[data-inbox-list]");
    this.reader = root.querySelector("[data-inbox-reader]");
    this.empty = root.querySelector("[data-inbox-empty]");
    this.count = root.querySelector("[data-inbox-count]");
    this.unreadBadge = root.querySelector("[data-inbox-unread]");
    Object.assign(this, { drillId, canReply, onReply, toast });
    this.emails = new Map(); // inject id -> {data, simMs, item, answers: [frame]}
    this.read = new Set();
    this.openId = null;
    this.replyOpen = false;
    wireTabs(root);
  }

  // The user's read marks, from the server (on every hello: another device may have read more).
  async loadReadMarks() {
    try {
      const body = await this.request("GET");
      this.setRead(body.read);
    } catch (error) {
      this.toast(error.message, "error");
    }
  }

  add(frame) {
    const { data } = frame;
    if (data.platform !== EMAIL || this.emails.has(data.id)) return;
    const entry = { data, simMs: frame.sim_ms, answers: [] };
    entry.item = el("li", { className: "inbox-item", dataset: { inject: data.id } });
    this.emails.set(data.id, entry);
    this.list.prepend(entry.item);
    this.renderItem(entry);
    this.refreshCounts();
  }

  // A published reply to e-mails: the answer of each e-mail's thread.
  published(frame) {
    for (const id of frame.data.reply_to) {
      const entry = this.emails.get(id);
      if (!entry || entry.answers.some((answer) => answer.data.response === frame.data.response)) continue;
      entry.answers.push(frame);
      this.renderItem(entry);
      if (this.openId === id) this.renderReader();
    }
  }

  setReplyEnabled(enabled) {
    this.replyOpen = enabled;
    if (this.openId !== null) this.renderReader();
  }

  renderItem(entry) {
    const { data } = entry;
    const unread = !this.read.has(data.id);
    const persona = data.persona || {};
    const button = el(
      "button",
      { type: "button", className: "inbox-open", "aria-current": this.openId === data.id ? "true" : null },
      el("span", { className: "inbox-dot", "aria-hidden": "true" }),
      el("bdi", { className: "inbox-from" }, persona.name || shownHandle(persona.handle, EMAIL) || t("Unknown")),
      el("span", { className: "inbox-time ltr-always", title: t("Simulated time") }, formatSim(entry.simMs)),
      el("bdi", { className: "inbox-subject", dir: POST_DIR }, subjectOf(data)),
      unread ? el("span", { className: "visually-hidden" }, t("Unread")) : null,
      entry.answers.length ? el("span", { className: "inbox-answered" }, t("Answered")) : null,
    );
    button.addEventListener("click", () => this.open(data.id));
    entry.item.classList.toggle("inbox-unread", unread);
    entry.item.replaceChildren(button);
  }

  async open(id) {
    this.openId = id;
    for (const entry of this.emails.values()) this.renderItem(entry);
    this.renderReader();
    if (this.read.has(id)) return;
    try {
      const body = await this.request("POST", { inject: id });
      this.setRead(body.read);
    } catch (error) {
      this.toast(error.message, "error");
    }
  }

  renderReader() {
    const entry = this.emails.get(this.openId);
    if (!entry) return;
    const { data } = entry;
    const persona = data.persona || {};
    const subject = subjectOf(data);
    const reply = this.canReply
      ? el("button", { type: "button", className: "button-primary", disabled: !this.replyOpen }, t("Reply"))
      : null;
    reply?.addEventListener("click", () => this.onReply(data.id, subject));
    this.reader.hidden = false;
    this.reader.replaceChildren(
      el("h3", { className: "inbox-reader-subject", dir: POST_DIR }, subject),
      el(
        "p",
        { className: "inbox-reader-meta" },
        el("bdi", { className: "name" }, persona.name || ""),
        " ",
        el("bdi", { className: "handle" }, shownHandle(persona.handle, EMAIL)),
        " · ",
        el("span", { className: "ltr-always", title: t("Simulated time") }, formatSim(entry.simMs)),
      ),
      el("p", { className: "inbox-reader-body", dir: POST_DIR }, ...postText(data.text)),
      ...entry.answers.map((frame) => answer(frame)),
      el("div", { className: "form-actions" }, reply),
    );
  }

  setRead(ids) {
    this.read = new Set(ids);
    for (const entry of this.emails.values()) this.renderItem(entry);
    this.refreshCounts();
  }

  refreshCounts() {
    const unread = [...this.emails.keys()].filter((id) => !this.read.has(id)).length;
    this.count.textContent = String(this.emails.size);
    this.unreadBadge.textContent = String(unread);
    this.unreadBadge.hidden = unread === 0;
    this.unreadBadge.title = fmt(t("%(n)s unread"), { n: unread });
    this.empty.hidden = this.emails.size > 0;
  }

  async request(method, body) {
    const response = await fetch(`/api/drills/${this.drillId}/inbox/${method === "POST" ? "read/" : ""}`, {
      method,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json", "Content-Type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(json.detail || response.statusText);
    return json;
  }
}

function answer(frame) {
  return el(
    "section",
    { className: "inbox-answer" },
    el("h4", {}, fmt(t("Answered by %(name)s at %(time)s"), { name: isolate(frame.data.author_name), time: formatSim(frame.sim_ms) })),
    el("p", { dir: POST_DIR }, ...postText(frame.data.text)),
  );
}

// Feed / Inbox tabs: one panel shown at a time; arrow keys move between tabs (the ARIA tabs pattern).
function wireTabs(root) {
  const tabs = [...root.querySelectorAll("[data-room-tabs] [data-tab]")];
  const select = (tab) => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      root.querySelector(`[data-tab-panel="${other.dataset.tab}"]`).hidden = !selected;
    }
  };
  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const rtl = getComputedStyle(tab).direction === "rtl";
      const next = tabs[(index + (rtl ? -step : step) + tabs.length) % tabs.length];
      next.focus();
      select(next);
    });
  });
}
