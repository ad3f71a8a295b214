"""`{{ role|role_label }}` and `{{ kind|persona_kind_label }}`: a scenario's keys as people read them."""

from django import template

from scenarios import labels

register = template.Library()
register.filter("role_label", labels.role_label)
register.filter("persona_kind_label", labels.persona_kind_label)
