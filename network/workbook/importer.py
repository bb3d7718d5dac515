"""Import of the workbook: preview first, then apply whole in one transaction or not at all."""

import hashlib
from dataclasses import dataclass, field

from django.db import connection, transaction

from actors.resources import SHEET as ACTORS
from actors.resources import NeedActivityResource
from needs.resources import SHEET as NEEDS
from platforms.resources import SHEET as PLATFORMS
from platforms.resources import PlatformResource

from . import actor_sheet
from .limits import WorkbookRefused
from .reader import Problem, SheetSpec, read_workbook


def not_yet_specs() -> list[SheetSpec]:
    """Sheets whose import is not written yet: read, named in the preview and left alone."""
    return [
        SheetSpec(NEEDS, ["Oblast potřeb", "Potřeba"], NeedActivityResource().get_export_headers()),
        SheetSpec(
            PLATFORMS,
            ["Název platformy", "Typ platformy"],
            PlatformResource().get_export_headers(),
        ),
    ]


LOCK_ID = 5_316_001  # one import at a time (PostgreSQL advisory lock)


@dataclass
class Preview:
    problems: list[Problem] = field(default_factory=list)
    actors: actor_sheet.ActorPlan | None = None
    sheets: list[str] = field(default_factory=list)
    has_macros: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def digest(self) -> str:
        """A fingerprint of what the import would do, to confirm exactly what was previewed."""
        plan = self.actors
        parts = [[(p.sheet, p.row, p.column, p.message) for p in self.problems]]
        if plan is not None:
            parts += [
                [(r.row, r.changes) for r in plan.added],
                [(r.actor_id, r.version, r.changes) for r in plan.changed],
                plan.missing,
            ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    @property
    def change_count(self) -> int:
        if self.actors is None:
            return 0
        return len(self.actors.added) + len(self.actors.changed)


def preview_workbook(data: bytes) -> tuple[Preview, actor_sheet.ActorSheet]:
    """Read, check and compare the file with the network; nothing is written."""
    actors = actor_sheet.ActorSheet(include_private=True)
    extra = list(actors.characteristics)
    specs = [actor_sheet.spec(extra), *not_yet_specs()]
    preview = Preview()
    try:
        sheets, problems, preview.has_macros = read_workbook(data, specs, extra)
    except WorkbookRefused as refused:
        preview.problems.append(Problem(str(refused)))
        return preview, actors
    preview.problems += problems
    if preview.has_macros:
        preview.problems.append(
            Problem(
                "Sešit obsahuje makra; čtu jen data, makra se nespouštějí ani neukládají.",
                warning=True,
            )
        )
    for data_sheet in sheets:
        preview.sheets.append(data_sheet.title)
        for header in data_sheet.unknown_headers:
            preview.problems.append(
                Problem(
                    f"Neznámý sloupec „{header}“ se neimportuje.",
                    sheet=data_sheet.name,
                    warning=True,
                )
            )
        if data_sheet.title == ACTORS:
            if not data_sheet.rows:
                preview.problems.append(
                    Problem(
                        "List nemá žádné datové řádky; nic se nemění ani neukončuje.",
                        sheet=data_sheet.name,
                    )
                )
                continue
            preview.actors = actor_sheet.plan_actors(actors, data_sheet, preview.problems)
        else:
            preview.problems.append(
                Problem(
                    "Import tohoto listu zatím není hotový; list se přeskočí.",
                    sheet=data_sheet.name,
                    warning=True,
                )
            )
    return preview, actors


def import_workbook(
    data: bytes, *, user, end_missing: bool = False, expected_digest: str | None = None
) -> Preview:
    """Preview again and, if nothing is wrong, apply everything in one transaction.

    With `expected_digest` (from the preview the coordinator confirmed) the import refuses
    to apply anything else than what was shown.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
        preview, actors = preview_workbook(data)
        if preview.refused:
            return preview
        if expected_digest is not None and preview.digest() != expected_digest:
            raise actor_sheet.ImportConflict(
                "Od náhledu se síť změnila (někdo mezitím upravil záznamy), takže by import "
                "provedl něco jiného, než jste viděli. Zkontrolujte nový náhled."
            )
        if preview.actors is not None:
            actor_sheet.apply_actors(actors, preview.actors, user=user, end_missing=end_missing)
    return preview
