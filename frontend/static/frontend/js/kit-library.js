// The crisis kit page: a delete asks first (the form's data-confirm says which template). No inline handlers,
// so the strict CSP holds; the import form's checks are the scenario library's own module.

for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}
