// The crisis kit in the composer: the organization's templates suggested for the post being answered
// (GET /api/drills/{id}/templates/?inject=ID, best first), each with its text filled for that post and its
// [[slots]] marked; a click hands the template to the composer. Slot arithmetic lives in template-slots.js.
import { el } from "./drill-room-dom.js";
import { t } from "./i18n.js";
import { slotSegments } from "./template-slots.js";

const KINDS = {
  holding: t("Holding statement"),
  apology: t("Apology"),
  update: t("Update"),
  correction: t("Correction"),
  media: t("Media statement"),
  dm: t("Move to direct messages"),
  other: t("Other"),
};

// A text with its slots in <mark>: the team sees at a glance what it will have to write itself.
export function withSlotsMarked(text) {
  return slotSegments(text).map((part) => (part.slot ? el("mark", { className: "slot" }, part.text) : part.text));
}

export class TemplatePicker {
  constructor(root, { drillId, onPick }) {
    this.box = root.querySelector("[data-templates]");
    this.list = root.querySelector("[data-template-list]");
    this.empty = root.querySelector("[data-templates-empty]");
    Object.assign(this, { drillId, onPick });
    this.injectId = null;
    this.asked = 0; // answers to an older choice of post are dropped
  }

  // The suggestions for a reply to this post; null hides them (no post chosen, or a saved reply being edited).
  async show(injectId) {
    if (injectId === this.injectId) return;
    this.injectId = injectId;
    const asked = ++this.asked;
    this.list.replaceChildren();
    this.empty.hidden = true;
    this.box.hidden = injectId === null;
    if (injectId === null) return;
    const templates = await this.fetch(injectId);
    if (asked !== this.asked) return;
    this.list.replaceChildren(...templates.map((template) => this.item(template)));
    this.empty.hidden = templates.length > 0;
  }

  async fetch(injectId) {
    try {
      const url = `/api/drills/${this.drillId}/templates/?inject=${encodeURIComponent(injectId)}`;
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      return response.ok ? await response.json() : [];
    } catch {
      return []; // offline for a moment: the composer still works without suggestions
    }
  }

  item(template) {
    const head = el(
      "span",
      { className: "template-head" },
      el("bdi", { className: "template-name" }, template.name),
      el("span", { className: "template-kind" }, KINDS[template.kind] || template.kind),
    );
    const filled = el("span", { className: "template-filled", dir: "auto" }, ...withSlotsMarked(template.filled));
    const props = { type: "button", className: "template-pick", dataset: { template: template.id } };
    const button = el("button", props, head, filled);
    button.title = t("Insert this template");
    button.addEventListener("click", () => this.onPick(template));
    return el("li", {}, button);
  }
}
