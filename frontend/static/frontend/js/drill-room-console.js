// The instructor console: clock controls, speed, manual injects (websocket actions, each answered by an
// ack or an error shown to the instructor), and the live event log.
import { el, formatSim, platformLabel, roleLabel } from "./drill-room-dom.js";

const MAX_LOG_ROWS = 1000; // a long drill logs thousands of events; the oldest rows stay in the scorecard
const CONTROLS_BY_STATUS = {
  lobby: ["start"],
  running: ["pause", "finish"],
  paused: ["resume", "finish"],
  finished: [],
};
const CONFIRM_MS = 4000;
const MSG_FINISH_CONFIRM = "Click again to finish";

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
    if (await this.act("inject", payload, "Inject published.")) fields.text.value = "";
  }

  add(frame) {
    const row = el(
      "tr",
      { className: `log-${frame.kind.split(".")[0]}`, dataset: { seq: frame.seq } },
      el("td", { className: "num" }, String(frame.seq)),
      el("td", { className: "num ltr-always" }, formatSim(frame.sim_ms)),
      el("td", {}, el("code", {}, frame.kind)),
      el("td", {}, el("bdi", { dir: "auto" }, this.summary(frame))),
    );
    this.log.prepend(row);
    while (this.log.rows.length > MAX_LOG_ROWS) this.log.lastElementChild.remove();
  }

  summary({ kind, data }) {
    const who = (id, name) => name || this.names.user(id) || (id ? `#${id}` : "");
    switch (kind) {
      case "inject.published":
        return `${platformLabel(data.platform)} · ${data.persona?.handle || data.persona?.name || ""}: ${data.text}`;
      case "response.drafted":
      case "response.edited":
        return `${who(data.author, data.author_name)} ${kind.split(".")[1]} #${data.response}: ${data.text}`;
      case "response.submitted":
        return `#${data.response} waits at step ${data.step} (${roleLabel(this.names.stepRole(data.step))})`;
      case "approval.approved":
      case "approval.rejected": {
        const verb = kind === "approval.approved" ? "approved" : "rejected";
        const comment = data.comment ? `: ${data.comment}` : "";
        const role = roleLabel(data.role);
        return `${who(data.by, data.by_name)} ${verb} #${data.response} at step ${data.step} (${role})${comment}`;
      }
      case "response.published":
        return `#${data.response} published by ${who(data.author, data.author_name)}: ${data.text}`;
      case "heat":
        return `Heat ${data.heat}`;
      case "seat.joined":
      case "seat.left": {
        const roles = data.roles?.length ? data.roles : [data.role];
        const verb = kind === "seat.joined" ? "joined" : "left";
        return `${data.username || who(data.user)} ${verb} (${roles.map(roleLabel).join(", ")})`;
      }
      case "drill.speed":
        return `Speed ×${data.speed}`;
      default:
        return kind.replace("drill.", "Drill ");
    }
  }
}
