// The `[[slots]]` of a response template in the composer's text, pure (no DOM): where they are, where the cursor
// goes, and what a click on a suggested template does to the text. The rule is kit/text.py's: a slot is `[[`,
// then anything on one line without brackets, then `]]`. Positions are the textarea's (UTF-16 code units).

const SLOT = /\[\[([^[\]\n]*)\]\]/g;

// slotSpans("Hi [[name]]") -> [{start: 3, end: 11, label: "name"}]
export function slotSpans(text) {
  const matches = [...String(text ?? "").matchAll(SLOT)];
  return matches.map((m) => ({ start: m.index, end: m.index + m[0].length, label: m[1] }));
}

// The slot to select next: the first one starting at or after `position`, else the first of the text; null when
// every slot is filled in.
export function slotFrom(text, position = 0) {
  const spans = slotSpans(text);
  return spans.find((span) => span.start >= position) || spans[0] || null;
}

// The text in pieces for showing it with its slots marked: [{text, slot}], joined they give the text back.
export function slotSegments(text) {
  const source = String(text ?? "");
  const segments = [];
  let at = 0;
  for (const { start, end } of slotSpans(source)) {
    if (start > at) segments.push({ text: source.slice(at, start), slot: false });
    segments.push({ text: source.slice(start, end), slot: true });
    at = end;
  }
  if (at < source.length) segments.push({ text: source.slice(at), slot: false });
  return segments;
}

// A template's filled text put into the composer: it replaces a blank text, else the selection (or goes in at the
// cursor). Returns the new text and what to select: the first slot of the inserted part, or the cursor after it.
export function insertTemplate(text, selectionStart, selectionEnd, filled) {
  const current = String(text ?? "");
  const blank = !current.trim();
  const from = blank ? 0 : Math.max(0, Math.min(selectionStart, current.length));
  const to = blank ? current.length : Math.max(from, Math.min(selectionEnd, current.length));
  const result = current.slice(0, from) + filled + current.slice(to);
  const slot = slotSpans(filled)[0];
  const after = from + filled.length;
  const select = slot ? { start: from + slot.start, end: from + slot.end } : { start: after, end: after };
  return { text: result, select };
}
