// The feed: each published inject as a card dressed like its platform, newest first, a platform filter,
// a live reply deadline in simulated time, and the team's published replies threaded under each post.
import {
  compactNumber,
  el,
  formatSim,
  initials,
  POST_DIR,
  personaKindLabel,
  platformLabel,
  postText,
  shownHandle,
} from "./drill-room-dom.js";
import { fmt, t, tn } from "./i18n.js";
import { reactionTag, reactionThread } from "./drill-room-reactions.js";

const WARN_SHARE = 0.25; // the countdown turns amber in the last quarter of the time allowed
const NEEDS_REPLY = "needs-reply";
const MSG_REPLY = t("Reply");
const MSG_SELECTED = t("Selected");

export class Feed {
  // `elsewhere`: platforms another panel shows (the room's inbox takes e-mails): kept here for the composer and
  // the deadlines, but neither listed nor counted in the feed.
  constructor(root, { brand, canReply, onReply, elsewhere = [] }) {
    this.list = root.querySelector("[data-feed]");
    this.empty = root.querySelector("[data-feed-empty]");
    this.count = root.querySelector("[data-feed-count]");
    this.chips = [...root.querySelectorAll("[data-filter]")];
    this.needsCount = root.querySelector("[data-needs-count]");
    this.brand = brand;
    this.canReply = canReply;
    this.onReply = onReply;
    this.elsewhere = new Set(elsewhere);
    this.injects = new Map(); // inject id -> {data, card, deadline, publishedMs, answeredMs}
    this.replies = new Map(); // response id -> its items (one under each post it answers)
    this.filter = "";
    this.replyOpen = false;
    this.finished = false;
    for (const chip of this.chips) chip.addEventListener("click", () => this.setFilter(chip.dataset.filter));
  }

  add(frame) {
    const data = frame.data;
    if (this.injects.has(data.id)) return;
    const entry = { data, publishedMs: frame.sim_ms, answeredMs: null };
    entry.card = this.card(frame, entry);
    this.injects.set(data.id, entry);
    const thread = reactionThread(this.list, data);
    if (thread) thread.append(entry.card);
    else if (!this.elsewhere.has(data.platform)) this.list.prepend(entry.card);
    this.applyFilter(entry.card);
    this.refreshCounts();
  }

  // The replay draws another moment from scratch: an empty feed first.
  clear() {
    for (const entry of this.injects.values()) entry.card.remove();
    this.injects.clear();
    this.replies.clear();
    this.refreshCounts();
  }

  inject(id) {
    return this.injects.get(id)?.data;
  }

  // The card of a post, and the items of a reply: looked up, not searched for (a long drill has thousands).
  cardOf(id) {
    return this.injects.get(id)?.card || null;
  }

  replyItems(id) {
    return this.replies.get(id) || [];
  }

  card(frame, entry) {
    const { data } = frame;
    const persona = data.persona || {};
    const classes = ["post", `platform-${data.platform}`];
    if (data.burst_index !== null && data.burst_index !== undefined) classes.push("post-burst");
    if (data.requires_response) classes.push("post-needs-reply");
    const hasDeadline = data.requires_response && data.respond_by_ms !== null;
    entry.deadline = hasDeadline ? el("span", { className: "deadline" }) : null;
    entry.replyButton = this.canReply
      ? el("button", { type: "button", className: "post-reply-button", dataset: { reply: data.id } }, MSG_REPLY)
      : null;
    entry.replyButton?.addEventListener("click", () => this.onReply(data.id));
    entry.thread = el("ol", { className: "post-replies", hidden: true });
    return el(
      "li",
      { className: classes.join(" "), dataset: { seq: frame.seq, inject: data.id, platform: data.platform } },
      el(
        "header",
        { className: "post-head" },
        el("span", { className: "post-icon", "aria-hidden": "true" }),
        el("span", { className: "post-platform" }, platformLabel(data.platform)),
        data.manual ? el("span", { className: "post-tag" }, t("manual")) : null,
        reactionTag(data),
        el("span", { className: "post-time ltr-always", title: t("Simulated time") }, formatSim(frame.sim_ms)),
      ),
      el(
        "div",
        { className: "post-author" },
        el("span", { className: "avatar", "aria-hidden": "true" }, initials(persona.name)),
        el(
          "span",
          { className: "who" },
          el("bdi", { className: "name" }, persona.name || t("Unknown")),
          el("bdi", { className: "handle" }, shownHandle(persona.handle, data.platform)),
        ),
        el(
          "span",
          { className: "persona-meta" },
          persona.kind ? el("span", { className: "persona-kind" }, personaKindLabel(persona.kind)) : null,
          persona.followers
            ? el("span", { className: "followers" }, followersLabel(persona.followers))
            : null,
        ),
      ),
      el("p", { className: "post-text", dir: POST_DIR }, ...postText(data.text)),
      el(
        "footer",
        { className: "post-foot" },
        severityPips(data.severity),
        entry.deadline,
        el("span", { className: "spacer" }),
        entry.replyButton,
      ),
      entry.thread,
    );
  }

  // A published reply: threaded under each inject it answers; the first one stops that inject's clock.
  published(frame) {
    for (const id of frame.data.reply_to) {
      const entry = this.injects.get(id);
      if (!entry) continue;
      if (entry.answeredMs === null) entry.answeredMs = frame.sim_ms;
      entry.thread.hidden = false;
      const item = this.reply(frame);
      entry.thread.append(item);
      this.replies.set(frame.data.response, [...(this.replies.get(frame.data.response) || []), item]);
      entry.card.classList.add("post-answered");
      this.applyFilter(entry.card);
    }
    this.refreshCounts();
  }

