// Likes, shares and views on the room's cards (PROTOCOL 1.4), from the latest `engagement` event, with their
// growth since the one before; and, in the instructors' console, the reach (views) of the negative posts that
// nobody has answered yet. The counters are folded by the reducer the replay shares (drill-state.js).
import { compactNumber, el } from "./drill-room-dom.js";
import { foldEngagement } from "./drill-state.js";
import { fmt, t } from "./i18n.js";

const MSG_COUNTERS = t("%(likes)s likes, %(shares)s shares, %(views)s views");
const MSG_REACH = t("Reach of unanswered negative posts");

export class EngagementCounters {
  constructor(root) {
    this.root = root;
    this.counters = new Map(); // "post:<id>" / "reply:<id>" -> {likes, shares, views, growth}
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
    else if (frame.kind === "engagement") {
      for (const key of foldEngagement(this.counters, data)) showCounters(this.root, key, this.counters.get(key));
    } else return;
    this.showReach();
  }

  showReach() {
    if (!this.reach) return;
    let total = 0;
    for (const id of this.negative) if (!this.answered.has(id)) total += this.counters.get(`post:${id}`)?.views || 0;
    this.reach.textContent = short(total);
  }
}

// The counters of one post ("post:<id>") or reply ("reply:<id>") on its cards in the feed.
export function showCounters(root, key, { likes, shares, views, growth }) {
  const [kind, id] = key.split(":");
  const selector = kind === "post" ? `[data-inject="${id}"] > .post-foot` : `[data-response="${id}"]`;
  for (const place of root.querySelectorAll(`[data-feed] ${selector}`)) {
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

// The short number without the direction marks some languages add (Hebrew's ends in U+200F): in a left-to-right
// row of counters they would pull the symbols out of order.
function short(value) {
  return compactNumber(value).replace(/[\u200e\u200f]/g, "");
}
