"""Time the workbook export and import at 10,000 and 50,000 synthetic actors (issue targets).

For each size: generate the network (in a process of its own), then
- export: our workbook export beside a raw xlsxwriter dump of the same cells;
- import: the exported actor sheet without IDs into the network without its actors (every row
  a new actor, the heaviest case), preview + apply; beside django-import-export's default
  ModelResource path on the same rows (or on the first N, scaled, with --default-path-sample,
  printed as an estimate), and beside the floor (parse only + bulk insert).
Each line prints seconds, ratios, queries and the process's peak resident set during that
phase (on Linux the high-water mark is reset before it, after freed memory is handed back to
the system, and the resident set it started from is printed beside it; elsewhere the peak so
far). Each import phase runs in a fresh process, so its peak is that of a process doing only
it (Django and the file included) and not what earlier phases left in the heap. The imports
run in a transaction that is rolled back; on PostgreSQL the deferred foreign key checks, which
a commit would run, are run and timed inside the phase first. It changes the current
database: run it on a scratch one (`DATABASE_URL=... manage.py benchmark_workbook`).
"""

import contextlib
import ctypes
import gc
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from argparse import SUPPRESS
from pathlib import Path

import python_calamine
import tablib
import xlsxwriter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import override_settings

from actors.models import Actor
from network.workbook.export import export_workbook, template_sheets
from network.workbook.importer import import_workbook
from platforms.models import PlatformMembership
from platforms.resources import NetworkActorResource

ACTORS = "Aktéři sítě"


def _reset_peak() -> bool:
    """Start the process's peak resident set afresh (Linux), so a phase reports its own."""
    gc.collect()
    # Freed memory that malloc keeps would count as the next phase's.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def _status_mb(name: str) -> float:
    with open("/proc/self/status") as status:
        return int(re.search(rf"{name}:\s+(\d+)", status.read()).group(1)) / 1024


def _peak_mb(reset: bool) -> float:
    if reset:
        return _status_mb("VmHWM")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def check_deferred() -> float:
    """Run the deferred constraint checks a commit would run; their seconds."""
    if connection.vendor != "postgresql":
        return 0.0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return time.perf_counter() - started


class Measured:
    def __init__(self, label: str):
        self.label = label

    def __enter__(self):
        self.queries = 0
        self.reset = _reset_peak()
        self.start_rss = _status_mb("VmRSS") if self.reset else None
        self.wrapper = connection.execute_wrapper(self._count)
        self.wrapper.__enter__()
        self.started = time.perf_counter()
        return self

    def _count(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self.wrapper.__exit__(*exc)
        self.rss = _peak_mb(self.reset)

    def line(self, base: "Measured | None" = None, note: str = "") -> str:
        ratio = f" ({self.seconds / base.seconds:5.2f}x {base.label})" if base else ""
        if self.reset:
            peak = f"peak RSS {self.rss:5.0f} MB (from {self.start_rss:.0f} MB)"
        else:
            peak = f"process peak RSS so far {self.rss:5.0f} MB"
        return (
            f"    {self.label:34} {self.seconds:7.2f} s{ratio}, {self.queries:6} queries, "
            f"{peak}{note}"
        )


def dump(rows: dict[str, tuple[list, list]]) -> bytes:
    """The cells as they are, written by xlsxwriter without formats or checks."""
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"constant_memory": True})
    for name, (headers, sheet_rows) in rows.items():
        worksheet = book.add_worksheet(name)
        worksheet.write_row(0, 0, headers)
        for index, row in enumerate(sheet_rows, start=1):
            worksheet.write_row(index, 0, row)
    book.close()
    return stream.getvalue()


