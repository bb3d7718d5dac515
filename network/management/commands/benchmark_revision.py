"""Time the annual revision on the current database (issue 6 targets).

Takes a snapshot of today's templates, changes about 1 % of the actors (phones, an ended
actor per 200, new memberships), takes a second snapshot, and prints how long comparing the
two takes (target <= 2 s at 10,000 actors) with its queries, beside the other steps of a
revision: the snapshot, the comparison with today, the checklist and the meeting pack. Run it
after `generate_network 10000` on a scratch database; everything it writes is rolled back.
"""

import io
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actors.models import Actor
from network.models import Revision, Snapshot
from network.revisions import checklist, compare, pack, services, snapshot
from platforms.models import Platform, PlatformMembership


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark comparing two revision snapshots (and the other revision steps)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, repeat, **options):
        try:
            with transaction.atomic():
                self.run(repeat)
                raise Rollback
        except Rollback:
            pass

    def run(self, repeat: int) -> None:
        active = Actor.objects.active().count()
        self.stdout.write(f"revision, {active} active actors ({connection.vendor}):")
        first = self.step("snapshot of today (build + encode + insert)", 1, self.take)[0]
        changed = self.change_network()
        second = self.take()
        self.stdout.write(
            f"  snapshot size {len(bytes(second.data)) / 1e6:.2f} MB gzip; "
            f"changed {changed} records between the two"
        )

        def two_snapshots():
            old = Snapshot.objects.get(pk=first.pk).content()
            new = Snapshot.objects.get(pk=second.pk).content()
            return compare.compare(old, new)

        changes = self.step("compare two snapshots", repeat, two_snapshots, target=2.0)[0]
        self.stdout.write(f"  {len(changes)} changes listed")

        def with_today():
            old = Snapshot.objects.get(pk=first.pk).content()
            sheets, _characteristics = snapshot.current_sheets()
            return compare.compare(old, snapshot.content_of(sheets))

        self.step("compare a snapshot with today", repeat, with_today)
        revision = Revision.objects.filter(status=Revision.Status.OPEN).first()
        if revision is None:
            revision = Revision.objects.create(year=2099, baseline=first)
        self.step("checklist of the open revision", repeat, lambda: checklist.build(revision))

        def meeting_pack():
            stream = io.BytesIO()
            sheets, characteristics = snapshot.current_sheets()
            pack.write(
                stream,
                sheets=sheets,
                characteristics=characteristics,
                changes=changes,
                year=revision.year,
                since=first,
                platform="",
                user=None,
            )
            return stream

        self.step("meeting pack (workbook with Změny)", 1, meeting_pack)

    def take(self) -> Snapshot:
        sheets, _characteristics = snapshot.current_sheets()
        return services.take_snapshot(
            year=2099,
            kind=Snapshot.Kind.BASELINE,
            user=None,
            content=snapshot.content_of(sheets),
        )

    def change_network(self) -> int:
        ids = list(Actor.objects.active().order_by("pk").values_list("pk", flat=True))
        phones = ids[::100]
        Actor.objects.filter(pk__in=phones).update(phone=Concat(F("phone"), Value(" (nové)")))
        ended = ids[50::200]
        Actor.objects.filter(pk__in=ended).update(
            status=Actor.Status.ENDED, ended_on=timezone.localdate()
        )
        platform = Platform.objects.order_by("pk").first()
        joined = 0
        if platform is not None:
            members = set(platform.memberships.values_list("actor_id", flat=True))
            new = [pk for pk in ids[25::300] if pk not in members]
            PlatformMembership.objects.bulk_create(
                PlatformMembership(platform=platform, actor_id=pk) for pk in new
            )
            joined = len(new)
        return len(phones) + len(ended) + joined

    def step(self, label: str, repeat: int, work, target: float | None = None):
        times, result = [], None
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = work()
                times.append(time.perf_counter() - started)
        median = statistics.median(times)
        goal = f" (target <= {target:g} s)" if target else ""
        self.stdout.write(
            f"  {label:40} median {median:6.2f} s of {repeat}, {len(queries)} queries{goal}"
        )
        return result, median
