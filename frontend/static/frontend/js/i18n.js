// The page language for the ES modules. base.html loads Django's JavaScript catalog (/jsi18n/) with a
// plain <script> before any module, so window.gettext and friends exist by the time a module runs;
// without the catalog every string stays in English. makemessages extracts t() and tn() (see
// frontend/management/commands/makemessages.py).

// t("Reply") -> the translation of "Reply".
export function t(msgid) {
  return typeof window.gettext === "function" ? window.gettext(msgid) : msgid;
}

// tn("%(n)s post", "%(n)s posts", n) -> the plural form the language wants for n (not yet filled in).
export function tn(singular, plural, n) {
  if (typeof window.ngettext === "function") return window.ngettext(singular, plural, n);
  return n === 1 ? singular : plural;
}

// fmt("Reply #%(id)s", {id: 4}) -> "Reply #4": named placeholders, as in the Python code and the catalogs.
export function fmt(text, values) {
  if (typeof window.interpolate === "function") return window.interpolate(text, values, true);
  return text.replace(/%\((\w+)\)s/g, (match, name) => (name in values ? String(values[name]) : match));
}
