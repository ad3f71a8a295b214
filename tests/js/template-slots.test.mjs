// The composer's slots (frontend/static/frontend/js/template-slots.js), without a browser: in any script.
import assert from "node:assert/strict";
import { test } from "node:test";

import { insertTemplate, slotFrom, slotSegments, slotSpans } from "../../frontend/static/frontend/js/template-slots.js";

test("slots are found with their labels and positions, as the server finds them", () => {
  const text = "Sorry. [[what happened]] Update by [[time]].";
  assert.deepEqual(slotSpans(text), [
    { start: 7, end: 24, label: "what happened" },
    { start: 35, end: 43, label: "time" },
  ]);
  assert.deepEqual(slotSpans("not [a slot] nor [[two\nlines]] but [[]]"), [{ start: 35, end: 39, label: "" }]);
});

test("a slot next to Hebrew words keeps its exact place", () => {
  const text = "שלום, [[מה קרה]]ונעדכן עד [[שעה]].";
  const [first, second] = slotSpans(text);
  assert.equal(text.slice(first.start, first.end), "[[מה קרה]]");
  assert.equal(first.start, 6);
  assert.equal(text.slice(second.start, second.end), "[[שעה]]");
  assert.deepEqual(slotSegments(text).map((s) => [s.text, s.slot]), [
    ["שלום, ", false],
    ["[[מה קרה]]", true],
    ["ונעדכן עד ", false],
    ["[[שעה]]", true],
    [".", false],
  ]);
});

test("the next slot is the first at or after the cursor, else the first; none when all are filled", () => {
  const text = "[[a]] x [[b]]";
  assert.deepEqual(slotFrom(text, 0), { start: 0, end: 5, label: "a" });
  assert.deepEqual(slotFrom(text, 3), { start: 8, end: 13, label: "b" });
  assert.deepEqual(slotFrom(text, 13), { start: 0, end: 5, label: "a" });
  assert.equal(slotFrom("all filled in", 0), null);
});

test("a template replaces a blank text and selects its first slot", () => {
  const { text, select } = insertTemplate("  \n", 1, 1, "Hi @dana. [[what happened]]");
  assert.equal(text, "Hi @dana. [[what happened]]");
  assert.deepEqual(select, { start: 10, end: 27 });
});

test("into a written text it replaces the selection, and the cursor goes to its slot", () => {
  const { text, select } = insertTemplate("Hello SELECTED world", 6, 14, "[[x]]!");
  assert.equal(text, "Hello [[x]]! world");
  assert.deepEqual(select, { start: 6, end: 11 });
  assert.equal(text.slice(select.start, select.end), "[[x]]");
});

test("a template without slots leaves the cursor after it", () => {
  const { text, select } = insertTemplate("Thanks. ", 8, 8, "מתנצלים");
  assert.equal(text, "Thanks. מתנצלים");
  assert.deepEqual(select, { start: 15, end: 15 });
});

test("the pieces of a text without slots are the text", () => {
  assert.deepEqual(slotSegments("plain"), [{ text: "plain", slot: false }]);
  assert.deepEqual(slotSegments(""), []);
});
