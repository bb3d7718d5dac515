"""The three templates as plain text rows: what a revision snapshot freezes and compares.

A snapshot's content is the coordinator's export of the three template sheets (the same rows
the workbook holds, private fields included), each cell as the text a person reads in the
sheet, plus the platform memberships by id. Encoded as sorted, compact JSON and gzip with a
fixed timestamp, the same network always gives the same bytes.
"""

import datetime
import gzip
import json
from decimal import Decimal

from django.utils import translation

from actors.models import Actor
from needs.models import Activity, Need
from needs.resources import labels
from platforms.models import PlatformMembership

from ..workbook.export import Sheet, template_sheets

FORMAT = 1


def cell_text(value) -> str:
    """A cell as the sheet shows it: dates as `d. m. rrrr`, yes/no as `ano`/`ne`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ano" if value else "ne"
    if isinstance(value, datetime.date):
        return f"{value.day}. {value.month}. {value.year}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def current_sheets() -> tuple[list[Sheet], list]:
    """Today's template sheets with their rows read into lists (a constant number of queries),
    and the custom characteristics among their columns."""
    sheets, characteristics = template_sheets(include_private=True)
    return [Sheet(s.name, s.headers, list(s.rows), s.drop_downs) for s in sheets], characteristics


def shared_sheets(sheets: list[Sheet]) -> tuple[list[Sheet], list]:
    """The sheets without what only the coordinator may read (private notes, coordinator-only
    characteristics), as the meeting pack shares them, and the characteristics left."""
    public, characteristics = template_sheets(include_private=False)
    shared = []
    for full, lazy in zip(sheets, public, strict=True):
        if full.headers == lazy.headers:
            shared.append(full)
            continue
        index = [full.headers.index(header) for header in lazy.headers]
        rows = [[row[i] for i in index] for row in full.rows]
        shared.append(Sheet(full.name, lazy.headers, rows, lazy.drop_downs))
    return shared, characteristics


def content_of(sheets: list[Sheet]) -> dict:
    """The snapshot content of the sheets and today's memberships of active actors (those the
    actor sheet holds)."""
    with translation.override("cs"):
        roles = labels(PlatformMembership.Role)
        memberships = sorted(
            [platform_id, actor_id, str(roles.get(role, role))]
            for platform_id, actor_id, role in PlatformMembership.objects.filter(
                actor__status=Actor.Status.ACTIVE
            ).values_list("platform_id", "actor_id", "role")
        )
    # Needs and activities by their text in the sheet, to their IDs: a renamed one is changed.
    needs = {
        f"{area} / {name}": pk
        for pk, area, name in Need.objects.values_list("pk", "area__name", "name")
    }
    activities = {
        f"{area} / {need} / {name}": pk
        for pk, area, need, name in Activity.objects.values_list(
            "pk", "need__area__name", "need__name", "name"
        )
    }
    return {
        "format": FORMAT,
        "needs": needs,
        "activities": activities,
        "sheets": {
            sheet.name: {
                "headers": list(sheet.headers),
                "rows": [[cell_text(value) for value in row] for row in sheet.rows],
            }
            for sheet in sheets
        },
        "memberships": memberships,
    }


def encode(content: dict) -> bytes:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return gzip.compress(text.encode(), compresslevel=6, mtime=0)
