// The team channel: `team.message` events from the log (live or replayed: each message once), with the
// author and the simulated time; a "@username" that names the reader is highlighted for them. Chain-role
// seats and instructors write (`say`); observers read. Text goes in through textContent only. The length limit is
// the textarea's and the server's (which answers with its own message).
import { el, formatSim, isolate } from "./drill-room-dom.js";
import { fmt, t } from "./i18n.js";

// A mention: "@" then a username's characters (Django's: letters, digits and @.+-_), not inside an e-mail address.
const MENTION = /(?<![\p{L}\p{N}_])(@[\p{L}\p{N}_.+-]*[\p{L}\p{N}_])/u;

export class Channel {
  constructor(root, { socket, you, canSay, toast }) {
    this.list = root.querySelector("[data-channel-list]");
    this.empty = root.querySelector("[data-channel-empty]");
    this.count = root.querySelector("[data-channel-count]");
    this.form = root.querySelector("[data-channel-form]");
    this.text = root.querySelector("[data-channel-text]");
    this.status = root.querySelector("[data-channel-status]");
    this.send = root.querySelector("[data-channel-send]");
    Object.assign(this, { socket, you, toast });
    this.seen = new Set(); // message ids already shown: a replay after a reconnect sends them again
    this.open = true;
    if (this.form && canSay) this.listen();
  }

  listen() {
    this.form.hidden = false;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.say();
    });
    // Enter sends, Shift+Enter starts a new line, as in chat tools.
    this.text.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.say();
      }
    });
  }

  // The replay draws another moment from scratch: an empty channel first.
  clear() {
    this.list.replaceChildren();
    this.seen.clear();
    this.empty.hidden = false;
    this.count.textContent = "0";
  }

  add(frame, live) {
    const { data } = frame;
    if (this.seen.has(data.id)) return;
    this.seen.add(data.id);
    const mine = data.by === this.you.user;
    const mentioned = !mine && this.mentions(data.text);
    const classes = ["message", mine ? "message-mine" : "", mentioned ? "message-mentions-me" : ""];
    this.list.append(
      el(
        "li",
        { className: classes.filter(Boolean).join(" "), dataset: { message: data.id, seq: frame.seq } },
        el(
          "header",
          { className: "message-head" },
          el("bdi", { className: "message-author" }, data.by_name),
          el("span", { className: "message-time ltr-always", title: t("Simulated time") }, formatSim(frame.sim_ms)),
        ),
        el("p", { className: "message-text", dir: "auto" }, ...this.textWithMentions(data.text)),
      ),
    );
    this.list.lastElementChild.scrollIntoView?.({ block: "nearest" });
    this.empty.hidden = true;
    this.count.textContent = String(this.seen.size);
    if (live && mentioned) this.toast(fmt(t("%(name)s mentioned you in the team channel."), { name: isolate(data.by_name) }));
  }

  mentions(text) {
    return String(text)
      .split(MENTION)
      .some((part, index) => index % 2 === 1 && this.isMe(part));
  }

  isMe(mention) {
    return mention.slice(1).toLowerCase() === String(this.you.username).toLowerCase();
  }

  // The text as nodes: every mention set apart (<bdi>), the reader's own as <mark>.
  textWithMentions(text) {
    return String(text)
      .split(MENTION)
      .map((part, index) => {
        if (index % 2 === 0) return part;
        const me = this.isMe(part);
        return el(me ? "mark" : "bdi", { className: me ? "mention mention-me" : "mention" }, part);
      });
  }

  async say() {
    const text = this.text.value.trim();
    if (!text) return this.setStatus(t("Write a message first."), "error");
    this.send.disabled = true;
    try {
      await this.socket.send("say", { text });
      this.text.value = "";
      this.setStatus("");
    } catch (error) {
      this.setStatus(error.message, "error");
    } finally {
      this.send.disabled = !this.open;
      this.text.focus();
    }
  }

  // The channel closes with the drill (the server refuses `say` once it is finished).
  setOpen(open) {
    this.open = open;
    if (!this.form) return;
    this.text.disabled = !open;
    this.send.disabled = !open;
  }

  setStatus(message, kind = "info") {
    this.status.textContent = message;
    this.status.className = `composer-status status-${kind}`;
  }
}
