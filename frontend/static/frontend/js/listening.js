// The listening panel's numbers (issue 15), pure: computed from the events the client already has, no server
// state. Posts are inject.published frames, `engagement` frames carry the latest counters (PROTOCOL 1.4).

export const MINUTE_MS = 60_000;
export const WINDOW_MS = 5 * MINUTE_MS; // the sentiment share looks at the last five simulated minutes
export const SPARK_MINUTES = 15; // minutes drawn in the mentions sparkline
export const TOP_TERMS = 5;
const SENTIMENTS = ["negative", "neutral", "positive"];
// Short words say nothing about the crisis: count words of 4 letters or more (any script) and every hashtag.
const WORD = /[#@]?[\p{L}\p{N}_]{4,}/gu;

export class Listening {
  constructor() {
    this.posts = []; // { id, simMs, sentiment, text }
    this.views = new Map(); // inject or response id -> latest views ("posts:" / "replies:" keys)
  }

  add(frame) {
    if (frame.kind === "inject.published") {
      const { id, sentiment, text } = frame.data;
      this.posts.push({ id, simMs: frame.sim_ms, sentiment: sentiment || "neutral", text: text || "" });
    } else if (frame.kind === "engagement") {
      for (const entry of frame.data.posts || []) this.views.set(`post:${entry.inject}`, entry.views);
      for (const entry of frame.data.replies || []) this.views.set(`reply:${entry.response}`, entry.views);
    }
  }

  // Mentions per simulated minute for the last SPARK_MINUTES minutes up to nowMs, oldest first.
  perMinute(nowMs) {
    const last = Math.floor(nowMs / MINUTE_MS);
    const counts = new Array(SPARK_MINUTES).fill(0);
    for (const post of this.posts) {
      const index = SPARK_MINUTES - 1 - (last - Math.floor(post.simMs / MINUTE_MS));
      if (index >= 0 && index < SPARK_MINUTES) counts[index] += 1;
    }
    return counts;
  }

  // Share (0..1) of negative, neutral and positive posts over the last WINDOW_MS; zeros when there are none.
  shares(nowMs) {
    const recent = this.posts.filter((post) => post.simMs > nowMs - WINDOW_MS && post.simMs <= nowMs);
    const result = Object.fromEntries(SENTIMENTS.map((name) => [name, 0]));
    for (const post of recent) result[post.sentiment] += 1 / recent.length;
    return result;
  }

  // The most repeated words and hashtags: [{ term, count }], most first, then alphabetical; lower-cased.
  topTerms() {
    const words = new Map();
    const tags = new Map();
    for (const post of this.posts) {
      for (const match of post.text.toLocaleLowerCase().matchAll(WORD)) {
        const term = match[0];
        if (term.startsWith("@")) continue; // a handle is a person, not a topic
        const counts = term.startsWith("#") ? tags : words;
        counts.set(term, (counts.get(term) || 0) + 1);
      }
    }
    return { words: ranked(words), hashtags: ranked(tags) };
  }

  totalViews() {
    let total = 0;
    for (const views of this.views.values()) total += views;
    return total;
  }
}

function ranked(counts) {
  return [...counts]
    .map(([term, count]) => ({ term, count }))
    .sort((a, b) => b.count - a.count || a.term.localeCompare(b.term))
    .slice(0, TOP_TERMS);
}
