// Flags (PROTOCOL section 1.5): chain-role seats flag a feed post as a warning sign (`flag {inject, note?}`), once
// each; every `inject.flagged` in the log pins that post at the top of the feed for the whole team, with who flagged
// it and when. The pins are built from the log alone (live or replayed: each flag once). Text via textContent only.
import { el, formatSim, POST_DIR, postText } from "./drill-room-dom.js";
import { fmt, t } from "./i18n.js";

const MSG_FLAG = t("Flag");
const MSG_FLAGGED = t("Flagged");
const MSG_FLAG_TITLE = t("Alert the team: this post may be an early sign of a crisis");
const MSG_NOTE_PROMPT = t("Why does this post worry you? (optional, up to 500 characters)");
const MSG_PINS = t("Flagged by the team");
const MAX_NOTE_CHARS = 500; // the server's limit (drills.limits.MAX_FLAG_NOTE_CHARS) answers past it anyway

export class Flags {
  constructor(root, { socket, feed, you, canFlag, name, toast }) {
    Object.assign(this, { socket, feed, you, canFlag, name, toast });
    this.pins = new Map(); // inject id -> {item, who}
    this.seen = new Set(); // "inject:user": a replay after a reconnect sends the flags again
    this.open = true;
    const list = root.querySelector("[data-feed]");
    this.list = el("ol", { className: "feed-pins", hidden: true, "aria-label": MSG_PINS });
    list?.before(this.list);
  }

  // A new card in the feed: a Flag button in its footer for chain-role seats.
  decorate(frame) {
    const card = this.card(frame.data.id);
    if (!this.canFlag || !card || card.querySelector(".post-flag-button")) return;
    const button = el(
      "button",
      { type: "button", className: "post-flag-button", title: MSG_FLAG_TITLE, dataset: { flag: frame.data.id } },
      MSG_FLAG,
    );
    button.disabled = !this.open;
    button.addEventListener("click", () => this.flag(frame.data.id, button));
    card.querySelector(".post-foot")?.append(button);
  }

  async flag(injectId, button) {
    const note = window.prompt(MSG_NOTE_PROMPT, "");
    if (note === null) return; // cancelled: nothing is flagged
    button.disabled = true;
    try {
      await this.socket.send("flag", { inject: injectId, note: note.trim().slice(0, MAX_NOTE_CHARS) });
    } catch (error) {
      this.toast(error.message, "error");
      button.disabled = !this.open;
    }
  }

  // An `inject.flagged` event: the post pinned (once), one line per flag under it.
  add(frame) {
    const { inject, by, note } = frame.data;
    const key = `${inject}:${by}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const pin = this.pins.get(inject) || this.pin(inject);
    pin.who.append(flagLine(this.name(by), frame.sim_ms, note));
    const card = this.card(inject);
    card?.classList.add("post-flagged");
    if (by === this.you?.user) {
      const button = card?.querySelector(".post-flag-button");
      if (button) Object.assign(button, { textContent: MSG_FLAGGED, disabled: true });
    }
  }

  pin(inject) {
    const data = this.feed.inject(inject);
    const who = el("ul", { className: "pin-flags" });
    const item = el(
      "li",
      { className: "feed-pin", dataset: { pin: inject } },
      el("p", { className: "pin-text", dir: POST_DIR }, ...postText(data?.text || "")),
      who,
    );
    item.addEventListener("click", () => this.card(inject)?.scrollIntoView?.({ block: "center" }));
    this.list.prepend(item);
    this.list.hidden = false;
    const pin = { item, who };
    this.pins.set(inject, pin);
    return pin;
  }

  // The replay draws another moment from scratch: no pin, no flag seen.
  clear() {
    this.list.replaceChildren();
    this.list.hidden = true;
    this.pins.clear();
    this.seen.clear();
  }

  card(injectId) {
    return this.feed.cardOf(injectId); // looked up, not searched for: a long drill's feed holds thousands of cards
  }

  // Flags close with the drill (the server refuses `flag` once it is finished).
  setOpen(open) {
    this.open = open;
    for (const button of this.list.parentElement?.querySelectorAll(".post-flag-button") || []) {
      if (button.textContent !== MSG_FLAGGED) button.disabled = !open;
    }
  }
}

// "flagged by <name> at 4:10 · <note>": the name and the note are isolated (a Hebrew name in a French line).
function flagLine(name, simMs, note) {
  const [before, after = ""] = t("flagged by %(name)s at %(time)s").split("%(name)s");
  const time = formatSim(simMs);
  return el(
    "li",
    { className: "pin-flag" },
    fmt(before, { time }),
    el("bdi", {}, name || t("Unknown")),
    fmt(after, { time }),
    note ? el("q", { className: "pin-note", dir: "auto" }, note) : null,
  );
}
