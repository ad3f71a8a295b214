// The scenario editor: the document in a text area with line numbers, checked by the server as you
// type (every error with its path and line; a click puts the cursor there), the planned timeline
// beside it, and save / publish. Text from the document or the server only ever reaches the page
// through textContent, never as HTML.
// Its parts are the scenario-editor-*.js modules; this page module wires them to the page.
import { check, scheduleCheck } from "./scenario-editor-check.js";
import { root, state, textarea } from "./scenario-editor-page.js";
import { isDirty, publish, save, showDirty } from "./scenario-editor-save.js";
import {
  clearPlaces,
  followLanguage,
  goToLine,
  markCaretLine,
  onEditorKey,
  renderGutter,
  syncGutterScroll,
} from "./scenario-editor-text.js";
import { toggleBurst } from "./scenario-editor-timeline.js";

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
  "go-to-line": (button) => goToLine(Number(button.dataset.line), Number(button.dataset.column || 0)),
  "toggle-burst": (button) => toggleBurst(button),
};

root.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (button && !button.disabled) actions[button.dataset.action]?.(button);
});
textarea.addEventListener("input", () => {
  clearPlaces(); // the marks' places moved with the text: the next check puts them back
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
