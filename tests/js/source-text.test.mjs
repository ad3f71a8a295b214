// The editor's author's text helpers (frontend/static/frontend/js/source-text.js), without a browser.
import assert from "node:assert/strict";
import { test } from "node:test";

import { CRLF, LF, markedRanges, offsetAt, pieces, tokenAt, withLineEnding } from "../../frontend/static/frontend/js/source-text.js";

const TEXT = "title: x\nbrand: {name: y, hendle: z}\ntext: \"😀 ok\" # note\nlast:\n";

test("a CRLF document gets its line endings back; an LF one is sent as typed", () => {
  assert.equal(withLineEnding("a: 1\nb: 2\n", CRLF), "a: 1\r\nb: 2\r\n");
  assert.equal(withLineEnding("a: 1\nb: 2\n", LF), "a: 1\nb: 2\n");
  assert.equal(withLineEnding("a: 1\r\nb: 2\n", CRLF), "a: 1\r\nb: 2\r\n"); // never "\r\r\n"
});

test("a line and column become an offset; columns count characters, an emoji is one", () => {
  assert.equal(offsetAt(TEXT, 1, 1), 0);
  assert.equal(TEXT.slice(offsetAt(TEXT, 2, 18)), "hendle: z}\ntext: \"😀 ok\" # note\nlast:\n");
  // line 3: `text: "😀 ok"`: the emoji is column 8, the space after it column 9.
  assert.equal(TEXT[offsetAt(TEXT, 3, 9)], " ");
  assert.equal(TEXT.slice(offsetAt(TEXT, 3, 10), offsetAt(TEXT, 3, 10) + 2), "ok");
});

test("places past a line's end or the text's end are clamped", () => {
  assert.equal(offsetAt(TEXT, 1, 99), TEXT.indexOf(LF));
  assert.equal(offsetAt(TEXT, 99, 1), TEXT.length);
});

test("an issue marks the key or value at its place, a flow mapping's comma and brace not included", () => {
  const at = offsetAt(TEXT, 2, 18);
  assert.deepEqual(tokenAt(TEXT, at), { start: at, end: at + "hendle:".length });
  const end = TEXT.indexOf("last:") + "last:".length;
  assert.deepEqual(tokenAt(TEXT, end), { start: end, end }); // at the end of a line: an empty mark
  const brace = TEXT.indexOf("{name");
  assert.deepEqual(tokenAt(TEXT, brace), { start: brace, end: brace + 1 }); // a mapping lacking a key: its brace
});

test("an error wins over a warning at the same place; issues without a place are the list's only", () => {
  const ranges = markedRanges(TEXT, [
    { line: 2, column: 18, kind: "warning" },
    { line: 2, column: 18, kind: "error" },
    { line: 1, column: 1, kind: "warning" },
    { line: null, column: null, kind: "error" },
  ]);
  assert.deepEqual(
    ranges.map((r) => [TEXT.slice(r.start, r.end), r.kind]),
    [
      ["title:", "warning"],
      ["hendle:", "error"],
    ],
  );
});

test("the pieces put together are the text itself", () => {
  const ranges = markedRanges(TEXT, [{ line: 4, column: 6, kind: "error" }, { line: 1, column: 8, kind: "warning" }]);
  const parts = pieces(TEXT, ranges);
  assert.equal(parts.map((p) => p.text).join(""), TEXT);
  assert.deepEqual(
    parts.filter((p) => p.kind).map((p) => [p.text, p.kind]),
    [
      ["x", "warning"],
      ["", "error"],
    ],
  );
});
