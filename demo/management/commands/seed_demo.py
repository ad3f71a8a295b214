"""Seeds the demo organizations, people, scenario library and crisis kit of docs/protocol.md section 5. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand

from demo.seed import seed_demo


class Command(BaseCommand):
    help = "Create the demo organizations, users and scenarios (running it again changes nothing)."

    def handle(self, *args, **options):
        summary = seed_demo(password=settings.DEMO_PASSWORD, scenarios_dir=settings.DEMO_SCENARIOS_DIR)
        # No address here: the server may be on another port (`make run PORT=...` says where it serves).
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at /login/ as one of:"))
        for org_name, people in summary["people"].items():
            self.stdout.write(f"  {org_name}:")
            for username, role in people:
                self.stdout.write(f"    {username:<12} {role:<12} password: {settings.DEMO_PASSWORD}")
        for line in summary["scenarios"]:
            self.stdout.write(f"  scenario: {line}")
        self.stdout.write(f"  crisis kit templates added: {summary['templates']}")
