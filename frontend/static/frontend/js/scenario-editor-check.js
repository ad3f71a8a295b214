// Checking as you type: the document goes to the server a moment after the last keystroke, and what it
// finds comes back as a list of errors and warnings (each with its path and line) and a status pill.
import { asSpec, counted, el, say, send, state, textarea } from "./scenario-editor-page.js";
import { markLines, markPlaces } from "./scenario-editor-text.js";
import { refreshTimeline, showStale } from "./scenario-editor-timeline.js";

const CHECK_DELAY_MS = 300; // long enough to skip most keystrokes, short enough to feel live

const statusPill = document.getElementById("status-pill");
const errorList = document.getElementById("error-list");
const warningList = document.getElementById("warning-list");
const issuesEmpty = document.getElementById("issues-empty");

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
  if (issue.column) button.dataset.column = String(issue.column);
  return el("li", {}, [button]);
}

// `text` is the text the issues were found in: their places are marked in it while it is still the one shown.
function renderIssues(errors, warnings, text) {
  errorList.replaceChildren(...errors.map((issue) => issueItem(issue, "error")));
  warningList.replaceChildren(...warnings.map((issue) => issueItem(issue, "warning")));
  issuesEmpty.hidden = errors.length + warnings.length > 0;
  markLines([
    ...warnings.map((issue) => ({ line: issue.line, kind: "warning" })),
    ...errors.map((issue) => ({ line: issue.line, kind: "error" })),
  ]);
  markPlaces(text, [
    ...errors.map((issue) => ({ ...issue, kind: "error" })),
    ...warnings.map((issue) => ({ ...issue, kind: "warning" })),
  ]);
}

function showResult(result, text) {
  const { valid, errors, warnings } = result;
  renderIssues(errors, warnings, text);
  if (!valid) {
    setPill("invalid", counted("errors", errors.length));
    return;
  }
  const label = warnings.length ? `${say("valid")} · ${counted("warnings", warnings.length)}` : say("valid");
  setPill(warnings.length ? "warning" : "valid", label);
}

export function scheduleCheck() {
  clearTimeout(state.checkTimer);
  state.checkTimer = setTimeout(check, CHECK_DELAY_MS);
}

export async function check() {
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
      renderIssues([{ path: "", message: say("too_large"), line: null }], [], body);
      setPill("invalid", counted("errors", 1));
      return;
    }
    if (result.status === 401 || result.status === 403) {
      setPill("offline", say("signed_out"));
      return;
    }
    if (!result.ok || !result.data) throw new Error(`validate answered ${result.status}`);
    showResult(result.data, body);
    if (result.data.valid) await refreshTimeline(body, seq, abort.signal);
    else showStale();
  } catch (error) {
    if (error.name === "AbortError" || seq !== state.checkSeq) return;
    console.error(error);
    setPill("offline", say("offline"));
  }
}