class Command(BaseCommand):
    help = "Benchmark the workbook export and import (changes the current database)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
        parser.add_argument(
            "--default-path-up-to",
            type=int,
            default=10_000,
            help="run django-import-export's default path only up to this size (it is slow)",
        )
        parser.add_argument(
            "--default-path-sample",
            type=int,
            default=0,
            help="run the default path on the first N rows only and extrapolate its time "
            "linearly to the whole file (printed as an estimate); 0: the whole file",
        )
        # One import phase in this process, for the parent run (its figures as JSON).
        parser.add_argument("--phase", choices=["floor", "ours", "default"], help=SUPPRESS)
        parser.add_argument("--file", help=SUPPRESS)
        parser.add_argument("--export-file", help=SUPPRESS)

    def handle(self, *args, sizes, default_path_up_to, default_path_sample, **options):
        self.sample = default_path_sample
        if options["phase"]:
            figures = self.run_phase(options["phase"], options["file"], options["export_file"])
            self.stdout.write(json.dumps(figures))
            return
        for size in sizes:
            self.stdout.write(f"{size} synthetic actors ({connection.vendor}):")
            # In a process of its own: what generating leaves in memory is not the phases'.
            subprocess.run(
                [sys.executable, "-m", "django", "generate_network", str(size), "--clear"],
                check=True,
                capture_output=True,
                env={**os.environ, "PYTHONPATH": str(settings.BASE_DIR)},
            )
            self.export(size)
            self.import_(size, default_path_up_to)

    def export(self, size: int) -> None:
        with Measured("raw xlsxwriter dump") as raw:
            sheets, _ = template_sheets(True, None)
            rows = {sheet.name: (sheet.headers, list(sheet.rows)) for sheet in sheets}
            dump(rows)
        # The dump above also fetched its cells; time the writing alone for the comparison.
        with Measured("raw dump, writing only") as raw_write:
            dump(rows)
        del rows
        with Measured("our export (whole workbook)") as ours:
            stream = io.BytesIO()
            export_workbook(stream)
        self.data = stream.getvalue()
        self.stdout.write("  export")
        self.stdout.write(raw_write.line())
        self.stdout.write(raw.line())
        self.stdout.write(ours.line(raw_write, f", {len(self.data) // 1024} KB"))

    def _actor_rows(self) -> tuple[list, list[list]]:
        """The exported actor sheet's headers and rows without IDs (and without platform
        participation: new actors take part in no platform yet)."""
        sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(self.data))
        rows = sheet.get_sheet_by_name(ACTORS).to_python()
        headers = rows[0]
        id_column = headers.index("ID")
        platforms_column = headers.index("Účast v platformách")
        found = []
        for row in rows[1:]:
            row = list(row)
            row[id_column] = row[platforms_column] = ""
            found.append(row)
        return headers, found

    def _new_actor_file(self) -> tuple[bytes, int]:
        headers, rows = self._actor_rows()
        stream = io.BytesIO()
        book = xlsxwriter.Workbook(stream, {"constant_memory": True, "strings_to_formulas": False})
        worksheet = book.add_worksheet(ACTORS)
        worksheet.write_row(0, 0, headers)
        for index, row in enumerate(rows, start=1):
            worksheet.write_row(index, 0, row)
        book.close()
        return stream.getvalue(), len(rows)

    def import_(self, size: int, default_path_up_to: int) -> None:
        data, count = self._new_actor_file()
        self.stdout.write(f"  import ({count} new actors, {len(data) // 1024} KB file)")
        self._clear_actors()
        with tempfile.TemporaryDirectory() as folder:
            files = {"file": Path(folder, "new.xlsx"), "export": Path(folder, "export.xlsx")}
            files["file"].write_bytes(data)
            files["export"].write_bytes(self.data)
            floor = self._phase("floor", files)
            ours = self._phase("ours", files)
            self.stdout.write(floor.line(note=self._checks(floor.checks)))
            self.stdout.write(
                ours.line(
                    floor,
                    f", {ours.added} added, {ours.problems} problems{self._checks(ours.checks)}",
                )
            )
            if size > default_path_up_to:
                self.stdout.write("    django-import-export default path: skipped at this size")
                return
            default = self._phase("default", files)
        sample = default.rows if default.rows < count else 0
        self.stdout.write(
            default.line(
                None if sample else ours,
                f", {default.written} actors written ({default.totals}), "
                f"{default.errored} rows errored",
            )
            + ("" if sample else f"  -> ours is {default.seconds / ours.seconds:.1f}x faster")
        )
        if sample:
            estimate = default.seconds * count / sample
            self.stdout.write(
                f"    default path ESTIMATE for all {count} rows: {estimate:.0f} s (measured on "
                f"the first {sample} rows above, scaled linearly)  -> ours is about "
                f"{estimate / ours.seconds:.0f}x faster"
            )

    def _phase(self, phase: str, files: dict[str, Path]) -> Measured:
        """Run an import phase in a fresh process (its memory is its own) and read its figures."""
        command = [sys.executable, "-m", "django", "benchmark_workbook", "--phase", phase]
        command += ["--file", str(files["file"]), "--export-file", str(files["export"])]
        command += ["--default-path-sample", str(self.sample)]
        done = subprocess.run(
            command,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(settings.BASE_DIR)},
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        measured = Measured(figures.pop("label"))
        measured.__dict__.update(figures)
        return measured

    def run_phase(self, phase: str, path: str, export_path: str) -> dict:
        """One import phase in a transaction that is rolled back; its figures."""
        figures = {}
        with transaction.atomic():
            if phase == "floor":
                data = Path(path).read_bytes()
                with Measured("floor: parse + bulk insert") as measured:
                    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
                    rows = book.get_sheet_by_name(ACTORS).to_python()
                    name = rows[0].index("Název aktéra")
                    Actor.objects.bulk_create(
                        (Actor(name=row[name], primary_need_area_id=1) for row in rows[1:]),
                        batch_size=2000,
                    )
                    del rows
                    figures["checks"] = check_deferred()
            elif phase == "ours":
                data = Path(path).read_bytes()
                # As a coordinator does: every record's history names the user.
                user = get_user_model().objects.create(username="benchmark-coordinator")
                with Measured("ours: preview + apply") as measured:
                    preview = import_workbook(data, user=user)
                    figures["added"] = len(preview.actors.added) if preview.actors else 0
                    figures["problems"] = len(preview.errors)
                    del preview
                    figures["checks"] = check_deferred()
            else:
                self.data = Path(export_path).read_bytes()
                # The rows the default path reads, with the export's cell types (its dates).
                headers, rows = self._actor_rows()
                if 0 < self.sample < len(rows):
                    del rows[self.sample :]
                dataset = tablib.Dataset(*rows, headers=headers)
                figures["rows"] = len(rows)
                del rows, self.data
                with Measured("django-import-export default path") as measured:
                    result = NetworkActorResource().import_data(
                        dataset, dry_run=False, raise_errors=False, use_transactions=False
                    )
                    check_deferred()
                figures["written"] = Actor.objects.count()
                figures["totals"] = ", ".join(
                    f"{count} {kind}" for kind, count in result.totals.items() if count
                )
                figures["errored"] = len(result.invalid_rows) + len(result.error_rows)
            transaction.set_rollback(True)
        figures.update(
            label=measured.label,
            seconds=measured.seconds,
            queries=measured.queries,
            reset=measured.reset,
            start_rss=measured.start_rss,
            rss=measured.rss,
        )
        return figures

    @staticmethod
    def _checks(seconds: float) -> str:
        return (
            f", of it {seconds:.2f} s deferred FK checks"
            if connection.vendor == "postgresql"
            else ""
        )

    def _clear_actors(self) -> None:
        """Remove every actor and what hangs on it: set-up, not measured.

        Organisations stay: both import paths find them by IČO or name. No history and no
        ORM cascade: deleting 10,000 actors that way took three minutes.
        """
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # CASCADE: links, contacts, notes, values, local practice's actors, and the
                # platforms (one may name its initiator); the import here reads no platforms.
                cursor.execute(
                    f"TRUNCATE {connection.ops.quote_name(Actor._meta.db_table)} CASCADE"
                )
                cursor.execute("ANALYZE")
            return
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            PlatformMembership.objects.all().delete()
            Actor.objects.all().delete()
