"""People and where they belong: users, organizations, memberships with a role, and teams."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INSTRUCTOR = "instructor", _("Instructor")
    PARTICIPANT = "participant", _("Participant")
    OBSERVER = "observer", _("Observer")


def shown_name(display_name: str, first_name: str, last_name: str, username: str) -> str:
    """The name others see: the display name, else the full name (as get_full_name), else the username."""
    return display_name or f"{first_name} {last_name}".strip() or username


class User(AbstractUser):
    display_name = models.CharField(max_length=150, blank=True)

    @property
    def shown_name(self) -> str:
        return shown_name(self.display_name, self.first_name, self.last_name, self.username)


class Organization(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    # One organization per user keeps scoping unambiguous: every request has exactly one org.
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.organization}"


class Team(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120)
    members = models.ManyToManyField(User, related_name="teams", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="team_name_unique_in_org")]

    def __str__(self) -> str:
        return self.name
