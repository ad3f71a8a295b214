// The listening panel's numbers and the cards' counters (issue 15), pure: computed from the events the client
// already has, no server state. Posts are inject.published frames, `engagement` frames carry the latest counters
// (PROTOCOL 1.4). A long drill brings thousands of frames, so every frame updates running totals once and every
// question is answered from them in time that does not grow with the log (the top terms: with the vocabulary).

export const MINUTE_MS = 60_000;
export const WINDOW_MS = 5 * MINUTE_MS; // the sentiment share looks at the last five simulated minutes
export const SPARK_MINUTES = 15; // minutes drawn in the mentions sparkline
export const TOP_TERMS = 5;
const MIN_REPEATS = 2; // a word said once is not a trend
export const SENTIMENTS = ["negative", "neutral", "positive"];
// Short words say nothing about the crisis: count words of 4 letters or more (any script) and every hashtag.
const WORD = /[#@]?[\p{L}\p{N}_]{4,}/gu;
// Nor do the common long words of the room's languages (en, fr, he): they would top every list.
const STOPWORDS = new Set(
  [
    "about again also anyone been does dont else every from have here into just like more much only really same some",
    "still than that their them then there they this very want were what when where which will with would your",
    "aussi avec avoir cette comme dans depuis elle elles encore être fait juste leur mais même nous plus pour quand",
    "quoi rien sommes sont tous tout très vous êtes était",
    "אבל אותו אנחנו אתכם באמת היום כולם עדיין עכשיו שלכם שלנו",
  ].flatMap((line) => line.split(" ")),
);

export class Listening {
  // `ignore`: words that name the brand itself (every post mentions it; it is the query, not a topic).
  constructor({ ignore = [] } = {}) {
    this.ignored = new Set(ignore.map((word) => word.toLocaleLowerCase()));
    this.perMinuteCounts = new Map(); // simulated minute -> posts published in it
    this.times = Object.fromEntries(SENTIMENTS.map((name) => [name, []])); // sim_ms per sentiment, ascending
    this.words = new Map();
    this.tags = new Map();
    this.counters = new Counters(); // for the total views
  }

  add(frame) {
    this.counters.add(frame);
    if (frame.kind !== "inject.published") return;
    const { sentiment, text } = frame.data;
    const minute = Math.floor(frame.sim_ms / MINUTE_MS);
    this.perMinuteCounts.set(minute, (this.perMinuteCounts.get(minute) || 0) + 1);
    insertSorted(this.times[SENTIMENTS.includes(sentiment) ? sentiment : "neutral"], frame.sim_ms);
    this.countTerms(text || "");
  }

  countTerms(text) {
    for (const match of text.toLocaleLowerCase().matchAll(WORD)) {
      const term = match[0];
      if (term.startsWith("@")) continue; // a handle is a person, not a topic
      if (STOPWORDS.has(term) || this.ignored.has(term)) continue;
      const counts = term.startsWith("#") ? this.tags : this.words;
      counts.set(term, (counts.get(term) || 0) + 1);
    }
  }

  // Mentions per simulated minute for the last SPARK_MINUTES minutes up to nowMs, oldest first.
  perMinute(nowMs) {
    const last = Math.floor(nowMs / MINUTE_MS);
    return Array.from({ length: SPARK_MINUTES }, (_, i) => this.perMinuteCounts.get(last - SPARK_MINUTES + 1 + i) || 0);
  }

  // Share (0..1) of negative, neutral and positive posts over the last WINDOW_MS; zeros when there are none.
  shares(nowMs) {
    const counts = SENTIMENTS.map((name) => countBetween(this.times[name], nowMs - WINDOW_MS, nowMs));
    const total = counts.reduce((sum, n) => sum + n, 0);
    return Object.fromEntries(SENTIMENTS.map((name, i) => [name, total ? counts[i] / total : 0]));
  }

  // The most repeated words and hashtags (said at least twice): [{ term, count }], most first, then alphabetical;
  // lower-cased.
  topTerms() {
    return { words: ranked(this.words), hashtags: ranked(this.tags) };
  }

  totalViews() {
    return this.counters.totalViews;
  }
}

// The latest likes, shares and views of every post and reply, their growth, and the reach (views) of the negative
// posts nobody has answered yet, kept as running totals.
export class Counters {
  constructor() {
    this.latest = new Map(); // "post:<id>" / "reply:<id>" -> {likes, shares, views, growth}
    this.negative = new Set(); // ids of negative posts
    this.answered = new Set(); // ids of posts that have a published reply
    this.totalViews = 0;
    this.unansweredNegativeViews = 0;
  }

  // The counters this frame changed ({kind, id, likes, shares, views, growth}, see foldCounts), empty for frames
  // that bring none.
  add(frame) {
    const { data } = frame;
    if (frame.kind === "inject.published" && data.sentiment === "negative") this.negative.add(data.id);
    else if (frame.kind === "response.published") for (const id of data.reply_to || []) this.answer(id);
    if (frame.kind !== "engagement") return [];
    return foldCounts(this.latest, data).map(({ key, added, ...change }) => {
      this.totalViews += added;
      const { kind, id } = change;
      if (kind === "post" && this.negative.has(id) && !this.answered.has(id)) this.unansweredNegativeViews += added;
      return change; // {kind, id, likes, shares, views, growth}
    });
  }

  answer(id) {
    if (this.answered.has(id)) return;
    this.answered.add(id);
    if (this.negative.has(id)) this.unansweredNegativeViews -= this.latest.get(`post:${id}`)?.views || 0;
  }
}

// The one counting rule of the room and the replay (drill-state.js): folds an engagement event into `latest`
// ("post:<id>" / "reply:<id>" -> {likes, shares, views, growth}) and returns what changed, each
// {key, kind, id, likes, shares, views, growth, added}. An event lists only what changed; growth is the views gained
// since that card's previous count (none at a first count: nothing to grow from), and a card that grew in the event
// before but is not listed in this one has stopped growing: it comes back with growth 0. `added`: views to add to
// any running total.
export function foldCounts(latest, data) {
  const listed = [
    ...(data.posts || []).map((entry) => ["post", entry.inject, entry]),
    ...(data.replies || []).map((entry) => ["reply", entry.response, entry]),
  ];
  const changes = listed.map(([kind, id, { likes, shares, views }]) => {
    const key = `${kind}:${id}`;
    const before = latest.get(key);
    const added = views - (before?.views || 0);
    return { key, kind, id, likes, shares, views, growth: before ? added : 0, added };
  });
  const named = new Set(changes.map((change) => change.key));
  for (const [key, counts] of latest) {
    if (counts.growth <= 0 || named.has(key)) continue;
    const [kind, id] = key.split(":");
    changes.push({ ...counts, key, kind, id: Number(id), growth: 0, added: 0 });
  }
  for (const { key, likes, shares, views, growth } of changes) latest.set(key, { likes, shares, views, growth });
  return changes;
}

// Frames come in log order, nearly always in time order too: appending is the usual case.
function insertSorted(values, value) {
  if (!values.length || values.at(-1) <= value) values.push(value);
  else values.splice(upperBound(values, value), 0, value);
}

// The index of the first value above `value` (binary search).
function upperBound(values, value) {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

// How many values v have from < v <= to.
function countBetween(values, from, to) {
  return upperBound(values, to) - upperBound(values, from);
}

// The TOP_TERMS largest counts of MIN_REPEATS or more, in one pass over the vocabulary (no sort of all of it).
function ranked(counts) {
  const top = [];
  const before = (a, b) => b.count - a.count || a.term.localeCompare(b.term);
  for (const [term, count] of counts) {
    if (count < MIN_REPEATS) continue;
    const entry = { term, count };
    if (top.length === TOP_TERMS && before(top.at(-1), entry) <= 0) continue;
    const at = top.findIndex((other) => before(entry, other) < 0);
    top.splice(at === -1 ? top.length : at, 0, entry);
    if (top.length > TOP_TERMS) top.pop();
  }
  return top;
}
