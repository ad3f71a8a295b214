// The room's listening panel: the numbers of listening.js drawn from the events this client already has.
// Bars use logical sizes (block-size, inline-size) so the panel reads right to left in Hebrew.
import { compactNumber, el } from "./drill-room-dom.js";
import { fmt, t } from "./i18n.js";
import { Listening } from "./listening.js";

const REDRAW_MS = 1000; // of wall time: the numbers move by the simulated minute, not by the frame
const SENTIMENT_LABELS = { negative: t("negative"), neutral: t("neutral"), positive: t("positive") };

export class ListeningPanel {
  constructor(root) {
    this.node = root.querySelector("[data-listening]");
    this.numbers = new Listening();
    this.drawnAt = 0;
    this.dirty = true;
  }

  add(frame) {
    if (frame.kind !== "inject.published" && frame.kind !== "engagement") return;
    this.numbers.add(frame);
    this.dirty = true;
  }

  tick(nowMs) {
    const wall = Date.now();
    if (!this.node || (!this.dirty && wall - this.drawnAt < REDRAW_MS)) return;
    this.drawnAt = wall;
    this.dirty = false;
    this.draw(nowMs);
  }

  draw(nowMs) {
    const q = (name) => this.node.querySelector(`[data-listening-${name}]`);
    const counts = this.numbers.perMinute(nowMs);
    const top = Math.max(1, ...counts);
    const spark = q("spark");
    spark.setAttribute("aria-label", fmt(t("%(n)s mentions in the last minute"), { n: counts.at(-1) }));
    spark.replaceChildren(...counts.map((count) => bar("spark-bar", (100 * count) / top, "blockSize")));
    const shares = this.numbers.shares(nowMs);
    const names = Object.keys(SENTIMENT_LABELS);
    q("shares").replaceChildren(...names.map((name) => bar(`share share-${name}`, 100 * shares[name], "inlineSize")));
    q("shares-text").textContent = names
      .map((name) => `${SENTIMENT_LABELS[name]} ${Math.round(100 * shares[name])}%`)
      .join(" · ");
    q("views").textContent = compactNumber(this.numbers.totalViews());
    const { words, hashtags } = this.numbers.topTerms();
    q("terms").replaceChildren(
      ...[...hashtags, ...words].map(({ term, count }) => el("li", { dir: "auto" }, `${term} ×${count}`)),
    );
  }
}

function bar(className, percent, size) {
  const node = el("span", { className });
  node.style[size] = `${Math.round(percent)}%`; // CSSOM, not a style attribute: the strict CSP allows it
  return node;
}
