// The scenario editor: the document in a text area with line numbers, checked by the server as you
// type (every error with its path and line; a click puts the cursor there), the planned timeline
// beside it, and save / publish. Text from the document or the server only ever reaches the page
// through textContent, never as HTML.
import { personaKindLabel } from "./labels.js";

const CHECK_DELAY_MS = 300; // long enough to skip most keystrokes, short enough to feel live
const INDENT = "  "; // YAML refuses tabs, so the Tab key inserts spaces

const root = document.getElementById("editor");
const textarea = document.getElementById("scenario-text");
const codeEditor = document.getElementById("code-editor");
const gutter = document.getElementById("gutter");
const statusPill = document.getElementById("status-pill");
const saveState = document.getElementById("save-state");
const errorList = document.getElementById("error-list");
const warningList = document.getElementById("warning-list");
const issuesEmpty = document.getElementById("issues-empty");
const timeline = document.getElementById("timeline");
const conditional = document.getElementById("conditional");
const conditionalTitle = document.getElementById("conditional-title");
const timelineNote = document.getElementById("timeline-note");
const timelineSummary = document.getElementById("timeline-summary");
const words = JSON.parse(document.getElementById("editor-messages").textContent);
const rtlLanguages = new Set(root.dataset.rtlLanguages.split(" "));

