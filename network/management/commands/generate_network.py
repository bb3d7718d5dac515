import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import override_settings

from actors.models import Actor, Organisation
from network.synthetic import generate_network
from platforms.models import Platform


class Command(BaseCommand):
    help = "Generate a synthetic network of N actors for benchmarks and load tests."

    def add_arguments(self, parser):
        parser.add_argument("actors", nargs="?", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Delete all actors, organisations and platforms first.",
        )

    def handle(self, *args, actors, seed, clear, **options):
        if actors < 1:
            raise CommandError("The number of actors must be at least 1.")
        started = time.perf_counter()
        if clear:
            # A synthetic network leaves no audit trail: history would write a row per deletion.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                Platform.objects.all().delete()
                Actor.objects.all().delete()
                Organisation.objects.all().delete()
        counts = generate_network(actors=actors, seed=seed)
        # Fresh statistics, so the planner knows the tables just grew by thousands of rows;
        # on PostgreSQL also the visibility map, so that index-only scans need no heap.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{name}={count}" for name, count in counts.items())
        self.stdout.write(f"Generated in {elapsed:.1f} s: {summary}")
