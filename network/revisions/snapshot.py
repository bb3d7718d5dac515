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
    return {
        "format": FORMAT,
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
