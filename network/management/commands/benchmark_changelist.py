"""Time the coordinator's actor list on the current database (run it after generate_network)."""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from actors.models import Actor, TargetGroup

URL = "/admin/actors/actor/"


class Command(BaseCommand):
    help = "Print the median and p95 server time of the actor list, plain and with 3 filters."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=50)

    def handle(self, *args, requests, **options):
        actors = Actor.objects.count()
        if actors == 0:
            raise CommandError("No actors: run `manage.py generate_network 50000` first.")
        user, _ = get_user_model().objects.get_or_create(
            username="benchmark-koordinator", defaults={"is_superuser": True, "is_active": True}
        )
        client = Client()
        client.force_login(user)
        group = TargetGroup.objects.order_by("pk").first()
        scenarios = {
            "no filter": {},
            "3 filters (status, target group, verification)": {
                "status__exact": "active",
                "cilova_skupina": str(group.pk) if group else "",
                "overeni": "stale",
            },
            "search 'skola' + 2 filters": {
                "q": "skola",
                "status__exact": "active",
                "vek": "6-15",
            },
        }
        self.stdout.write(f"Actor list at {actors} actors, {requests} requests each:")
        for name, params in scenarios.items():
            client.get(URL, params)  # warm-up
            timings = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(URL, params)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{name}: HTTP {response.status_code}")
            with CaptureQueriesContext(connection) as queries:
                client.get(URL, params)
            timings.sort()
            p95 = timings[max(0, round(len(timings) * 0.95) - 1)]
            self.stdout.write(
                f"  {name}: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
                f"{len(queries)} queries"
            )
        user.delete()
