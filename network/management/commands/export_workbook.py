"""Write the workbook of the three templates (or some of its sheets) to a file."""

import xlsxwriter.exceptions
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from network.workbook.export import TEMPLATE_SHEETS, export_workbook, workbook_filename


class Command(BaseCommand):
    help = "Export the needs, actors and platforms templates as one xlsx workbook."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="the file to write (default: the usual name)")
        parser.add_argument(
            "--sheet",
            action="append",
            choices=TEMPLATE_SHEETS,
            help="export only this template sheet (may repeat)",
        )
        parser.add_argument(
            "--without-private",
            action="store_true",
            help="leave out private notes and coordinator-only characteristics",
        )
        parser.add_argument(
            "--user", help="the username `O souboru` names as the exporter (default: the command)"
        )

    def handle(self, *args, output, sheet, without_private, user, **options):
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"No user {user!r}.")
        path = output or workbook_filename()
        try:
            counts = export_workbook(
                path, user=account, include_private=not without_private, sheets=sheet
            )
        except (OSError, xlsxwriter.exceptions.FileCreateError) as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        rows = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(f"Wrote {path} ({rows} rows)")
