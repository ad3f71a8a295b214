// What people read for a scenario's keys (chain roles, persona kinds): the labels base.html renders in the
// page language from scenarios/labels.py, so pages, modules and bots share one list. A key the list does
// not know (authors choose their own) is shown as its own words, as the server does.
const LABELS = readLabels();

function readLabels() {
  const node = document.getElementById("display-labels");
  try {
    return node ? JSON.parse(node.textContent) : {};
  } catch {
    return {};
  }
}

// "crisis_lead" -> "crisis lead" (scenarios.labels.key_words).
function keyWords(key) {
  return String(key ?? "").replace(/[_\-\s]+/g, " ").trim();
}

function firstCapital(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function known(group, key) {
  const labels = LABELS[group] || {};
  return Object.hasOwn(labels, key) ? labels[key] : null;
}

// A chain role as it reads inside a sentence ("Pending at step 1 (reviewer)"); chips capitalize it in CSS.
export function roleLabel(role) {
  return known("roles", role) ?? keyWords(role);
}

// A chain role as a name starts ("Reviewer bot").
export function roleTitle(role) {
  return firstCapital(roleLabel(role));
}

export function personaKindLabel(kind) {
  return known("persona_kinds", kind) ?? firstCapital(keyWords(kind));
}
