// Behaviour every page shares; no inline handlers, so the strict CSP holds.
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.submit());
}
