// Replies on their way up the approval chain (PROTOCOL.md 1.2): the state rebuilt from response.* and
// approval.* events, the user's own replies with their status, and the queue of replies waiting at a
// step whose role the user holds, with the simulated time waited against the step's SLA.
import { applyResponse } from "./drill-state.js";
import { el, formatSim, POST_DIR, platformLabel, postText, roleLabel, shownHandle } from "./drill-room-dom.js";
import { fmt, t } from "./i18n.js";

const MSG_COMMENT_REQUIRED = t("Say what must change: a comment is required to reject.");
const MSG_OWN_DRAFT = t("You drafted this reply: someone else decides on it.");

export class Chain {
  constructor(root, { socket, feed, composer, toast, you, drill }) {
    Object.assign(this, { socket, feed, composer, toast, you, drill });
    this.mine = root.querySelector("[data-mine]");
    this.mineEmpty = root.querySelector("[data-mine-empty]");
    this.queue = root.querySelector("[data-queue]");
    this.queueEmpty = root.querySelector("[data-queue-empty]");
    this.queueCount = root.querySelector("[data-queue-count]");
    this.responses = new Map();
    this.queueItems = new Map(); // "id:step" -> {item, response}: kept so a half-typed comment survives updates
    this.running = false;
    this.scheduled = false;
  }

  configure({ you, drill }) {
    Object.assign(this, { you, drill });
    this.schedule();
  }

  // ---- events --------------------------------------------------------------------------------------

  // Each response.* and approval.* event, through the reducer the replay shares (drill-state.js).
  drafted(frame) {
    this.apply(frame);
  }

  edited(frame) {
    this.apply(frame);
  }

  submitted(frame) {
    this.apply(frame);
  }

  approved(frame) {
    this.apply(frame);
  }

  rejected(frame) {
    this.apply(frame);
  }

  published(frame) {
    this.apply(frame);
  }

  apply(frame) {
    if (applyResponse(this.responses, frame, this.drill.chain.length)) this.schedule();
  }

  // The replay shows the replies of another moment: a new set, drawn afresh.
  show(responses) {
    this.responses = responses;
    for (const { item } of this.queueItems.values()) item.remove();
    this.queueItems.clear();
    this.schedule();
  }

  setRunning(running) {
    this.running = running;
    this.schedule();
  }

