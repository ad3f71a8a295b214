// Likes, shares and views on the room's cards (PROTOCOL 1.4), from the latest `engagement` event, with their
// growth since the one before; and, in the instructors' console, the reach (views) of the negative posts that
// nobody has answered yet. The numbers are listening.js's running totals; this module only draws them, once per
// animation frame: a room that opens on a long drill replays hundreds of engagement events, each listing hundreds
// of posts, and only the last counters of each card are worth drawing.
import { compactNumber, el, fullNumber } from "./drill-room-dom.js";
import { fmt, t } from "./i18n.js";
import { Counters } from "./listening.js";

const MSG_COUNTERS = t("%(likes)s likes, %(shares)s shares, %(views)s views");
const MSG_GROWTH = t("%(growth)s more views since the last count");
const MSG_REACH = t("Reach of unanswered negative posts");

export class EngagementCounters {
  constructor(root, { feed }) {
    this.feed = feed;
    this.counters = new Counters();
    this.pending = new Map(); // "post:<id>" / "reply:<id>" -> its latest change, not drawn yet
    this.scheduled = false;
    const console = root.querySelector("[data-console] .console-body");
    this.reach = console ? el("strong", { dir: "ltr", dataset: { reach: "" } }, "0") : null;
    if (console) console.append(el("p", { className: "console-reach" }, `${MSG_REACH}: `, this.reach));
  }

  add(frame) {
    if (!["inject.published", "response.published", "engagement"].includes(frame.kind)) return;
    for (const change of this.counters.add(frame)) this.pending.set(`${change.kind}:${change.id}`, change);
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => this.draw());
  }

  draw() {
    this.scheduled = false;
    for (const change of this.pending.values()) {
      if (change.kind === "post") showOnPost(this.feed.cardOf(change.id), change);
      else for (const item of this.feed.replyItems(change.id)) showOnReply(item, change);
    }
    this.pending.clear();
    this.showReach();
  }

  showReach() {
    if (!this.reach) return;
    const total = this.counters.unansweredNegativeViews;
    setText(this.reach, short(total));
    this.reach.title = fullNumber(total);
  }
}

// The counters of one post ("post:<id>") or reply ("reply:<id>") on its cards in the feed: the replay's way in,
// which draws a moment whole instead of following the frames.
export function showCounters(root, key, counters) {
  const [kind, id] = key.split(":");
  if (kind === "post") showOnPost(root.querySelector(`[data-feed] [data-inject="${id}"]`), counters);
  else for (const item of root.querySelectorAll(`[data-feed] [data-response="${id}"]`)) showOnReply(item, counters);
}

// At the end of the post's footer, after its buttons.
function showOnPost(card, change) {
  const foot = card?.querySelector(":scope > .post-foot");
  if (!foot) return;
  let counters = foot.querySelector(":scope > .post-engagement");
  if (!counters) foot.append((counters = countersNode("post-engagement")));
  drawCounters(counters, change);
}

// Under the reply's text, above the crowd's reactions to it: the reply keeps the whole width of its thread.
function showOnReply(item, change) {
  const text = item.querySelector(":scope > .reply-body > .reply-text");
  let counters = item.querySelector(":scope > .reply-body > .reply-engagement");
  if (!counters) text?.after((counters = countersNode("post-engagement reply-engagement")));
  if (text) drawCounters(counters, change);
}

// Symbols for the eye (hidden from screen readers), the same numbers as a sentence for screen readers and in the
// tooltip. Numbers and symbols read left to right in any page.
function countersNode(className) {
  return el(
    "span",
    { className, dir: "ltr" },
    el("span", { className: "engagement-symbols", "aria-hidden": "true" }),
    el("span", { className: "visually-hidden" }),
  );
}

function drawCounters(node, { likes, shares, views, growth }) {
  const [symbols, sentence] = node.children;
  const grew = growth > 0 ? ` ▲${short(growth)}` : "";
  setText(symbols, `♥ ${short(likes)} · ⇄ ${short(shares)} · ◉ ${short(views)}${grew}`);
  const numbers = { likes: fullNumber(likes), shares: fullNumber(shares), views: fullNumber(views) };
  const parts = [fmt(MSG_COUNTERS, numbers), growth > 0 ? fmt(MSG_GROWTH, { growth: fullNumber(growth) }) : ""];
  if (setText(sentence, parts.filter(Boolean).join("; "))) node.title = sentence.textContent;
}

// Writes only a text that changed (a short number often does not): each write makes the browser lay the feed out.
function setText(node, text) {
  if (node.textContent === text) return false;
  node.textContent = text;
  return true;
}

// The short number without the direction marks some languages add (Hebrew's ends in U+200F): in a left-to-right
// row of counters they would pull the symbols out of order.
function short(value) {
  return compactNumber(value).replace(/[\u200e\u200f]/g, "");
}
