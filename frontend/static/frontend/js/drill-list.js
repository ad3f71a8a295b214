// The "New drill" form: seat roles and bots follow the chosen scenario's approval chain, and a team
// can be seated in one go. Without this module the form still works for the scenario rendered first.
import { roleLabel } from "./labels.js";

const form = document.getElementById("drill-form");

function readJson(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : [];
}

function option(value, label, selected) {
  const node = document.createElement("option");
  node.value = value;
  node.textContent = label;
  node.selected = selected;
  return node;
}

function chosenRoles(scenarios) {
  const chosen = scenarios.find((s) => String(s.id) === form.elements.scenario.value);
  return chosen ? chosen.roles : [];
}

// Keeps what was picked when the new chain has the same role; a role the new chain lacks falls back to "none".
function refillSeat(select, roles) {
  const [none, observer] = [select.options[0], select.options[select.options.length - 1]];
  const keep = select.value;
  select.replaceChildren(option("", none.textContent, false));
  for (const role of roles) select.append(option(role, roleLabel(role), role === keep));
  select.append(option(observer.value, observer.textContent, keep === observer.value));
}

function refillBots(container, roles) {
  const checked = new Set([...container.querySelectorAll("input:checked")].map((input) => input.value));
  container.replaceChildren();
  for (const role of roles.slice(1)) {
    const label = document.createElement("label");
    label.className = "check";
    const input = document.createElement("input");
    Object.assign(input, { type: "checkbox", name: "bots", value: role, checked: checked.has(role) });
    label.append(input, ` ${roleLabel(role)}`);
    container.append(label);
  }
}

function refillTeamRole(select, roles) {
  if (!select) return;
  select.replaceChildren(...roles.map((role, index) => option(role, roleLabel(role), index === 0)));
}

function applyRoles(scenarios) {
  const roles = chosenRoles(scenarios);
  for (const select of form.querySelectorAll("[data-seat-select]")) refillSeat(select, roles);
  refillBots(form.querySelector("[data-bot-options]"), roles);
  refillTeamRole(form.querySelector("[data-team-role]"), roles);
}

function seatTeam(teams) {
  const team = teams.find((t) => String(t.id) === form.querySelector("[data-team-select]").value);
  if (!team) return;
  const role = form.querySelector("[data-team-role]").value;
  for (const select of form.querySelectorAll("[data-seat-select]")) {
    if (team.members.includes(Number(select.dataset.user))) select.value = role;
  }
}

if (form) {
  const scenarios = readJson("scenario-roles");
  const teams = readJson("team-members");
  form.elements.scenario.addEventListener("change", () => applyRoles(scenarios));
  refillTeamRole(form.querySelector("[data-team-role]"), chosenRoles(scenarios));
  const teamFill = form.querySelector("[data-team-fill]");
  if (teamFill) {
    teamFill.hidden = false; // a helper that needs this module, so it shows only when the module runs
    teamFill.querySelector("[data-team-apply]").addEventListener("click", () => seatTeam(teams));
  }
}
