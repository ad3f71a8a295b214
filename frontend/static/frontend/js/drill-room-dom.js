// Small DOM and formatting helpers for the drill room. Text always goes in through textContent (never
// innerHTML): posts, personas and replies are untrusted.
import { t } from "./i18n.js";

// el("p", {className: "x", dir: "auto", dataset: {seq: 3}}, "text", childNode)
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "className" || key === "hidden" || key === "disabled" || key === "type") node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

// Simulated milliseconds as m:ss (minutes are not wrapped: a 90-minute drill shows 90:00).
export function formatSim(ms) {
  const sign = ms < 0 ? "-" : "";
  const total = Math.floor(Math.abs(ms) / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return `${sign}${minutes}:${seconds}`;
}

// 4500 -> "4.5K" in English, "4,5 k" in French: the page language's own short form.
const COMPACT = new Intl.NumberFormat(document.documentElement.lang || undefined, { notation: "compact" });
const HAS_COMPACT = COMPACT.resolvedOptions().notation === "compact"; // asked once: the counters format thousands

// 4500 -> "4,500" in English, "4 500" in French: the exact number, for labels beside a short one.
const FULL = new Intl.NumberFormat(document.documentElement.lang || undefined);

export function fullNumber(value) {
  return FULL.format(Number(value) || 0);
}

export function compactNumber(value) {
  const n = Number(value) || 0;
  if (HAS_COMPACT) return COMPACT.format(n);
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1).replace(/\.0$/, "")}M`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(n >= 10_000 ? 0 : 1).replace(/\.0$/, "")}K`;
  return String(n);
}

// Posts and replies of a right-to-left scenario are right to left even when they open with a @handle or a
// brand name (dir="auto" would follow that first word); in other scenarios each text decides for itself.
export const POST_DIR = document.getElementById("room")?.dataset.postDirection === "rtl" ? "rtl" : "auto";

// A name or a posted text inside a sentence, set apart (RLI, LRI or FSI … PDI) so that its direction cannot
// reorder the sentence around it; "auto" lets its first letter decide, as <bdi> does.
const ISOLATES = { rtl: "\u2067", ltr: "\u2066", auto: "\u2068" };

export function isolate(text, dir = "auto") {
  return `${ISOLATES[dir] || ISOLATES.auto}${text ?? ""}\u2069`;
}

// @handles, #tags and links inside a post. In a right-to-left post "@galil_dairy" would show as
// "galil_dairy@": the "@" is neutral and takes the paragraph's direction. Each is set apart, and its own
// first letter decides (a Hebrew #tag stays right to left).
const RUNS = /([@#][\p{L}\p{N}_.]*[\p{L}\p{N}_]|https?:\/\/\S+)/u;

// postText("Same here @shopline") -> ["Same here ", <bdi>@shopline</bdi>, ""]: the same textContent.
export function postText(text) {
  return String(text ?? "")
    .split(RUNS)
    .map((part, index) => (index % 2 ? el("bdi", {}, part) : part));
}

// The same, for a text inside a sentence (a log line, a toast): isolates instead of elements.
export function isolatedPostText(text, dir = POST_DIR) {
  const parts = String(text ?? "").split(RUNS);
  return isolate(parts.map((part, index) => (index % 2 ? isolate(part) : part)).join(""), dir);
}

export const PLATFORM_LABELS = {
  x: "X",
  facebook: "Facebook",
  instagram: "Instagram",
  tiktok: "TikTok",
  linkedin: "LinkedIn",
  news: t("News"),
  email: t("E-mail"),
  internal: t("Internal"),
};

export function platformLabel(platform) {
  return PLATFORM_LABELS[platform] || platform;
}

// Social platforms show handles with "@"; e-mail addresses, newsrooms and internal names stay as written.
const AT_PLATFORMS = new Set(["x", "instagram", "tiktok"]);

export function shownHandle(handle, platform) {
  const text = String(handle || "");
  return text && AT_PLATFORMS.has(platform) && !text.startsWith("@") ? `@${text}` : text;
}

export function initials(name) {
  const words = String(name || "?").trim().split(/\s+/).filter(Boolean);
  return words.slice(0, 2).map((word) => [...word][0].toUpperCase()).join("") || "?";
}

// Chain roles and persona kinds as people read them (labels.js); the other modules take them from here.
export { personaKindLabel, roleLabel, roleTitle } from "./labels.js";
