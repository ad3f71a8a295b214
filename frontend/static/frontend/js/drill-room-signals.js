// The instructors' console marks the scenario's signal posts (PROTOCOL section 1.3). Their keys come from the
// instructor-only part of the hello (you.signals), never from the shared log: a participant's feed has no mark.
import { el } from "./drill-room-dom.js";
import { t } from "./i18n.js";

const MSG_SIGNAL = t("signal");
const MSG_SIGNAL_TITLE = t("An early warning the team should flag (only instructors see this mark)");

// `title`: what the mark says on hover (the replay of a finished drill shows it to everyone).
export function markSignal(root, you, frame, title = MSG_SIGNAL_TITLE) {
  const { data } = frame;
  // Manual injects have keys of their own; bursts are never signals.
  if (!you?.signals?.includes(data.key) || data.manual || data.burst_index !== null) return;
  const head = root.querySelector(`[data-feed] [data-inject="${data.id}"] .post-head`);
  if (!head || head.querySelector(".post-signal")) return;
  const badge = el("span", { className: "post-tag post-signal", title }, MSG_SIGNAL);
  head.querySelector(".post-time")?.before(badge);
}
