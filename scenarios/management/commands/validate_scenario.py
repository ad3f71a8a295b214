"""`manage.py validate_scenario FILE...`: prints `FILE:path: message` per problem; non-zero on any error."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from scenarios.validation import DocumentError, load_document, validate


def check_file(path: Path) -> tuple[list, list]:
    """(errors, warnings) of one file, as validation Issues."""
    try:
        document = load_document(path.read_bytes())
    except DocumentError as exc:
        return exc.errors, []
    result = validate(document)
    return result.errors, result.warnings


class Command(BaseCommand):
    help = "Validate crisisdrill/v1 scenario files (YAML or JSON)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files, **options):
        failed = 0
        for path in files:
            if not path.is_file():
                self.stderr.write(f"{path}: no such file")
                failed += 1
                continue
            errors, warnings = check_file(path)
            for issue in errors:
                self.stdout.write(f"{path}:{issue.path}: {issue.message}")
            for issue in warnings:
                self.stdout.write(f"{path}:{issue.path}: warning: {issue.message}")
            failed += bool(errors)
            if not errors:
                self.stdout.write(self.style.SUCCESS(f"{path}: valid"))
        if failed:
            raise CommandError(f"{failed} file(s) with errors")
