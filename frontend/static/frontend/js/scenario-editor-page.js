// The scenario editor's shared parts: the page and its text area, the state the other parts read and
// change, and the small helpers they all use (words in the page language, elements built through
// textContent, times, JSON requests).
import { CRLF, LF, withLineEnding } from "./source-text.js";

export const root = document.getElementById("editor");
export const textarea = document.getElementById("scenario-text");
const words = JSON.parse(document.getElementById("editor-messages").textContent);

export const state = {
  scenarioId: root.dataset.scenarioId,
  direction: root.dataset.direction,
  savedText: textarea.value,
  lineEnding: root.dataset.lineEnding === "crlf" ? CRLF : LF, // the author's: a text area holds "\n" only
  saving: false,
  checkTimer: 0,
  checkSeq: 0,
  checkAbort: null,
  hasTimeline: false,
  gutterLines: 0,
  markedLines: [],
  tabMovesFocus: false,
};

// ---- small helpers -------------------------------------------------------------------------

export function say(key, values = {}) {
  return (words[key] ?? key).replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

export function counted(base, n) {
  return say(n === 1 ? `${base}_one` : `${base}_other`, { n });
}

export function el(tag, { className, text, dir, title } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  if (dir) node.dir = dir;
  if (title) node.title = title;
  node.append(...children);
  return node;
}

export function clock(ms) {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export function asSpec(text) {
  // One body shape for validate, preview and save: `{spec: text}`. The issues' lines refer to `text`.
  return JSON.stringify({ spec: text });
}

export function asSource(text) {
  // Saving gives the author's text (PROTOCOL 1.7), kept verbatim, with the line endings it was written with.
  return JSON.stringify({ source: withLineEnding(text, state.lineEnding) });
}

export async function send(method, url, { body, signal } = {}) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, { method, headers, body, signal, credentials: "same-origin" });
  const raw = await response.text();
  let data = null;
  try {
    data = raw ? JSON.parse(raw) : null;
  } catch {
    data = null; // an HTML error page: the status says enough
  }
  return { status: response.status, ok: response.ok, data };
}
