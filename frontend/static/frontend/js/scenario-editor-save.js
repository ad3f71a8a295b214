// Save and publish: the document as typed goes to the server (a new scenario is created, then opened at
// its own address), the page shows whether it has unsaved changes, and a publish refreshes the versions.
import { check } from "./scenario-editor-check.js";
import { asSource, el, say, send, state, textarea } from "./scenario-editor-page.js";

const saveState = document.getElementById("save-state");

export function isDirty() {
  return textarea.value !== state.savedText;
}

function setSaveState(kind, label) {
  saveState.className = `save-state save-${kind}`;
  saveState.textContent = label;
}

export function showDirty() {
  if (isDirty()) setSaveState("dirty", say("unsaved"));
  else if (saveState.classList.contains("save-dirty")) setSaveState("clean", "");
}

export async function save() {
  if (state.saving) return false;
  state.saving = true;
  const sent = textarea.value;
  setSaveState("busy", say("saving"));
  try {
    const url = state.scenarioId ? `/api/scenarios/${state.scenarioId}/` : "/api/scenarios/";
    const result = await send(state.scenarioId ? "PUT" : "POST", url, { body: asSource(sent) });
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

export async function publish() {
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
