// The planned timeline beside the document, from the server's preview: what is posted when (a burst as
// one row that opens), the conditional injects under it, and a note while it is older than the text.
import { personaKindLabel } from "./labels.js";
import { asSpec, clock, counted, el, say, send, state } from "./scenario-editor-page.js";

const timeline = document.getElementById("timeline");
const conditional = document.getElementById("conditional");
const conditionalTitle = document.getElementById("conditional-title");
const tasks = document.getElementById("evaluation-tasks");
const tasksTitle = document.getElementById("evaluation-title");
const timelineNote = document.getElementById("timeline-note");
const timelineSummary = document.getElementById("timeline-summary");

export async function refreshTimeline(body, seq, signal) {
  const result = await send("POST", "/api/scenarios/preview/", { body: asSpec(body), signal });
  if (seq !== state.checkSeq || !result.ok || !result.data) return;
  renderTimeline(result.data);
}

export function showStale() {
  if (!state.hasTimeline) {
    timeline.tBodies[0].replaceChildren(el("tr", {}, [emptyCell(say("timeline_waits"))]));
    return;
  }
  timeline.classList.add("is-stale");
  conditional.classList.add("is-stale");
  timelineNote.textContent = say("stale");
  timelineNote.hidden = false;
}

function groupBursts(items) {
  // A burst's items become one group, shown where its first item falls.
  const groups = [];
  const bursts = new Map();
  for (const item of items) {
    if (item.burst_index === null) {
      groups.push({ first: item, items: [item], burst: false });
      continue;
    }
    let group = bursts.get(item.key);
    if (!group) {
      group = { first: item, items: [], burst: true };
      bursts.set(item.key, group);
      groups.push(group);
    }
    group.items.push(item);
  }
  return groups;
}

function postCell(item, persona, text) {
  return el("td", { className: "col-post" }, [
    el("div", { className: "post-head" }, [
      ...persona,
      el("span", { className: "inject-key", text: item.key }),
      ...signalBadge(item),
    ]),
    ...text,
  ]);
}

// The preview is the instructors': it marks the signals that the room hides from participants.
function signalBadge(item) {
  if (!item.signal) return [];
  return [el("span", { className: "signal-badge", text: say("signal"), title: say("signal_title") })];
}

function postText(item) {
  const text = el("span", { className: "inject-text", text: item.text, dir: state.direction });
  if (item.subject === undefined) return [text];
  // An e-mail: its subject line above the body.
  return [el("strong", { className: "inject-subject", text: item.subject, dir: state.direction }), text];
}

function personaParts(persona) {
  return [
    el("span", { className: "persona-name", text: persona.name, dir: "auto" }),
    el("bdi", { className: "persona-handle", text: persona.handle }),
  ];
}

function severityCell(severity) {
  return el("td", { className: "col-sev" }, [el("span", { className: `sev sev-${severity}`, text: String(severity) })]);
}

function replyCell(item) {
  if (!item.requires_response) return el("td", { className: "col-reply muted", text: say("no_reply") });
  const text =
    item.respond_by_ms === null ? say("reply_required") : say("reply_by", { time: clock(item.respond_by_ms) });
  return el("td", { className: "col-reply" }, [el("span", { className: "needs-reply", text })]);
}

function platformCell(platform) {
  return el("td", {}, [el("span", { className: `platform platform-${platform}`, text: platform })]);
}

function itemRow(item, first) {
  return el("tr", { className: "item-row" }, [
    first,
    platformCell(item.platform),
    postCell(item, personaParts(item.persona), postText(item)),
    severityCell(item.severity),
    replyCell(item),
  ]);
}

function burstRows(group, index) {
  const { first, items } = group;
  const last = items[items.length - 1];
  const toggle = el("button", { className: "burst-toggle", text: say("show") });
  toggle.type = "button";
  toggle.dataset.action = "toggle-burst";
  toggle.dataset.burst = String(index);
  toggle.setAttribute("aria-expanded", "false");
  const head = el("tr", { className: "item-row burst-row" }, [
    timeCell(`${clock(first.planned_ms)}–${clock(last.planned_ms)}`),
    platformCell(first.platform),
    postCell(
      first,
      [
        el("span", { className: "burst-count", text: `×${items.length}`, dir: "ltr" }),
        el("span", { className: "persona-handle", text: personaKindLabel(first.persona.kind) }),
      ],
      [el("span", { className: "burst-label", text: say("burst", { n: items.length }) }), toggle],
    ),
    severityCell(first.severity),
    replyCell(first),
  ]);
  const children = items.map((item) => {
    const row = itemRow(item, timeCell(clock(item.planned_ms)));
    row.classList.add("burst-item");
    row.dataset.burst = String(index);
    row.hidden = true;
    return row;
  });
  return [head, ...children];
}

function timeCell(text) {
  // Times read left to right in every language: "4:01–6:55" must not turn into "6:55–4:01".
  return el("td", { className: "col-time" }, [el("span", { text, dir: "ltr" })]);
}

function conditionText(when) {
  if ("unanswered" in when) return say("when_unanswered", { time: clock(when.for_ms), key: when.unanswered });
  if ("answered" in when) return say("when_answered", { time: clock(when.delay_ms), key: when.answered });
  if ("backlash" in when) return say("when_backlash", { time: clock(when.delay_ms) });
  return say("when_heat", { n: when.heat_above });
}

function renderTimeline(preview) {
  const groups = groupBursts(preview.timeline);
  const rows = groups.flatMap((group, index) =>
    group.burst
      ? burstRows(group, index)
      : [itemRow(group.first, timeCell(clock(group.first.planned_ms)))],
  );
  if (!rows.length) rows.push(el("tr", {}, [emptyCell(say("empty_timeline"))]));
  timeline.tBodies[0].replaceChildren(...rows);
  const conditionalRows = preview.conditional.map((item) =>
    itemRow(item, el("td", {}, [el("span", { className: "col-when", text: conditionText(item.when), dir: "auto" })])),
  );
  conditional.tBodies[0].replaceChildren(...conditionalRows);
  conditional.hidden = conditionalTitle.hidden = !conditionalRows.length;
  renderTasks(preview.evaluation || []);
  const all = [...preview.timeline, ...preview.conditional];
  const replies = all.filter((item) => item.requires_response).length;
  timelineSummary.textContent = `${counted("posts", all.length)} · ${counted("replies", replies)}`;
  timeline.classList.remove("is-stale");
  conditional.classList.remove("is-stale");
  timelineNote.hidden = true;
  state.hasTimeline = true;
}

// The evaluation guide's tasks (what observers will rate), with their capability.
function renderTasks(items) {
  tasks.replaceChildren(
    ...items.map((item) =>
      el("li", { title: item.key }, [
        el("span", { className: "task-text", text: item.task, dir: "auto" }),
        item.capability ? el("span", { className: "muted task-capability", text: ` · ${item.capability}`, dir: "auto" }) : "",
      ]),
    ),
  );
  tasks.hidden = tasksTitle.hidden = !items.length;
}

function emptyCell(text) {
  const cell = el("td", { className: "muted", text });
  cell.colSpan = 5;
  return cell;
}

export function toggleBurst(button) {
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  button.textContent = open ? say("hide") : say("show");
  for (const row of timeline.querySelectorAll(`tr.burst-item[data-burst="${button.dataset.burst}"]`)) {
    row.hidden = !open;
  }
}
