from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Membership, Organization, Team, User
from accounts.throttle import client_address
from config.errors import Invalid, RateLimited
from config.texts import translated


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in, counted and limited by the same rule as the API's and the page's."""

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        try:
            self.user_cache = services.user_authenticate(
                username=username, password=password, ip=client_address(self.request.META), request=self.request
            )
        except RateLimited as exc:
            raise ValidationError(translated(exc.message), code="rate_limited") from None
        except Invalid:
            raise self.get_invalid_login_error() from None
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


admin.site.login_form = ThrottledAdminLoginForm


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
