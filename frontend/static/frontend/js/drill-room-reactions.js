// The crowd's reactions to a published reply (PROTOCOL section 1.4): each reaction comment is threaded under the
// reply it answers, and a reply that set off a backlash wears a visible "Backlash" marker.
import { el } from "./drill-room-dom.js";
import { t } from "./i18n.js";

const LABELS = { backlash: t("Backlash"), support: t("Support") };

// The tag a reaction comment shows in its header (null for other posts).
export function reactionTag(data) {
  if (!data.reaction) return null;
  return el("span", { className: `post-tag reaction-tag reaction-${data.reaction}` }, LABELS[data.reaction] || "");
}

// The list under the reply `data.in_reply_to` where its reaction comments go, or null when that reply is not shown
// (then the comment stays a post of the feed). A reply threaded under several posts takes them under the first.
export function reactionThread(feedList, data) {
  if (data.in_reply_to === null || data.in_reply_to === undefined) return null;
  const reply = feedList.querySelector(`.reply[data-response="${Number(data.in_reply_to)}"]`);
  if (!reply) return null;
  let thread = reply.querySelector(":scope .reply-reactions");
  if (!thread) {
    thread = el("ol", { className: "reply-reactions", "aria-label": t("Reactions to this reply") });
    reply.querySelector(".reply-body").append(thread);
  }
  if (data.reaction === "backlash" && !reply.classList.contains("reply-backlash")) {
    reply.classList.add("reply-backlash");
    reply.querySelector(".reply-head").append(reactionTag(data));
  }
  return thread;
}
