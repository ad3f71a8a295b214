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
    this.reach = console ? el("strong", { dir: "ltr" }, "0") : null;
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
        counters = el("span", { className: "post-engagement", dir: "ltr" }); // numbers and symbols, in any page
        place.append(counters);
      }
      counters.setAttribute("aria-label", fmt(MSG_COUNTERS, { likes, shares, views }));
      const grew = growth > 0 ? ` ▲${short(growth)}` : "";
      counters.textContent = `♥ ${short(likes)} · ⇄ ${short(shares)} · ◉ ${short(views)}${grew}`;
    }
  }

  showReach() {
    if (!this.reach) return;
    let total = 0;
    for (const id of this.negative) if (!this.answered.has(id)) total += this.views.get(`post:${id}`) || 0;
    this.reach.textContent = short(total);
  }
}

// The short number without the direction marks some languages add (Hebrew's ends in U+200F): in a left-to-right
// row of counters they would pull the symbols out of order.
function short(value) {
  return compactNumber(value).replace(/[\u200e\u200f]/g, "");
}
