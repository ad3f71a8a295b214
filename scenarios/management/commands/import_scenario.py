"""`manage.py import_scenario FILE --org SLUG [--publish]`: adds a scenario to an organization's library."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Membership, Organization, Role
from config.errors import DomainError
from scenarios.services import scenario_create, scenario_publish, source_load


class Command(BaseCommand):
    help = "Import a crisisdrill/v1 scenario file into an organization (as its first instructor)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="organization slug")
        parser.add_argument("--publish", action="store_true", help="also publish a version")

    def handle(self, *args, file, org, publish, **options):
        organization = Organization.objects.filter(slug=org).first()
        if organization is None:
            raise CommandError(f"no organization {org!r}")
        instructor = Membership.objects.filter(organization=organization, role=Role.INSTRUCTOR).first()
        if instructor is None:
            raise CommandError(f"organization {org!r} has no instructor")
        try:
            document, source = source_load(text=file.read_bytes())
            scenario = scenario_create(by=instructor.user, document=document, source=source)
            version = scenario_publish(by=instructor.user, scenario=scenario)[0] if publish else None
        except DomainError as exc:
            for error in exc.errors:
                line = f"{error['line']}:{error['column']}:" if error.get("line") else ""
                self.stderr.write(f"{file}:{line}{error['path']}: {error['message']}")
            raise CommandError(exc.message) from None
        suffix = f", published as version {version.number}" if version else ""
        self.stdout.write(self.style.SUCCESS(f"imported {scenario.title!r} as scenario {scenario.pk}{suffix}"))
