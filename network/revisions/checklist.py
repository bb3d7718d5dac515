"""The revision's checklist: every active actor, platform and activity with its state.

A record is *ended* when it was active at the opening and is no more, *updated* when its row
(or, for a platform, its memberships) differs from the baseline snapshot or it is new, *verified*
when it was verified on or after the day the revision opened, and *not yet reviewed* otherwise.
"""

from collections import Counter
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from actors.models import Actor
from actors.text import czech_key
from needs.models import Activity
from platforms.models import Platform

from ..models import Revision
from . import compare, snapshot

PENDING, VERIFIED, UPDATED, ENDED = "pending", "verified", "updated", "ended"
STATES = {
    PENDING: _("not yet reviewed"),
    VERIFIED: _("verified unchanged"),
    UPDATED: pgettext_lazy("revision state", "updated"),
    ENDED: pgettext_lazy("revision state", "ended"),
}
KINDS = {
    compare.ACTOR: _("Actors"),
    compare.PLATFORM: _("Platforms"),
    compare.ACTIVITY: _("Activities"),
}


@dataclass
class Item:
    kind: str
    key: str
    label: str
    state: str
    pk: int | None = None
    verified_on: object = None
    verified_by: str = ""
    new: bool = False

    def verified_since(self, day) -> bool:
        return self.verified_on is not None and self.verified_on >= day

    @property
    def kind_label(self) -> str:
        return str(compare.KINDS[self.kind])

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])

    @property
    def url(self) -> str:
        if self.pk is None:
            return ""
        names = {
            compare.ACTOR: "admin:actors_actor_change",
            compare.PLATFORM: "admin:platforms_platform_change",
            compare.ACTIVITY: "admin:needs_activity_change",
        }
        return reverse(names[self.kind], args=[self.pk])


@dataclass
class Checklist:
    items: list[Item]
    changes: list[compare.Change]

    def counts(self) -> dict[str, Counter]:
        found = {kind: Counter() for kind in KINDS}
        for item in self.items:
            found[item.kind][item.state] += 1
        return found

    def progress(self) -> list[dict]:
        """Per kind: the counts by state, the total and the share reviewed."""
        rows = []
        for kind, counter in self.counts().items():
            total = sum(counter.values())
            done = total - counter[PENDING]
            rows.append(
                {
                    "kind": kind,
                    "label": KINDS[kind],
                    "states": [(state, STATES[state], counter[state]) for state in STATES],
                    "total": total,
                    "done": done,
                    "percent": round(100 * done / total) if total else 100,
                }
            )
        return rows


def build(revision: Revision) -> Checklist:
    """The checklist of an open revision: today's templates against its baseline.

    Queries: the baseline, today's template sheets (a constant number), and one each for the
    actors, platforms and activities with their verification.
    """
    sheets, _characteristics = snapshot.current_sheets()
    changes = compare.compare(revision.baseline.content(), snapshot.content_of(sheets))
    touched = {(c.kind, c.key) for c in changes if c.action in (compare.CHANGED, compare.ADDED)}
    added = {(c.kind, c.key) for c in changes if c.action == compare.ADDED}
    ended = {(c.kind, c.key): c.label for c in changes if c.action == compare.ENDED}
    for change in changes:
        if change.kind == compare.MEMBERSHIP:
            platform, actor = change.key.split(":")
            # A member ended in the revision leaves its platforms as they were reviewed.
            if change.action == compare.ENDED and (compare.ACTOR, actor) in ended:
                continue
            touched.add((compare.PLATFORM, platform))
    since = timezone.localtime(revision.opened_at).date()
    verification = (
        "verified_on",
        "verified_by__first_name",
        "verified_by__last_name",
        "verified_by__username",
    )
    rows = [
        (compare.ACTOR, pk, name, *rest)
        for pk, name, *rest in Actor.objects.active().values_list("pk", "name", *verification)
    ]
    rows += [
        (compare.PLATFORM, pk, name, *rest)
        for pk, name, *rest in Platform.objects.filter(status=Platform.Status.ACTIVE).values_list(
            "pk", "name", *verification
        )
    ]
    rows += [
        (compare.ACTIVITY, pk, f"{area} / {need} / {name}", *rest)
        for pk, area, need, name, *rest in Activity.objects.values_list(
            "pk", "need__area__name", "need__name", "name", *verification
        )
    ]
    items = [
        _item(kind, str(pk), label, pk, verified_on, first, last, username, since, touched, added)
        for kind, pk, label, verified_on, first, last, username in rows
    ]
    # Records active at the opening and no more (ended, or deleted) are not in the queries.
    for (kind, key), label in ended.items():
        if kind in KINDS:
            items.append(Item(kind, key, label, ENDED, pk=int(key) if key.isdigit() else None))
    kinds = list(KINDS)
    items.sort(key=lambda i: (kinds.index(i.kind), czech_key(i.label), i.key))
    return Checklist(items, changes)


def _item(kind, key, label, pk, verified_on, first, last, username, since, touched, added) -> Item:
    verified_by = f"{first or ''} {last or ''}".strip() or (username or "")
    if (kind, key) in touched:
        state = UPDATED
    elif verified_on is not None and verified_on >= since:
        state = VERIFIED
    else:
        state = PENDING
    return Item(
        kind,
        key,
        label,
        state,
        pk=pk,
        verified_on=verified_on,
        verified_by=verified_by,
        new=(kind, key) in added,
    )
