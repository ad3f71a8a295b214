// The scenario library: import only once a file is chosen (its name shown beside our button), and refuse a file over 1 MiB before
// uploading it (the server refuses it too; this just saves the wait). "/" jumps to the search box.

const form = document.querySelector(".import-form");
const input = document.getElementById("import-file");
const submit = document.getElementById("import-submit");
const hint = document.querySelector(".import-hint");
const fileName = document.querySelector(".file-name");
const search = document.getElementById("q");
const maxBytes = Number(form.dataset.maxBytes);

function checkFile() {
  const file = input.files[0];
  fileName.textContent = file ? file.name : fileName.dataset.none;
  const tooLarge = Boolean(file) && file.size > maxBytes;
  hint.textContent = tooLarge ? form.dataset.tooLarge : "";
  hint.hidden = !tooLarge;
  submit.disabled = !file || tooLarge;
}

input.addEventListener("change", checkFile);
form.addEventListener("submit", (event) => {
  checkFile();
  if (submit.disabled) event.preventDefault();
});
document.addEventListener("keydown", (event) => {
  const typing = event.target.closest("input, textarea, select, [contenteditable]");
  if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    search.focus();
    search.select();
  }
});
checkFile();
