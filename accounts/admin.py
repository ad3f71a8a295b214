from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Membership, Organization, Team, User


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False


@admin.register(User)
class CrisisDrillUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    fieldsets = (*UserAdmin.fieldsets, ("CrisisDrill", {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "email", "is_staff")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("organization", "role")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "organization")
    filter_horizontal = ("members",)