const state = {
  scenarioId: root.dataset.scenarioId,
  direction: root.dataset.direction,
  savedText: textarea.value,
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

function say(key, values = {}) {
  return (words[key] ?? key).replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

function counted(base, n) {
  return say(n === 1 ? `${base}_one` : `${base}_other`, { n });
}

function el(tag, { className, text, dir, title } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  if (dir) node.dir = dir;
  if (title) node.title = title;
  node.append(...children);
  return node;
}

function clock(ms) {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function asSpec(text) {
  // One body shape for validate, preview and save: `{spec: text}`. The issues' lines refer to `text`.
  return JSON.stringify({ spec: text });
}

async function send(method, url, { body, signal } = {}) {
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

// ---- line numbers --------------------------------------------------------------------------

function lineCount(value) {
  let count = 1;
  for (let i = value.indexOf("\n"); i !== -1; i = value.indexOf("\n", i + 1)) count += 1;
  return count;
}

function renderGutter() {
  // Only the difference is added or removed: a 20 000-line document stays quick to type in.
  const count = lineCount(textarea.value);
  codeEditor.style.setProperty("--gutter-digits", String(Math.max(3, String(count).length)));
  const fragment = document.createDocumentFragment();
  while (state.gutterLines < count) {
    state.gutterLines += 1;
    fragment.append(el("div", { text: String(state.gutterLines) }));
  }
  gutter.append(fragment);
  while (state.gutterLines > count) {
    gutter.lastElementChild.remove();
    state.gutterLines -= 1;
  }
  syncGutterScroll();
}

function syncGutterScroll() {
  gutter.scrollTop = textarea.scrollTop;
}

function markLines(issues) {
  for (const node of state.markedLines) node.classList.remove("line-error", "line-warning");
  state.markedLines = [];
  for (const { line, kind } of issues) {
    const node = line ? gutter.children[line - 1] : null;
    if (!node) continue;
    node.classList.add(kind === "error" ? "line-error" : "line-warning");
    state.markedLines.push(node);
  }
}

function caretLine() {
  return lineCount(textarea.value.slice(0, textarea.selectionStart));
}

function markCaretLine() {
  gutter.querySelector(".line-current")?.classList.remove("line-current");
  gutter.children[caretLine() - 1]?.classList.add("line-current");
}

function goToLine(line) {
  const lines = textarea.value.split("\n");
  const target = Math.min(Math.max(line, 1), lines.length);
  let offset = 0;
  for (let i = 0; i < target - 1; i += 1) offset += lines[i].length + 1;
  offset += lines[target - 1].match(/^\s*/)[0].length; // on the first word, as editors do
  textarea.focus({ preventScroll: true });
  textarea.setSelectionRange(offset, offset);
  const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, (target - 1) * lineHeight - textarea.clientHeight / 3);
  textarea.scrollIntoView({ block: "nearest" });
  syncGutterScroll();
  markCaretLine();
  flashLine(target);
}

function flashLine(line) {
  const node = gutter.children[line - 1];
  if (!node) return;
  node.classList.remove("line-flash");
  void node.offsetWidth; // restarts the animation when the same line is chosen twice
  node.classList.add("line-flash");
}

// ---- checking as you type ------------------------------------------------------------------

function setPill(kind, label) {
  statusPill.className = `status-pill status-${kind}`;
  statusPill.textContent = label;
}

function issueItem(issue, kind) {
  const children = [el("code", { className: "issue-path", text: issue.path || say("document") })];
  if (issue.line) children.push(el("span", { className: "issue-line", text: say("line", { line: issue.line }) }));
  children.push(el("span", { className: "issue-message", text: issue.message }));
  const button = el("button", { className: `issue issue-${kind}` }, children);
  button.type = "button";
  button.dataset.action = "go-to-line";
  if (issue.line) button.dataset.line = String(issue.line);
  else button.disabled = true;
  return el("li", {}, [button]);
}

function renderIssues(errors, warnings) {
  errorList.replaceChildren(...errors.map((issue) => issueItem(issue, "error")));
  warningList.replaceChildren(...warnings.map((issue) => issueItem(issue, "warning")));
  issuesEmpty.hidden = errors.length + warnings.length > 0;
  markLines([
    ...warnings.map((issue) => ({ line: issue.line, kind: "warning" })),
    ...errors.map((issue) => ({ line: issue.line, kind: "error" })),
  ]);
}

function showResult(result) {
  const { valid, errors, warnings } = result;
  renderIssues(errors, warnings);
  if (!valid) {
    setPill("invalid", counted("errors", errors.length));
    return;
  }
  const label = warnings.length ? `${say("valid")} · ${counted("warnings", warnings.length)}` : say("valid");
  setPill(warnings.length ? "warning" : "valid", label);
}

function scheduleCheck() {
  clearTimeout(state.checkTimer);
  state.checkTimer = setTimeout(check, CHECK_DELAY_MS);
}

async function check() {
  // Only the newest check may touch the page: an older answer arriving late is dropped.
  const seq = ++state.checkSeq;
  state.checkAbort?.abort();
  const abort = new AbortController();
  state.checkAbort = abort;
  const body = textarea.value;
  setPill("checking", say("checking"));
  try {
    const result = await send("POST", "/api/scenarios/validate/", { body: asSpec(body), signal: abort.signal });
    if (seq !== state.checkSeq) return;
    if (result.status === 413) {
      renderIssues([{ path: "", message: say("too_large"), line: null }], []);
      setPill("invalid", counted("errors", 1));
      return;
    }
    if (result.status === 401 || result.status === 403) {
      setPill("offline", say("signed_out"));
      return;
    }
    if (!result.ok || !result.data) throw new Error(`validate answered ${result.status}`);
    showResult(result.data);
    if (result.data.valid) await refreshTimeline(body, seq, abort.signal);
    else showStale();
  } catch (error) {
    if (error.name === "AbortError" || seq !== state.checkSeq) return;
    console.error(error);
    setPill("offline", say("offline"));
  }
}

// ---- the planned timeline ------------------------------------------------------------------

async function refreshTimeline(body, seq, signal) {
  const result = await send("POST", "/api/scenarios/preview/", { body: asSpec(body), signal });
  if (seq !== state.checkSeq || !result.ok || !result.data) return;
  renderTimeline(result.data);
}

function showStale() {
  if (!state.hasTimeline) {
    timeline.tBodies[0].replaceChildren(el("tr", {}, [emptyCell(say("timeline_waits"))]));
    return;
  }
  timeline.classList.add("is-stale");
  conditional.classList.add("is-stale");
  timelineNote.textContent = say("stale");
  timelineNote.hidden = false;
}

function groupBursts(items) {
  // A burst's items become one group, shown where its first item falls.
  const groups = [];
  const bursts = new Map();
  for (const item of items) {
    if (item.burst_index === null) {
      groups.push({ first: item, items: [item], burst: false });
      continue;
    }
    let group = bursts.get(item.key);
    if (!group) {
      group = { first: item, items: [], burst: true };
      bursts.set(item.key, group);
      groups.push(group);
    }
    group.items.push(item);
  }
  return groups;
}

function postCell(item, persona, text) {
  return el("td", { className: "col-post" }, [
    el("div", { className: "post-head" }, [
      ...persona,
      el("span", { className: "inject-key", text: item.key }),
    ]),
    ...text,
  ]);
}

function personaParts(persona) {
  return [
    el("span", { className: "persona-name", text: persona.name, dir: "auto" }),
    el("bdi", { className: "persona-handle", text: persona.handle }),
  ];
}

function severityCell(severity) {
  return el("td", { className: "col-sev" }, [el("span", { className: `sev sev-${severity}`, text: String(severity) })]);
}

function replyCell(item) {
  if (!item.requires_response) return el("td", { className: "col-reply muted", text: say("no_reply") });
  const text =
    item.respond_by_ms === null ? say("reply_required") : say("reply_by", { time: clock(item.respond_by_ms) });
  return el("td", { className: "col-reply" }, [el("span", { className: "needs-reply", text })]);
}

function platformCell(platform) {
  return el("td", {}, [el("span", { className: `platform platform-${platform}`, text: platform })]);
}

function itemRow(item, first) {
  return el("tr", { className: "item-row" }, [
    first,
    platformCell(item.platform),
    postCell(item, personaParts(item.persona), [
      el("span", { className: "inject-text", text: item.text, dir: state.direction }),
    ]),
    severityCell(item.severity),
    replyCell(item),
  ]);
}

function burstRows(group, index) {
  const { first, items } = group;
  const last = items[items.length - 1];
  const toggle = el("button", { className: "burst-toggle", text: say("show") });
  toggle.type = "button";
  toggle.dataset.action = "toggle-burst";
  toggle.dataset.burst = String(index);
  toggle.setAttribute("aria-expanded", "false");
  const head = el("tr", { className: "item-row burst-row" }, [
    timeCell(`${clock(first.planned_ms)}–${clock(last.planned_ms)}`),
    platformCell(first.platform),
    postCell(
      first,
      [
        el("span", { className: "burst-count", text: `×${items.length}`, dir: "ltr" }),
        el("span", { className: "persona-handle", text: personaKindLabel(first.persona.kind) }),
      ],
      [el("span", { className: "burst-label", text: say("burst", { n: items.length }) }), toggle],
    ),
    severityCell(first.severity),
    replyCell(first),
  ]);
  const children = items.map((item) => {
    const row = itemRow(item, timeCell(clock(item.planned_ms)));
    row.classList.add("burst-item");
    row.dataset.burst = String(index);
    row.hidden = true;
    return row;
  });
  return [head, ...children];
}

function timeCell(text) {
  // Times read left to right in every language: "4:01–6:55" must not turn into "6:55–4:01".
  return el("td", { className: "col-time" }, [el("span", { text, dir: "ltr" })]);
}

function conditionText(when) {
  if ("unanswered" in when) return say("when_unanswered", { time: clock(when.for_ms), key: when.unanswered });
  if ("answered" in when) return say("when_answered", { time: clock(when.delay_ms), key: when.answered });
  return say("when_heat", { n: when.heat_above });
}

function renderTimeline(preview) {
  const groups = groupBursts(preview.timeline);
  const rows = groups.flatMap((group, index) =>
    group.burst
      ? burstRows(group, index)
      : [itemRow(group.first, timeCell(clock(group.first.planned_ms)))],
  );
  if (!rows.length) rows.push(el("tr", {}, [emptyCell(say("empty_timeline"))]));
  timeline.tBodies[0].replaceChildren(...rows);
  const conditionalRows = preview.conditional.map((item) =>
    itemRow(item, el("td", {}, [el("span", { className: "col-when", text: conditionText(item.when), dir: "auto" })])),
  );
  conditional.tBodies[0].replaceChildren(...conditionalRows);
  conditional.hidden = conditionalTitle.hidden = !conditionalRows.length;
  const all = [...preview.timeline, ...preview.conditional];
  const replies = all.filter((item) => item.requires_response).length;
  timelineSummary.textContent = `${counted("posts", all.length)} · ${counted("replies", replies)}`;
  timeline.classList.remove("is-stale");
  conditional.classList.remove("is-stale");
  timelineNote.hidden = true;
  state.hasTimeline = true;
}

function emptyCell(text) {
  const cell = el("td", { className: "muted", text });
  cell.colSpan = 5;
  return cell;
}

function toggleBurst(button) {
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  button.textContent = open ? say("hide") : say("show");
  for (const row of timeline.querySelectorAll(`tr.burst-item[data-burst="${button.dataset.burst}"]`)) {
    row.hidden = !open;
  }
}

// ---- direction follows the document's language ---------------------------------------------

function followLanguage() {
  const match = textarea.value.match(/^\s*"?language"?\s*:\s*["']?([A-Za-z]{2,3})\b/m);
  const direction = match && rtlLanguages.has(match[1].toLowerCase()) ? "rtl" : "ltr";
  if (!match || direction === state.direction) return;
  state.direction = direction;
  textarea.dir = codeEditor.dir = direction;
  for (const node of document.querySelectorAll(".inject-text")) node.dir = direction;
}

// ---- save and publish ----------------------------------------------------------------------

function isDirty() {
  return textarea.value !== state.savedText;
}

function setSaveState(kind, label) {
  saveState.className = `save-state save-${kind}`;
  saveState.textContent = label;
}

function showDirty() {
  if (isDirty()) setSaveState("dirty", say("unsaved"));
  else if (saveState.classList.contains("save-dirty")) setSaveState("clean", "");
}

async function save() {
  if (state.saving) return false;
  state.saving = true;
  const sent = textarea.value;
  setSaveState("busy", say("saving"));
  try {
    const url = state.scenarioId ? `/api/scenarios/${state.scenarioId}/` : "/api/scenarios/";
    const result = await send(state.scenarioId ? "PUT" : "POST", url, { body: asSpec(sent) });
    if (!result.ok) {
      setSaveState("failed", result.status === 413 ? say("too_large") : say("save_failed"));
      check(); // lists the errors with their lines
      return false;
    }
    state.savedText = sent;
    if (!state.scenarioId) {
      window.location.assign(`/scenarios/${result.data.id}/`);
      return true;
    }
    showSaved(result.data);
    return true;
  } catch {
    setSaveState("failed", say("offline"));
    return false;
  } finally {
    state.saving = false;
  }
}

function showSaved(scenario) {
  document.getElementById("scenario-title").textContent = scenario.title;
  document.title = `${scenario.title} · CrisisDrill`;
  const language = document.getElementById("scenario-language");
  if (language) language.textContent = scenario.language;
  if (isDirty()) setSaveState("dirty", say("unsaved"));
  else setSaveState("saved", say("saved"));
}

async function publish() {
  if (isDirty() && !(await save())) return;
  const result = await send("POST", `/api/scenarios/${state.scenarioId}/publish/`);
  if (!result.ok) {
    setSaveState("failed", say("publish_failed"));
    return;
  }
  const { version } = result.data;
  await refreshVersions(); // first, so the message and the list never disagree
  const badge = document.getElementById("published-badge");
  badge.className = "badge badge-published";
  badge.textContent = `v${version}`;
  setSaveState("saved", say(result.data.created ? "published" : "already_published", { version }));
}

async function refreshVersions() {
  const result = await send("GET", `/api/scenarios/${state.scenarioId}/versions/`);
  if (!result.ok) return;
  const language = document.documentElement.lang || undefined;
  const items = result.data.map((version) => {
    const when = el("time", { text: new Date(version.published_at).toLocaleString(language) });
    when.dateTime = version.published_at;
    return el("li", {}, [
      el("span", { className: "badge badge-published", text: `v${version.version}` }),
      when,
      el("code", { className: "checksum", text: version.checksum.slice(0, 8), title: version.checksum }),
    ]);
  });
  document.getElementById("versions").replaceChildren(...items);
  document.getElementById("versions-empty").hidden = items.length > 0;
}

// ---- keys that make a text area feel like an editor ----------------------------------------

function insertText(value) {
  // execCommand keeps the browser's undo history; setRangeText is the fallback where it is gone.
  if (!document.execCommand?.("insertText", false, value)) {
    textarea.setRangeText(value, textarea.selectionStart, textarea.selectionEnd, "end");
    textarea.dispatchEvent(new Event("input"));
  }
}

function newLineIndent() {
  const before = textarea.value.slice(0, textarea.selectionStart);
  const line = before.slice(before.lastIndexOf("\n") + 1);
  let indent = line.match(/^ */)[0];
  // After "key:" the next line belongs inside it; after "- key: value" it continues that list item.
  if (/:\s*$/.test(line) || /^\s*- [^{\["'].*:(\s|$)/.test(line)) indent += INDENT;
  return `\n${indent}`;
}

function onEditorKey(event) {
  const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
  if (event.key === "Escape") {
    state.tabMovesFocus = true; // Esc, then Tab, leaves the editor: the keyboard is never trapped
    return;
  }
  if (event.key === "Tab" && plain && !event.shiftKey && !state.tabMovesFocus) {
    event.preventDefault();
    insertText(INDENT);
  } else if (event.key === "Enter" && plain && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    insertText(newLineIndent());
  }
  state.tabMovesFocus = false;
}

function onPageKey(event) {
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
    event.preventDefault();
    save();
  }
}

// ---- wiring: one dispatcher for every button ------------------------------------------------

const actions = {
  save: () => save(),
  publish: () => publish(),
  "go-to-line": (button) => goToLine(Number(button.dataset.line)),
  "toggle-burst": (button) => toggleBurst(button),
};

root.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (button && !button.disabled) actions[button.dataset.action]?.(button);
});
textarea.addEventListener("input", () => {
  renderGutter();
  followLanguage();
  showDirty();
  scheduleCheck();
});
textarea.addEventListener("scroll", syncGutterScroll);
textarea.addEventListener("keydown", onEditorKey);
textarea.addEventListener("keyup", markCaretLine);
textarea.addEventListener("click", markCaretLine);
document.addEventListener("keydown", onPageKey);
window.addEventListener("beforeunload", (event) => {
  if (!isDirty() || state.saving) return;
  event.preventDefault();
  event.returnValue = ""; // older Chromium asks only when this is set
});

renderGutter();
followLanguage();
check();