  // A replay brings many events at once: draw once after them, not once per event.
  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.renderMine();
      this.renderQueue();
    }, 0);
  }

  stepRole(step) {
    return this.drill.chain[step]?.role || "";
  }

  // ---- my replies ----------------------------------------------------------------------------------

  renderMine() {
    if (!this.mine) return;
    const mine = [...this.responses.values()].filter((r) => r.author === this.you.user).reverse();
    this.mine.replaceChildren(...mine.map((r) => this.mineItem(r)));
    this.mineEmpty.hidden = mine.length > 0;
  }

  statusLabel(r) {
    if (r.status === "pending") {
      return fmt(t("Pending at step %(step)s (%(role)s)"), { step: r.step, role: roleLabel(this.stepRole(r.step)) });
    }
    if (r.status === "changes_requested") return t("Changes requested");
    if (r.status === "published") return fmt(t("Published at %(time)s"), { time: formatSim(r.publishedMs ?? 0) });
    return t("Draft");
  }

  mineItem(r) {
    const editable = r.status === "draft" || r.status === "changes_requested";
    const edit = editable ? el("button", { type: "button" }, t("Edit")) : null;
    const submit = editable ? el("button", { type: "button", className: "button-primary" }, t("Submit")) : null;
    edit?.addEventListener("click", () => this.composer?.load(r));
    submit?.addEventListener("click", () => this.submitSaved(r, submit));
    if (submit) submit.disabled = !this.running;
    return el(
      "li",
      { className: `mine-item status-${r.status}`, dataset: { response: r.id } },
      el(
        "div",
        { className: "item-head" },
        el("span", { className: `pill pill-${r.status}`, dataset: { status: r.status } }, this.statusLabel(r)),
        el("span", { className: "muted small" }, `#${r.id} · ${platformLabel(r.platform)} · `, this.targetsLabel(r)),
      ),
      el("p", { className: "item-text", dir: POST_DIR }, ...postText(r.text)),
      r.status === "changes_requested" && r.rejection ? rejectionNote(r.rejection) : null,
      editable ? el("div", { className: "item-actions" }, edit, submit) : null,
    );
  }

  targetsLabel(r) {
    const handles = r.reply_to.map((id) => {
      const inject = this.feed.inject(id);
      return inject ? shownHandle(inject.persona?.handle, inject.platform) || inject.persona?.name : `#${id}`;
    });
    return el("bdi", {}, fmt(t("to %(handles)s"), { handles: handles.join(", ") }));
  }

  async submitSaved(r, button) {
    button.disabled = true;
    try {
      await this.socket.send("submit", { response: r.id });
      this.toast(fmt(t("Reply #%(id)s submitted for approval."), { id: r.id }), "ok");
    } catch (error) {
      this.toast(error.message, "error");
      button.disabled = false;
    }
  }

  // ---- the approval queue --------------------------------------------------------------------------

  waiting() {
    const roles = this.you.roles || [];
    return [...this.responses.values()].filter((r) => r.status === "pending" && roles.includes(this.stepRole(r.step)));
  }

  renderQueue() {
    if (!this.queue) return;
    const waiting = this.waiting();
    const keys = new Set(waiting.map((r) => `${r.id}:${r.step}`));
    for (const [key, { item }] of this.queueItems) {
      if (!keys.has(key)) {
        item.remove();
        this.queueItems.delete(key);
      }
    }
    for (const r of waiting) {
      const key = `${r.id}:${r.step}`;
      if (this.queueItems.has(key)) continue; // left in place: moving it would blur a comment being typed
      const item = this.queueItem(r);
      this.queueItems.set(key, { item, response: r });
      this.queue.append(item);
    }
    for (const { item, response } of this.queueItems.values()) this.gate(item, response);
    this.queueEmpty.hidden = waiting.length > 0;
    this.queueCount.textContent = String(waiting.length);
  }

  ownDraft(r) {
    return r.author === this.you.user && !this.drill.allow_self_approval;
  }

  queueItem(r) {
    const step = r.step;
    const approve = el("button", { type: "button", className: "button-ok", dataset: { approve: r.id } }, t("Approve"));
    const reject = el("button", { type: "button", className: "button-bad", dataset: { reject: r.id } }, t("Reject"));
    const comment = el("textarea", {
      rows: 2,
      dir: "auto",
      placeholder: t("What must change?"),
      "aria-label": t("Rejection comment"),
    });
    const sendProps = { type: "button", className: "button-bad", dataset: { sendReject: r.id } };
    const send = el("button", sendProps, t("Send back"));
    const cancel = el("button", { type: "button", className: "button-quiet" }, t("Cancel"));
    const rejectActions = el("div", { className: "item-actions" }, cancel, send);
    const rejectBox = el("div", { className: "reject-box", hidden: true }, comment, rejectActions);
    const status = el("p", { className: "item-status", role: "status" });
    const item = el(
      "li",
      { className: "queue-item", dataset: { response: r.id, step } },
      el(
        "div",
        { className: "item-head" },
        el(
          "span",
          { className: "pill pill-step" },
          fmt(t("Step %(step)s · %(role)s"), { step, role: roleLabel(this.stepRole(step)) }),
        ),
        el(
          "span",
          { className: "muted small" },
          `#${r.id} · ${platformLabel(r.platform)} · `,
          byAuthor(r.author_name),
        ),
      ),
      el("ul", { className: "queue-context" }, ...r.reply_to.map((id) => this.contextLine(id))),
      el("p", { className: "item-text", dir: POST_DIR }, ...postText(r.text)),
      el(
        "div",
        { className: "wait" },
        el("span", { className: "wait-label", dataset: { wait: "" } }),
        el("span", { className: "wait-track", "aria-hidden": "true" }, el("span", { className: "wait-fill" })),
      ),
      this.ownDraft(r) ? el("p", { className: "note muted small" }, MSG_OWN_DRAFT) : null,
      el("div", { className: "item-actions decision" }, reject, approve),
      rejectBox,
      status,
    );
    approve.addEventListener("click", () => this.decide(item, "approve", { response: r.id, step }));
    reject.addEventListener("click", () => {
      rejectBox.hidden = false;
      comment.focus();
    });
    cancel.addEventListener("click", () => (rejectBox.hidden = true));
    send.addEventListener("click", () => {
      if (!comment.value.trim()) return showStatus(status, MSG_COMMENT_REQUIRED, "error");
      this.decide(item, "reject", { response: r.id, step, comment: comment.value });
    });
    return item;
  }

  contextLine(injectId) {
    const inject = this.feed.inject(injectId);
    if (!inject) return el("li", {}, `#${injectId}`);
    return el(
      "li",
      { className: `platform-${inject.platform}` },
      el("bdi", { className: "handle" }, shownHandle(inject.persona?.handle, inject.platform) || inject.persona?.name),
      " ",
      el("bdi", { dir: POST_DIR }, ...postText(inject.text)),
    );
  }

  // Buttons work only while the drill runs, and never on one's own draft unless the scenario allows it.
  gate(item, r) {
    const closed = !this.running || this.ownDraft(r) || item.dataset.busy === "1";
    for (const button of item.querySelectorAll("button")) button.disabled = closed;
  }

  async decide(item, action, payload) {
    const status = item.querySelector(".item-status");
    item.dataset.busy = "1";
    this.gate(item, this.responses.get(payload.response));
    showStatus(status, action === "approve" ? t("Approving…") : t("Sending back…"), "info");
    try {
      await this.socket.send(action, payload);
      const done =
        action === "approve"
          ? t("Approved reply #%(id)s at step %(step)s.")
          : t("Sent back reply #%(id)s at step %(step)s.");
      this.toast(fmt(done, { id: payload.response, step: payload.step }), "ok");
    } catch (error) {
      showStatus(status, error.message, "error");
    } finally {
      item.dataset.busy = "0";
      this.gate(item, this.responses.get(payload.response));
    }
  }

  tick(simNow) {
    for (const { item, response } of this.queueItems.values()) {
      const sla = this.drill.chain[response.step]?.sla_ms || 0;
      const waited = Math.max(0, simNow - (response.reachedMs ?? simNow));
      const label = item.querySelector("[data-wait]");
      const times = { waited: formatSim(waited), sla: formatSim(sla) };
      label.textContent = fmt(sla ? t("Waiting %(waited)s of %(sla)s SLA") : t("Waiting %(waited)s"), times);
      const share = sla ? Math.min(1, waited / sla) : 0;
      item.querySelector(".wait-fill").style.inlineSize = `${(share * 100).toFixed(1)}%`; // CSSOM: allowed by the CSP
      item.classList.toggle("over-sla", Boolean(sla) && waited > sla);
    }
  }
}

function rejectionNote(rejection) {
  const who = rejection.bot ? rejection.by_name : `${rejection.by_name} (${roleLabel(rejection.role)})`;
  return el(
    "blockquote",
    { className: "rejection" },
    el("span", { className: "rejection-by" }, el("bdi", {}, who), ":"),
    " ",
    el("bdi", { dir: "auto" }, rejection.comment),
  );
}

// "by <name>", with the name isolated so a Hebrew name in an English sentence (or the reverse) stays in place.
function byAuthor(name) {
  const [before, after = ""] = t("by %(name)s").split("%(name)s");
  return el("span", {}, before, el("bdi", {}, name), after);
}

function showStatus(node, message, kind) {
  node.textContent = message;
  node.className = `item-status status-${kind}`;
}
