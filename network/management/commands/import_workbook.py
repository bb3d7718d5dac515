"""Import an edited workbook of the templates: print the preview, then apply it (or not)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from network.workbook.importer import import_workbook, preview_workbook
from network.workbook.limits import MAX_FILE_BYTES


class Command(BaseCommand):
    help = (
        "Import the needs, actors and platforms templates from an xlsx workbook. "
        "Exit code 0: applied (or would apply with --dry-run); 1: refused, nothing written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="only print the preview")
        parser.add_argument(
            "--end-missing",
            action="store_true",
            help="end the active actors that the file no longer lists",
        )
        parser.add_argument("--user", help="the username the history records (default: none)")

    def handle(self, *args, file, dry_run, end_missing, user, **options):
        path = Path(file)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"No user {user!r}.")
        if dry_run:
            preview, _ = preview_workbook(data)
        else:
            preview = import_workbook(data, user=account, end_missing=end_missing)
        self._print(preview, end_missing)
        if preview.refused:
            raise CommandError(f"Refused: {len(preview.errors)} problem(s); nothing was written.")
        verb = "Would apply" if dry_run else "Applied"
        self.stdout.write(f"{verb} {preview.change_count} change(s).")

    def _print(self, preview, end_missing):
        for section in preview.sections:
            plan = section.plan
            self.stdout.write(
                f"{section.title}: {len(plan.added)} new, {len(plan.changed)} changed, "
                f"{plan.unchanged} unchanged, {len(section.missing)} missing from the file"
                + (" (ended)" if end_missing and section.ends_missing and plan.missing else "")
            )
            for row in plan.added:
                self.stdout.write(f"  + row {row.row}: {row.name}")
            for row in plan.changed:
                self.stdout.write(f"  ~ row {row.row}: {row.name}")
                for column, old, new in row.changes:
                    self.stdout.write(f"      {column}: {old!r} -> {new!r}")
            for pk, name, _ in section.missing:
                self.stdout.write(f"  - ID {pk}: {name}")
        for problem in preview.problems:
            prefix = "warning" if problem.warning else "error"
            self.stdout.write(f"{prefix}: {problem.located()}")
