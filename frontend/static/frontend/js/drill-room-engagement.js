// Likes, shares and views on the room's cards (PROTOCOL 1.4), from the latest `engagement` event, with their
// growth since the one before; and, in the instructors' console, the reach (views) of the negative posts that
// nobody has answered yet.
import { compactNumber, el } from "./drill-room-dom.js";
import { fmt, t } from "./i18n.js";

const MSG_COUNTERS = t("%(likes)s likes, %(shares)s shares, %(views)s views");
const MSG_REACH = t("Reach of unanswered negative posts");

export class EngagementCounters {
  constructor(root) {
    this.root = root;
    this.views = new Map(); // "post:<id>" / "reply:<id>" -> views
    this.negative = new Set(); // ids of negative posts
    this.answered = new Set(); // ids of posts that have a published reply
    const console = root.querySelector("[data-console] .console-body");
    this.reach = console ? el("strong", { className: "ltr-always" }, "0") : null;
    if (console) console.append(el("p", { className: "console-reach" }, `${MSG_REACH}: `, this.reach));
  }

  add(frame) {
    const { data } = frame;
    if (frame.kind === "inject.published" && data.sentiment === "negative") this.negative.add(data.id);
    else if (frame.kind === "response.published") for (const id of data.reply_to || []) this.answered.add(id);
    else if (frame.kind !== "engagement") return;
    for (const entry of data.posts || []) this.show(`post:${entry.inject}`, `[data-inject="${entry.inject}"] > .post-foot`, entry);
    for (const entry of data.replies || []) this.show(`reply:${entry.response}`, `[data-response="${entry.response}"]`, entry);
    this.showReach();
  }

  show(key, selector, { likes, shares, views }) {
    const growth = views - (this.views.get(key) ?? views);
    this.views.set(key, views);
    for (const place of this.root.querySelectorAll(`[data-feed] ${selector}`)) {
      let counters = place.querySelector(":scope > .post-engagement");
      if (!counters) {
        counters = el("span", { className: "post-engagement ltr-always" });
        place.append(counters);
      }
      counters.setAttribute("aria-label", fmt(MSG_COUNTERS, { likes, shares, views }));
      const grew = growth > 0 ? ` ▲${compactNumber(growth)}` : "";
      counters.textContent = `♥ ${compactNumber(likes)} · ⇄ ${compactNumber(shares)} · 👁 ${compactNumber(views)}${grew}`;
    }
  }

  showReach() {
    if (!this.reach) return;
    let total = 0;
    for (const id of this.negative) if (!this.answered.has(id)) total += this.views.get(`post:${id}`) || 0;
    this.reach.textContent = compactNumber(total);
  }
}
