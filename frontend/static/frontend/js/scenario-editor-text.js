// The text area as a code editor: line numbers beside it (lines with errors or warnings marked, the
// caret's line, a line to go to), keys that indent as YAML wants, and its direction following the
// document's language.
import { el, root, state, textarea } from "./scenario-editor-page.js";
import { markedRanges, offsetAt, pieces } from "./source-text.js";

const INDENT = "  "; // YAML refuses tabs, so the Tab key inserts spaces

const codeEditor = document.getElementById("code-editor");
const gutter = document.getElementById("gutter");
const marks = document.getElementById("code-marks");
const rtlLanguages = new Set(root.dataset.rtlLanguages.split(" "));

// ---- line numbers --------------------------------------------------------------------------

function lineCount(value) {
  let count = 1;
  for (let i = value.indexOf("\n"); i !== -1; i = value.indexOf("\n", i + 1)) count += 1;
  return count;
}

export function renderGutter() {
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

export function syncGutterScroll() {
  gutter.scrollTop = textarea.scrollTop;
  marks.scrollTop = textarea.scrollTop;
  marks.scrollLeft = textarea.scrollLeft;
}

export function markLines(issues) {
  for (const node of state.markedLines) node.classList.remove("line-error", "line-warning");
  state.markedLines = [];
  for (const { line, kind } of issues) {
    const node = line ? gutter.children[line - 1] : null;
    if (!node) continue;
    node.classList.add(kind === "error" ? "line-error" : "line-warning");
    state.markedLines.push(node);
  }
}

// ---- issues marked in place ----------------------------------------------------------------
// A copy of the text lies under the transparent text area, laid out alike (font, padding, direction), with the
// stretch each issue points at (its line and column) in a <mark>: the marks show through at their places.

export function markPlaces(text, issues) {
  if (text !== textarea.value) return; // typed on since: these places are no longer right
  const ranges = markedRanges(text, issues);
  if (!ranges.length) {
    clearPlaces();
    return;
  }
  const nodes = pieces(text, ranges).map((piece) =>
    piece.kind ? el("mark", { className: `mark-${piece.kind}`, text: piece.text }) : document.createTextNode(piece.text),
  );
  marks.replaceChildren(...nodes);
  syncGutterScroll();
}

export function clearPlaces() {
  marks.replaceChildren();
}

function caretLine() {
  return lineCount(textarea.value.slice(0, textarea.selectionStart));
}

export function markCaretLine() {
  gutter.querySelector(".line-current")?.classList.remove("line-current");
  gutter.children[caretLine() - 1]?.classList.add("line-current");
}

export function goToLine(line, column = 0) {
  const lines = textarea.value.split("\n");
  const target = Math.min(Math.max(line, 1), lines.length);
  let offset = 0;
  for (let i = 0; i < target - 1; i += 1) offset += lines[i].length + 1;
  // At the issue's column; without one, on the line's first word, as editors do.
  if (column) offset = offsetAt(textarea.value, target, column);
  else offset += lines[target - 1].match(/^\s*/)[0].length;
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

// ---- direction follows the document's language ---------------------------------------------

export function followLanguage() {
  const match = textarea.value.match(/^\s*"?language"?\s*:\s*["']?([A-Za-z]{2,3})\b/m);
  const direction = match && rtlLanguages.has(match[1].toLowerCase()) ? "rtl" : "ltr";
  if (!match || direction === state.direction) return;
  state.direction = direction;
  textarea.dir = codeEditor.dir = marks.dir = direction;
  for (const node of document.querySelectorAll(".inject-text")) node.dir = direction;
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

export function onEditorKey(event) {
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
