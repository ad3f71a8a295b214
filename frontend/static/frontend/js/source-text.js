// The author's text in the editor (PROTOCOL 1.7), without the page: where a server's (line, column) falls in the
// text, which stretch of text an issue marks, the text cut into plain and marked pieces, and the line endings the
// author wrote (a text area only ever holds "\n", so a CRLF document gets its "\r\n" back when it is saved).

export const LF = "\n";
export const CRLF = "\r\n";

// Where a value or key ends: at a space or at the punctuation that closes it in a flow collection.
const TOKEN_END = /[\s,\]}]/;

export function withLineEnding(text, ending) {
  return ending === CRLF ? text.replace(/\r?\n/g, CRLF) : text;
}

// The string offset of a 1-based (line, column): columns count characters (code points), as the server's do, so
// a character outside the basic plane (an emoji) is one column but two string units. Past the end: clamped.
export function offsetAt(text, line, column) {
  let offset = 0;
  for (let n = 1; n < line; n += 1) {
    const next = text.indexOf(LF, offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  const lineEnd = text.indexOf(LF, offset) === -1 ? text.length : text.indexOf(LF, offset);
  for (let n = 1; n < column && offset < lineEnd; n += 1) {
    offset += text.codePointAt(offset) > 0xffff ? 2 : 1;
  }
  return offset;
}

// The stretch an issue marks: the word at its place (a key, a value), or nothing at the end of a line. A place on
// a flow collection's opening bracket (a mapping that lacks a key) or on a space marks that one character.
export function tokenAt(text, offset) {
  if (offset >= text.length || text[offset] === LF) return { start: offset, end: offset };
  if (/[\s{[]/.test(text[offset])) return { start: offset, end: offset + 1 };
  let end = offset + 1;
  while (end < text.length && !TOKEN_END.test(text[end])) end += 1;
  return { start: offset, end };
}

// The marked stretches of `issues` ({line, column, kind}) in text order, none overlapping: an error wins over a
// warning at the same place, and issues without a place are left to the list.
export function markedRanges(text, issues) {
  const placed = issues.filter((issue) => issue.line && issue.column);
  const ordered = [...placed.filter((i) => i.kind === "error"), ...placed.filter((i) => i.kind !== "error")];
  const ranges = [];
  for (const issue of ordered) {
    const range = { ...tokenAt(text, offsetAt(text, issue.line, issue.column)), kind: issue.kind };
    const overlaps = ranges.some((r) => range.start < Math.max(r.end, r.start + 1) && r.start < Math.max(range.end, range.start + 1));
    if (!overlaps) ranges.push(range);
  }
  return ranges.sort((a, b) => a.start - b.start);
}

// The text as pieces {text, kind}: kind null for plain text, "error" or "warning" for a marked stretch (maybe
// empty, at the end of a line). Joined, the pieces' texts are the text itself.
export function pieces(text, ranges) {
  const out = [];
  let at = 0;
  for (const { start, end, kind } of ranges) {
    if (start > at) out.push({ text: text.slice(at, start), kind: null });
    out.push({ text: text.slice(start, end), kind });
    at = end;
  }
  if (at < text.length) out.push({ text: text.slice(at), kind: null });
  return out;
}
