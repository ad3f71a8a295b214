// Who is in the room: the seats of the drill with their roles, the bots, and who is connected now
// (seat.joined / seat.left, counted per user because one person may have several tabs open).
import { el, initials, roleLabel, roleTitle } from "./drill-room-dom.js";
import { fmt, t } from "./i18n.js";

export class People {
  constructor(root) {
    this.list = root.querySelector("[data-people]");
    this.count = root.querySelector("[data-online-count]");
    this.roster = new Map(); // user id -> {user, name, username, roles}
    this.connections = new Map(); // user id -> open connections
    this.bots = [];
    this.you = null;
  }

  configure({ seats, bots, you }) {
    this.you = you.user;
    this.bots = bots || [];
    for (const seat of seats) {
      const person = this.person(seat.user, seat.display_name || seat.username, seat.username);
      if (!person.roles.includes(seat.role)) person.roles.push(seat.role);
    }
    this.render();
  }

  person(user, name, username) {
    if (!this.roster.has(user)) this.roster.set(user, { user, name, username, roles: [] });
    return this.roster.get(user);
  }

  joined(data) {
    const person = this.person(data.user, data.username, data.username);
    if (!person.roles.length && data.role) person.roles.push(data.role); // an instructor without a seat
    this.connections.set(data.user, (this.connections.get(data.user) || 0) + 1);
    this.render();
  }

  left(data) {
    this.connections.set(data.user, Math.max(0, (this.connections.get(data.user) || 0) - 1));
    this.render();
  }

  name(user) {
    return this.roster.get(user)?.name;
  }

  render() {
    const people = [...this.roster.values()].map((person) => this.item(person));
    const bots = this.bots.map((role) =>
      el(
        "li",
        { className: "person person-bot online" },
        el("span", { className: "avatar avatar-bot", "aria-hidden": "true" }, "⚙"),
        el("span", { className: "person-name" }, fmt(t("%(role)s bot"), { role: roleTitle(role) })),
        el("span", { className: "roles" }, el("span", { className: "role" }, roleLabel(role))),
      ),
    );
    this.list.replaceChildren(...people, ...bots);
    const online = [...this.connections.values()].filter((n) => n > 0).length;
    this.count.textContent = String(online);
  }

  item(person) {
    const online = (this.connections.get(person.user) || 0) > 0;
    return el(
      "li",
      { className: `person ${online ? "online" : "offline"}`, dataset: { user: person.user } },
      el("span", { className: "avatar", "aria-hidden": "true" }, initials(person.name)),
      el(
        "span",
        { className: "person-name" },
        el("bdi", {}, person.name),
        person.user === this.you ? el("span", { className: "you-tag" }, t("you")) : null,
      ),
      el("span", { className: "roles" }, ...person.roles.map(roleChip)),
      el("span", { className: "visually-hidden" }, online ? t("online") : t("offline")),
    );
  }
}

function roleChip(role) {
  return el("span", { className: "role" }, roleLabel(role));
}
