// The instructor console: clock controls, speed, manual injects (websocket actions, each answered by an
// ack or an error shown to the instructor), and the live event log.
import { el, formatSim, isolate, isolatedPostText, platformLabel, roleLabel } from "./drill-room-dom.js";
import { fmt, t } from "./i18n.js";

const MAX_LOG_ROWS = 1000; // a long drill logs thousands of events; the oldest rows stay in the scorecard
const CONTROLS_BY_STATUS = {
  lobby: ["start"],
  running: ["pause", "finish"],
  paused: ["resume", "finish"],
  finished: [],
};
const CONFIRM_MS = 4000;
const MSG_FINISH_CONFIRM = t("Click again to finish");
const DRILL_EVENTS = {
  "drill.started": t("Drill started"),
  "drill.paused": t("Drill paused"),
  "drill.resumed": t("Drill resumed"),
  "drill.finished": t("Drill finished"),
};

export class Console {
  constructor(root, { socket, toast, names }) {
    Object.assign(this, { socket, toast, names });
    this.controls = [...root.querySelectorAll("[data-control]")];
    this.speedForm = root.querySelector("[data-speed-form]");
    this.injectForm = root.querySelector("[data-inject-form]");
    this.log = root.querySelector("[data-log]");
    for (const button of this.controls) button.addEventListener("click", () => this.control(button));
    this.speedForm.addEventListener("submit", (event) => this.setSpeed(event));
    this.injectForm.addEventListener("submit", (event) => this.inject(event));
  }

  setState({ status, speed }) {
    const allowed = CONTROLS_BY_STATUS[status] || [];
    for (const button of this.controls) button.disabled = !allowed.includes(button.dataset.control);
    const open = status !== "finished";
    for (const field of [...this.speedForm.elements, ...this.injectForm.elements]) field.disabled = !open;
    if (document.activeElement !== this.speedForm.elements.value) this.speedForm.elements.value.value = String(speed);
  }

  async act(action, payload, done) {
    try {
      await this.socket.send(action, payload);
      if (done) this.toast(done, "ok");
      return true;
    } catch (error) {
      this.toast(error.message, "error");
      return false;
    }
  }

  control(button) {
    const action = button.dataset.control;
    if (action === "finish" && !this.confirmed(button)) return;
    this.act(action, {});
  }

  // Finishing cannot be undone: the first click arms the button, a second one within a few seconds acts.
  confirmed(button) {
    if (button.dataset.armed === "1") return true;
    const label = button.textContent;
    button.dataset.armed = "1";
    button.textContent = MSG_FINISH_CONFIRM;
    setTimeout(() => {
      button.dataset.armed = "0";
      button.textContent = label;
    }, CONFIRM_MS);
    return false;
  }

  setSpeed(event) {
    event.preventDefault();
    this.act("speed", { value: Number(this.speedForm.elements.value.value) }, null);
  }

  async inject(event) {
    event.preventDefault();
    const fields = this.injectForm.elements;
    const payload = {
      platform: fields.platform.value,
      text: fields.text.value,
      severity: Number(fields.severity.value),
      requires_response: fields.requires_response.checked,
    };
    const name = fields.persona.value.trim();
    if (name) payload.persona = { name, handle: fields.handle.value.trim() };
    if (await this.act("inject", payload, t("Inject published."))) fields.text.value = "";
  }

  add(frame) {
    const row = el(
      "tr",
      { className: `log-${frame.kind.split(".")[0]}`, dataset: { seq: frame.seq } },
      el("td", { className: "num" }, String(frame.seq)),
      el("td", { className: "num ltr-always" }, formatSim(frame.sim_ms)),
      el("td", {}, el("code", {}, frame.kind)),
      el("td", {}, this.summary(frame)), // a sentence in the page's language; posted text is isolated inside it
    );
    this.log.prepend(row);
    while (this.log.rows.length > MAX_LOG_ROWS) this.log.lastElementChild.remove();
  }

  summary({ kind, data }) {
    const who = (id, name) => isolate(name || this.names.user(id) || (id ? `#${id}` : ""));
    const said = (text) => isolatedPostText(text);
    switch (kind) {
      case "inject.published": {
        const persona = isolate(data.persona?.handle || data.persona?.name);
        return `${platformLabel(data.platform)} · ${persona}: ${said(data.text)}`;
      }
      case "response.drafted":
      case "response.edited": {
        const values = { who: who(data.author, data.author_name), id: data.response, text: said(data.text) };
        if (kind === "response.drafted") return fmt(t("%(who)s drafted #%(id)s: %(text)s"), values);
        return fmt(t("%(who)s edited #%(id)s: %(text)s"), values);
      }
      case "response.submitted": {
        const values = { id: data.response, step: data.step, role: roleLabel(this.names.stepRole(data.step)) };
        return fmt(t("#%(id)s waits at step %(step)s (%(role)s)"), values);
      }
      case "approval.approved":
      case "approval.rejected": {
        const values = {
          who: who(data.by, data.by_name),
          id: data.response,
          step: data.step,
          role: roleLabel(data.role),
          comment: said(data.comment),
        };
        const sentences = {
          "approval.approved": [
            t("%(who)s approved #%(id)s at step %(step)s (%(role)s)"),
            t("%(who)s approved #%(id)s at step %(step)s (%(role)s): %(comment)s"),
          ],
          "approval.rejected": [
            t("%(who)s rejected #%(id)s at step %(step)s (%(role)s)"),
            t("%(who)s rejected #%(id)s at step %(step)s (%(role)s): %(comment)s"),
          ],
        }[kind];
        return fmt(sentences[data.comment ? 1 : 0], values);
      }
      case "response.published": {
        const values = { id: data.response, who: who(data.author, data.author_name), text: said(data.text) };
        return fmt(t("#%(id)s published by %(who)s: %(text)s"), values);
      }
      case "heat":
        return fmt(t("Heat %(heat)s"), { heat: data.heat });
      case "seat.joined":
      case "seat.left": {
        const roles = data.roles?.length ? data.roles : [data.role];
        const values = { who: who(data.user, data.username), roles: roles.map(roleLabel).join(", ") };
        return fmt(kind === "seat.joined" ? t("%(who)s joined (%(roles)s)") : t("%(who)s left (%(roles)s)"), values);
      }
      case "inject.flagged": {
        const values = { who: who(data.by), id: data.inject, note: said(data.note) };
        return fmt(data.note ? t("%(who)s flagged post #%(id)s: %(note)s") : t("%(who)s flagged post #%(id)s"), values);
      }
      case "drill.speed":
        return fmt(t("Speed ×%(speed)s"), { speed: data.speed });
      case "engagement": {
        const values = { posts: data.posts?.length || 0, replies: data.replies?.length || 0 };
        return fmt(t("New counters: %(posts)s posts, %(replies)s replies"), values);
      }
      default:
        return DRILL_EVENTS[kind] || kind;
    }
  }
}
