// The composer, for seats holding the chain's first (drafting) role: pick posts with "Reply", write within
// the platform's length limit, save a draft, edit it, submit it. Every action waits for its ack; errors
// are shown where the user is looking. A suggested template goes in with one click; its [[slots]] are listed
// (a click selects one) and a reply with a slot left is not sent up the chain (the server refuses it too).
import { el, shownHandle } from "./drill-room-dom.js";
import { TemplatePicker } from "./drill-room-templates.js";
import { fmt, t, tn } from "./i18n.js";
import { insertTemplate, slotFrom, slotSpans } from "./template-slots.js";

const MSG_NO_TARGET = t("Choose “Reply” on at least one post first.");
const MSG_NO_TEXT = t("Write the reply text.");
const MSG_NOT_RUNNING = t("Replies can be saved while the drill runs.");
const MSG_CLOSED = {
  lobby: t("The drill has not started yet."),
  paused: t("The drill is paused: replies resume when it runs again."),
  finished: t("The drill is over."),
};
const MSG_SLOT_LEFT = t("Fill in [[%(slot)s]] first: a reply goes up the chain only with every slot filled in.");
const OK_STATUS_MS = 6000;

export class Composer {
  constructor(root, { socket, feed, maxLength, toast }) {
    this.form = root.querySelector("[data-composer-form]");
    this.title = root.querySelector("[data-composer-title]");
    this.hint = root.querySelector("[data-composer-hint]");
    this.targetList = root.querySelector("[data-reply-targets]");
    this.text = root.querySelector("[data-composer-text]");
    this.subjectRow = root.querySelector("[data-composer-subject-row]");
    this.subject = root.querySelector("[data-composer-subject]");
    this.counter = root.querySelector("[data-counter]");
    this.statusLine = root.querySelector("[data-composer-status]");
    this.slotsRow = root.querySelector("[data-composer-slots]");
    this.slotList = root.querySelector("[data-slot-list]");
    const drillId = Number(root.dataset.drill);
    this.picker = new TemplatePicker(root, { drillId, onPick: (template) => this.useTemplate(template) });
    this.buttons = {
      save: root.querySelector("[data-composer-save]"),
      submit: root.querySelector("[data-composer-submit]"),
      cancel: root.querySelector("[data-composer-cancel]"),
    };
    Object.assign(this, { socket, feed, maxLength, toast });
    this.running = false;
    this.busy = false;
    this.reset();
    this.text.addEventListener("input", () => this.refresh());
    this.buttons.save.addEventListener("click", () => this.save());
    this.buttons.cancel.addEventListener("click", () => this.reset());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  reset() {
    this.targets = [];
    this.editing = null; // the response id once a draft exists
    this.template = null; // the template this new reply was started from
    this.savedText = "";
    this.platform = null;
    this.text.value = "";
    this.subject.value = "";
    this.refresh();
  }

  // "Reply" on an e-mail in the inbox: a new reply to that e-mail alone, its subject "Re: <subject>".
  replyToEmail(injectId, subject) {
    if (this.editing !== null) {
      this.toast(t("You are editing a saved reply: submit or cancel it before choosing other posts."), "info");
      return;
    }
    this.targets = [injectId];
    // "Re:" as mail clients write it in every language; never "Re: Re:".
    this.subject.value = /^re:/i.test(subject) ? subject : `Re: ${subject}`;
    this.refresh();
    this.text.focus();
  }

  // "Reply" on a card toggles it among the posts this reply answers (only while writing a new reply).
  toggleTarget(injectId) {
    if (this.editing !== null) {
      this.toast(t("You are editing a saved reply: submit or cancel it before choosing other posts."), "info");
      return;
    }
    const at = this.targets.indexOf(injectId);
    if (at >= 0) this.targets.splice(at, 1);
    else this.targets.push(injectId);
    this.targets.sort((a, b) => a - b);
    this.refresh();
    this.text.focus();
  }

  // Loads a saved reply (a draft, or one sent back with changes requested) for editing.
  load(response) {
    Object.assign(this, { targets: [...response.reply_to], editing: response.id, savedText: response.text });
    this.platform = response.platform;
    this.text.value = response.text;
    this.subject.value = response.subject || "";
    this.setStatus("");
    this.refresh();
    this.text.focus();
  }

  setRunning(running, status) {
    this.running = running;
    if (!running) this.setStatus(MSG_CLOSED[status] || MSG_NOT_RUNNING, "info");
    else if (Object.values(MSG_CLOSED).includes(this.statusLine.textContent)) this.setStatus("");
    this.refresh();
  }

  // The reply takes the platform of the first post it answers (as the server decides).
  currentPlatform() {
    if (this.editing !== null) return this.platform;
    return this.targets.length ? this.feed.inject(this.targets[0])?.platform : null;
  }

  refresh() {
    this.renderTargets();
    const limit = this.maxLength[this.currentPlatform()] || null;
    const length = [...this.text.value].length;
    this.counter.textContent = limit
      ? `${length} / ${limit}`
      : fmt(tn("%(n)s character", "%(n)s characters", length), { n: length });
    this.counter.classList.toggle("over", Boolean(limit) && length > limit);
    this.counter.classList.toggle("ltr-always", Boolean(limit)); // "12 / 280" reads left to right; a sentence does not
    const platform = this.currentPlatform();
    this.counter.title = limit ? fmt(t("The %(platform)s limit is %(n)s characters"), { platform, n: limit }) : "";
    this.title.textContent = this.editing === null ? t("Reply") : fmt(t("Edit reply #%(id)s"), { id: this.editing });
    this.buttons.cancel.hidden = this.editing === null && !this.targets.length && !this.text.value;
    this.buttons.save.disabled = this.busy || !this.running;
    this.buttons.submit.disabled = this.busy || !this.running;
    this.feed.setSelected(this.editing === null ? this.targets : []);
    this.hint.hidden = this.targets.length > 0;
    this.subjectRow.hidden = this.currentPlatform() !== "email";
    this.subject.disabled = this.editing !== null; // a saved reply keeps the subject it was drafted with
    this.picker.show(this.editing === null && this.targets.length ? this.targets[0] : null);
    this.renderSlots();
  }

  // Each [[slot]] still in the text, as a button that selects it.
  renderSlots() {
    const spans = slotSpans(this.text.value);
    this.slotsRow.hidden = spans.length === 0;
    this.text.classList.toggle("has-slots", spans.length > 0);
    const chips = spans.map((span) => {
      const chip = el("button", { type: "button", className: "slot-chip" }, el("bdi", {}, `[[${span.label}]]`));
      chip.addEventListener("click", () => this.select(slotFrom(this.text.value, span.start)));
      return el("li", {}, chip);
    });
    this.slotList.replaceChildren(...chips);
  }

  select(range) {
    if (!range) return;
    this.text.focus();
    this.text.setSelectionRange(range.start, range.end);
  }

  // One click on a suggestion: its filled text goes in and the cursor selects its first slot.
  useTemplate(template) {
    const { text, select } = insertTemplate(
      this.text.value,
      this.text.selectionStart,
      this.text.selectionEnd,
      template.filled,
    );
    this.text.value = text;
    if (this.editing === null) this.template = template.id;
    this.refresh();
    this.select(select);
  }

  renderTargets() {
    const chips = this.targets.map((id) => {
      const inject = this.feed.inject(id);
      const chip = document.createElement("li");
      chip.className = `target platform-${inject?.platform || ""}`;
      const label = document.createElement("bdi");
      const who = shownHandle(inject?.persona?.handle, inject?.platform) || inject?.persona?.name || `#${id}`;
      label.textContent = `${who}: ${inject?.text || ""}`;
      chip.append(label);
      if (this.editing === null) chip.append(removeButton(() => this.toggleTarget(id)));
      return chip;
    });
    this.targetList.replaceChildren(...chips);
  }

  // Success notes fade after a while so they do not describe an older reply; errors stay until the next action.
  setStatus(message, kind = "info") {
    this.statusLine.textContent = message;
    this.statusLine.className = `composer-status status-${kind}`;
    clearTimeout(this.statusTimer);
    if (kind === "ok") this.statusTimer = setTimeout(() => this.setStatus(""), OK_STATUS_MS);
  }

  problem(text) {
    if (!this.running) return MSG_NOT_RUNNING;
    if (this.editing === null && !this.targets.length) return MSG_NO_TARGET;
    if (!text.trim()) return MSG_NO_TEXT;
    return "";
  }

  async save() {
    await this.run(async (text) => {
      const response = await this.persist(text);
      this.setStatus(fmt(t("Draft #%(id)s saved."), { id: response.id }), "ok");
    });
  }

  // The server refuses a slot left in the text too (400, path text); saying it here spares the round trip.
  slotProblem(text) {
    const slot = slotFrom(text, 0);
    if (!slot) return "";
    this.select(slot);
    return fmt(MSG_SLOT_LEFT, { slot: slot.label });
  }

  async submit() {
    const slotLeft = this.problem(this.text.value) ? "" : this.slotProblem(this.text.value);
    if (slotLeft) return this.setStatus(slotLeft, "error");
    await this.run(async (text) => {
      const saved = await this.persist(text);
      const { response } = await this.socket.send("submit", { response: saved.id });
      this.reset();
      this.setStatus(response.status === "published" ? t("Published.") : t("Submitted for approval."), "ok");
    });
  }

  async run(action) {
    const text = this.text.value;
    const problem = this.problem(text);
    if (problem) return this.setStatus(problem, "error");
    this.busy = true;
    this.refresh();
    try {
      await action(text);
    } catch (error) {
      this.setStatus(error.message, "error");
    } finally {
      this.busy = false;
      this.refresh();
    }
  }

  // A new reply becomes a draft; a saved one is edited only when its text changed.
  async persist(text) {
    if (this.editing === null) {
      const subject = this.currentPlatform() === "email" ? this.subject.value.trim() : "";
      const frame = { reply_to: this.targets, text, subject, template: this.template };
      const { response } = await this.socket.send("draft", frame);
      Object.assign(this, { editing: response.id, savedText: text, platform: response.platform });
      return response;
    }
    if (text === this.savedText) return { id: this.editing };
    const { response } = await this.socket.send("edit", { response: this.editing, text });
    this.savedText = text;
    return response;
  }
}

function removeButton(onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "target-remove";
  button.setAttribute("aria-label", t("Remove"));
  button.textContent = "×";
  button.addEventListener("click", onClick);
  return button;
}
