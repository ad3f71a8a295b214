// The room's listening panel: the numbers of listening.js drawn from the events this client already has.
// Bars use logical sizes (block-size, inline-size) so the panel reads right to left in Hebrew.
import { compactNumber, el, fullNumber } from "./drill-room-dom.js";
import { fmt, t } from "./i18n.js";
import { Listening, SENTIMENTS } from "./listening.js";

const REDRAW_MS = 1000; // of wall time: the numbers move by the simulated minute, not by the frame
const SENTIMENT_LABELS = { negative: t("negative"), neutral: t("neutral"), positive: t("positive") };
const MSG_NO_RECENT = t("No posts in the last five minutes");
// 0.67 -> "67%" in English, "67 %" in French.
const PERCENT = new Intl.NumberFormat(document.documentElement.lang || undefined, {
  style: "percent",
  maximumFractionDigits: 0,
});

export class ListeningPanel {
  // `brand`: the drill's {name, handle}; its own name is the query every post answers, not a topic.
  constructor(root, { brand } = {}) {
    this.node = root.querySelector("[data-listening]");
    this.numbers = new Listening({ ignore: String(brand?.name || "").split(/\s+/).filter(Boolean) });
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
    const label = fmt(t("%(n)s mentions in the last minute"), { n: counts.at(-1) });
    spark.setAttribute("aria-label", label);
    spark.title = label; // the bars have no scale: say the number on hover too
    spark.replaceChildren(...counts.map((count) => bar("spark-bar", (100 * count) / top, "blockSize")));
    const shares = this.numbers.shares(nowMs);
    const recent = SENTIMENTS.some((name) => shares[name] > 0);
    const sentimentBar = q("shares");
    sentimentBar.hidden = !recent;
    const shareBar = (name) => bar(`share share-${name}`, 100 * shares[name], "inlineSize");
    sentimentBar.replaceChildren(...SENTIMENTS.map(shareBar));
    q("shares-text").textContent = recent
      ? SENTIMENTS.map((name) => `${SENTIMENT_LABELS[name]} ${PERCENT.format(shares[name])}`).join(" · ")
      : MSG_NO_RECENT;
    const views = this.numbers.totalViews();
    q("views").textContent = compactNumber(views);
    q("views").title = fullNumber(views);
    const { words, hashtags } = this.numbers.topTerms();
    const terms = [...hashtags, ...words];
    q("terms").replaceChildren(
      ...terms.map(({ term, count }) => el("li", { dir: "auto" }, el("bdi", {}, term), ` ×${count}`)),
    );
    q("terms-empty").hidden = terms.length > 0;
  }
}

function bar(className, percent, size) {
  const node = el("span", { className });
  node.style[size] = `${Math.round(percent)}%`; // CSSOM, not a style attribute: the strict CSP allows it
  return node;
}
