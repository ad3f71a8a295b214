from django.contrib import admin

from scenarios.models import Scenario, ScenarioVersion


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "organization", "updated_at")
    list_filter = ("organization", "language")
    search_fields = ("title",)


@admin.register(ScenarioVersion)
class ScenarioVersionAdmin(admin.ModelAdmin):
    list_display = ("title", "number", "organization", "checksum", "published_at")
    readonly_fields = [f.name for f in ScenarioVersion._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False  # versions are immutable
