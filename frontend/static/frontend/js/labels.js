// What people read for a scenario's keys (chain roles, persona kinds): the labels base.html renders in the
// page language from scenarios/labels.py, so pages, modules and bots share one list. A key the list does
// not know (authors choose their own) is shown as its words, first letter capital, as the server does.
const LABELS = readLabels();

function readLabels() {
  const node = document.getElementById("display-labels");
  try {
    return node ? JSON.parse(node.textContent) : {};
  } catch {
    return {};
  }
}

// "crisis_lead" -> "Crisis lead" (scenarios.labels.shown_key).
export function shownKey(key) {
  const words = String(key ?? "").replace(/[_\-\s]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function labelOf(group, key) {
  const known = LABELS[group] || {};
  return Object.hasOwn(known, key) ? known[key] : shownKey(key);
}

export function roleLabel(role) {
  return labelOf("roles", role);
}

export function personaKindLabel(kind) {
  return labelOf("persona_kinds", kind);
}
