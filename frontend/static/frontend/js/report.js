// After-action report page (instructors): add and remove rows, save the whole report with PUT. The rows are
// cloned from the page's <template> elements; the server's errors are shown with their paths, as text only.
const form = document.querySelector("[data-report-form]");
const drillId = document.querySelector("[data-drill]").dataset.drill;
const strengths = form.querySelector("[data-strengths]");
const improvements = form.querySelector("[data-improvements]");
const saved = form.querySelector("[data-saved]");
const errorBox = form.querySelector("[data-errors]");
const errorList = form.querySelector("[data-error-list]");
const failed = form.querySelector("[data-failed]");

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  return form.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
}

function addFrom(selector, list) {
  if (list.children.length >= Number(list.dataset.max)) return;
  const row = form.querySelector(selector).content.firstElementChild.cloneNode(true);
  list.append(row);
  row.querySelector("textarea, input")?.focus();
}

form.querySelector("[data-add-strength]").addEventListener("click", () => addFrom("[data-strength-template]", strengths));
form
  .querySelector("[data-add-improvement]")
  .addEventListener("click", () => addFrom("[data-improvement-template]", improvements));
form.addEventListener("click", (event) => {
  const remove = event.target.closest("[data-remove]");
  if (remove) remove.closest("[data-strength], [data-improvement]").remove();
});

function field(row, name) {
  return row.querySelector(`[data-field="${name}"]`);
}

// The whole document, as the API takes it; each control remembers its path to show the server's errors on it.
function collect() {
  form.querySelector("[name=summary]").dataset.path = "summary";
  const strengthTexts = [...strengths.querySelectorAll("[data-strength] textarea")].map((box, index) => {
    box.dataset.path = `strengths[${index}]`;
    return box.value;
  });
  const rows = [...improvements.querySelectorAll("[data-improvement]")].map((row, index) => {
    for (const name of ["text", "owner", "due", "status"]) field(row, name).dataset.path = `improvements[${index}].${name}`;
    return {
      text: field(row, "text").value,
      owner: field(row, "owner").value,
      due: field(row, "due").value || null,
      status: field(row, "status").value,
    };
  });
  return { summary: form.querySelector("[name=summary]").value, strengths: strengthTexts, improvements: rows };
}

function showErrors(errors) {
  errorList.replaceChildren();
  for (const error of errors) {
    const item = document.createElement("li");
    const path = document.createElement("code");
    path.textContent = error.path;
    item.append(path, document.createTextNode(error.message));
    errorList.append(item);
    form.querySelector(`[data-path="${CSS.escape(error.path)}"]`)?.setAttribute("aria-invalid", "true");
  }
  errorBox.hidden = errors.length === 0;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  saved.hidden = failed.hidden = true;
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  showErrors([]);
  let response;
  try {
    response = await fetch(`/api/drills/${drillId}/report/`, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(collect()),
    });
  } catch {
    failed.hidden = false;
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (response.ok) {
    saved.hidden = false;
    return;
  }
  if (body.errors) showErrors(body.errors);
  else {
    failed.textContent = body.detail || failed.textContent;
    failed.hidden = false;
  }
});
