// The heat meter of the room's status bar (0..100), shared by the live room and the replay.
// bar: {heat: the value's element (role="meter"), heatFill: the bar inside the track}.
export function showHeat(bar, heat) {
  const value = Math.max(0, Math.min(100, Math.round(Number(heat) || 0)));
  bar.heat.textContent = String(value);
  bar.heat.setAttribute("aria-valuenow", String(value));
  bar.heatFill.style.inlineSize = `${value}%`; // CSSOM, not a style attribute: the strict CSP allows it
  bar.heat.parentElement.dataset.heatLevel = value >= 67 ? "high" : value >= 34 ? "mid" : "low";
}