  reply(frame) {
    const { data } = frame;
    return el(
      "li",
      { className: "reply", dataset: { response: data.response } },
      el("span", { className: "avatar avatar-brand", "aria-hidden": "true" }, initials(this.brand.name)),
      el(
        "div",
        { className: "reply-body" },
        el(
          "div",
          { className: "reply-head" },
          el("bdi", { className: "name" }, this.brand.name || t("Brand")),
          el("bdi", { className: "handle" }, shownHandle(this.brand.handle, frame.data.platform)),
          repliedAt(formatSim(frame.sim_ms), data.author_name || ""),
        ),
        el("p", { className: "reply-text", dir: POST_DIR }, ...postText(data.text)),
      ),
    );
  }

  // Each second of the room's clock: the deadline of every inject that needs a reply.
  tick(simNow) {
    for (const entry of this.injects.values()) {
      if (entry.deadline) updateDeadline(entry, simNow, this.finished);
    }
  }

  setSelected(ids) {
    for (const [id, entry] of this.injects) {
      entry.card.classList.toggle("post-selected", ids.includes(id));
      if (entry.replyButton) entry.replyButton.textContent = ids.includes(id) ? MSG_SELECTED : MSG_REPLY;
    }
  }

  setFinished(finished) {
    this.finished = finished;
  }

  setReplyEnabled(enabled) {
    for (const entry of this.injects.values()) if (entry.replyButton) entry.replyButton.disabled = !enabled;
    this.replyOpen = enabled;
  }

  setFilter(platform) {
    this.filter = platform;
    for (const chip of this.chips) chip.setAttribute("aria-pressed", String(chip.dataset.filter === platform));
    for (const entry of this.injects.values()) this.applyFilter(entry.card);
  }

  applyFilter(card) {
    const entry = this.injects.get(Number(card.dataset.inject));
    card.hidden = !this.shows(entry);
    if (entry?.replyButton) entry.replyButton.disabled = !this.replyOpen;
  }

  shows(entry) {
    if (!this.filter) return true;
    if (this.filter === NEEDS_REPLY) return waitsForReply(entry);
    return entry.data.platform === this.filter;
  }

  refreshCounts() {
    const listed = [...this.injects.values()].filter(({ data }) => !this.elsewhere.has(data.platform));
    const counts = {};
    for (const { data } of listed) counts[data.platform] = (counts[data.platform] || 0) + 1;
    const waiting = listed.filter(waitsForReply).length;
    this.needsCount.textContent = String(waiting);
    this.needsCount.parentElement.classList.toggle("chip-alert", waiting > 0);
    for (const chip of this.chips) {
      if (!chip.dataset.filter || chip.dataset.filter === NEEDS_REPLY) continue;
      const n = counts[chip.dataset.filter] || 0;
      chip.hidden = n === 0;
      chip.querySelector("[data-filter-count]").textContent = String(n);
    }
    this.count.textContent = String(listed.length);
    this.empty.hidden = listed.length > 0;
  }
}

function severityPips(severity) {
  const level = Math.max(1, Math.min(5, Number(severity) || 1));
  const pips = Array.from({ length: 5 }, (_, i) => el("span", { className: i < level ? "pip on" : "pip" }));
  const label = fmt(t("Severity %(level)s of 5"), { level });
  return el("span", { className: `severity severity-${level}`, title: label, "aria-label": label }, ...pips);
}

function waitsForReply(entry) {
  return Boolean(entry?.data.requires_response) && entry.answeredMs === null;
}

function updateDeadline(entry, simNow, finished) {
  const { data, deadline, answeredMs, publishedMs } = entry;
  if (answeredMs !== null) {
    const late = answeredMs > data.respond_by_ms;
    deadline.className = late ? "deadline deadline-late" : "deadline deadline-done";
    deadline.textContent = fmt(late ? t("Answered late at %(time)s") : t("Answered at %(time)s"), {
      time: formatSim(answeredMs),
    });
    return;
  }
  if (finished) {
    deadline.className = "deadline deadline-missed";
    deadline.textContent = t("Not answered");
    return;
  }
  const left = data.respond_by_ms - simNow;
  const allowed = Math.max(data.respond_by_ms - publishedMs, 1);
  const state = left < 0 ? "overdue" : left < allowed * WARN_SHARE ? "soon" : "open";
  deadline.className = `deadline deadline-${state}`;
  deadline.textContent =
    left < 0
      ? fmt(t("Overdue by %(time)s"), { time: formatSim(-left) })
      : fmt(t("Reply due in %(time)s"), { time: formatSim(left) });
  entry.card.classList.toggle("post-overdue", left < 0);
}

function followersLabel(followers) {
  const n = Number(followers) || 0;
  return fmt(tn("%(count)s follower", "%(count)s followers", n), { count: compactNumber(n) });
}

// "replied at 4:10 · by <name>": the name is isolated, so a Hebrew name in a French line stays in place.
function repliedAt(time, name) {
  const [before, after = ""] = t("replied at %(time)s · by %(name)s").split("%(name)s");
  return el("span", { className: "reply-meta" }, fmt(before, { time }), el("bdi", {}, name), fmt(after, { time }));
}
