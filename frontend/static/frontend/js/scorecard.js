// Scorecard page: the report itself needs no script; this only offers a Print / PDF button.
// The button is hidden in the markup, so without JavaScript nobody sees a button that does nothing.
const printButton = document.querySelector("[data-print]");
if (printButton) {
  printButton.hidden = false;
  printButton.addEventListener("click", () => window.print());
}
