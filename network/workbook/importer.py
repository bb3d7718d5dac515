"""Import of the workbook: preview first, then apply whole in one transaction or not at all."""

import functools
import gc
import hashlib
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from actors.resources import SHEET as ACTORS
from actors.resources import NeedActivityResource
from needs.resources import SHEET as NEEDS
from platforms.resources import SHEET as PLATFORMS

from . import actor_sheet, actor_writes, need_sheet, platform_sheet
from .limits import WorkbookRefused
from .plan import ImportConflict, SheetPlan
from .reader import Problem, SheetSpec, read_workbook

LOCK_ID = 5_316_001  # one import at a time (PostgreSQL advisory lock)


def needs_spec() -> SheetSpec:
    """The needs sheet: read and named in the preview; its import is not written yet."""
    return SheetSpec(
        NEEDS, ["Oblast potřeb", "Potřeba"], NeedActivityResource().get_export_headers()
    )


@dataclass
class Section:
    """What the import does to one template sheet's records."""

    title: str
    plan: object
    change_url: str
    # Needs and activities missing from the file are listed, never deleted (they have no
    # lifecycle).
    ends_missing: bool = True

    @property
    def missing(self) -> list[tuple[int, str, str]]:
        """The records missing from the file: (pk, name, the URL name of their admin page)."""
        return self.plan.missing_links(self.change_url)


@dataclass
class Preview:
    problems: list[Problem] = field(default_factory=list)
    actors: SheetPlan | None = None
    platforms: SheetPlan | None = None
    needs: need_sheet.NeedPlan | None = None
    sheets: list[str] = field(default_factory=list)
    has_macros: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    @property
    def sections(self) -> list[Section]:
        found = []
        if self.actors is not None:
            found.append(Section(ACTORS, self.actors, "admin:actors_actor_change"))
        if self.platforms is not None:
            found.append(Section(PLATFORMS, self.platforms, "admin:platforms_platform_change"))
        if self.needs is not None:
            found.append(Section(NEEDS, self.needs, need_sheet.ACTIVITY_URL, ends_missing=False))
        return found

    def digest(self) -> str:
        """A fingerprint of what the import would do, to confirm exactly what was previewed."""
        parts = [[(p.sheet, p.row, p.column, p.message) for p in self.problems]]
        for section in self.sections:
            plan = section.plan
            parts += [
                [(r.row, r.changes) for r in plan.added],
                [(r.record_id, r.version, r.changes) for r in plan.changed],
                plan.missing,
            ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    @property
    def change_count(self) -> int:
        return sum(len(s.plan.added) + len(s.plan.changed) for s in self.sections)

    @property
    def missing_count(self) -> int:
        return sum(len(s.plan.missing) for s in self.sections if s.ends_missing)


def without_cyclic_gc(function):
    """Run without the cyclic garbage collector: a workbook makes hundreds of thousands of
    long-lived rows, and each collection of the oldest generation walked them all again
    (a seventh of a 10,000-actor import). Reference counting still frees as usual."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


@without_cyclic_gc
def preview_workbook(data: bytes) -> tuple[Preview, actor_sheet.ActorSheet]:
    """Read, check and compare the file with the network; nothing is written."""
    actors = actor_sheet.ActorSheet(include_private=True)
    extra = list(actors.characteristics)
    specs = [actor_sheet.spec(actors.headers), platform_sheet.spec(), needs_spec()]
    preview = Preview()
    if actors.clashing:
        names = ", ".join(f"„{name}“" for name in actors.clashing)
        preview.problems.append(
            Problem(
                f"Znak {names} se jmenuje stejně jako sloupec listu aktérů, takže import "
                "nerozezná, který sloupec je který. Přejmenujte znak v pracovně (Aktéři sítě › "
                "Znaky) a soubor nahrajte znovu.",
                sheet=ACTORS,
            )
        )
        return preview, actors
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
    by_title = {sheet.title: sheet for sheet in sheets}
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
        if not data_sheet.rows:
            preview.problems.append(
                Problem(
                    "List nemá žádné datové řádky; nic se na něm nemění ani neukončuje.",
                    sheet=data_sheet.name,
                    warning=True,
                )
            )
    if sheets and not any(sheet.rows for sheet in sheets):
        preview.problems.append(Problem("Soubor neobsahuje žádná data, jen záhlaví."))
    # Actors first: the platforms may name actors the same file adds.
    if by_title.get(ACTORS) and by_title[ACTORS].rows:
        preview.actors = actor_sheet.plan_actors(actors, by_title[ACTORS], preview.problems)
    if by_title.get(PLATFORMS) and by_title[PLATFORMS].rows:
        platforms = platform_sheet.PlatformSheet(preview.actors)
        preview.platforms = platform_sheet.plan_platforms(
            platforms, by_title[PLATFORMS], preview.problems
        )
    if by_title.get(ACTORS) and by_title[ACTORS].rows:
        platform_sheet.check_participation(
            by_title[ACTORS], by_title.get(PLATFORMS), preview.problems
        )
    if by_title.get(NEEDS) and by_title[NEEDS].rows:
        needs = need_sheet.NeedSheet(preview.actors)
        preview.needs = need_sheet.plan_needs(needs, by_title[NEEDS], preview.problems)
    # In the order of the file: by sheet (as first named), then row; the checks of whole
    # records come after those of cells.
    sheets = {}
    preview.problems.sort(key=lambda p: (sheets.setdefault(p.sheet, len(sheets)), p.row or 0))
    return preview, actors


@without_cyclic_gc
def import_workbook(
    data: bytes, *, user, end_missing: bool = False, expected_digest: str | None = None
) -> Preview:
    """Preview again and, if nothing is wrong, apply everything in one transaction.

    With `expected_digest` (from the preview the coordinator confirmed) the import refuses
    to apply anything else than what was shown.
    """
    try:
        return _import(data, user=user, end_missing=end_missing, expected_digest=expected_digest)
    except (DatabaseError, ValidationError) as error:
        # A rule of the database the checks above did not foresee: nothing was written.
        preview = Preview()
        preview.problems.append(Problem(refusal_message(error)))
        return preview


# The uniques a change made meanwhile can break: the preview checked the file against the
# network, but the admin's forms take no import lock. By the constraint's name, which both
# PostgreSQL's and SQLite's messages give.
MEANWHILE = {
    "actor_name_unique_ci": "aktéra se stejným názvem, jaký má nový aktér v souboru",
    "organisation_ico_unique": "organizaci se stejným IČO, jaké má nová organizace v souboru",
    "platform_name_unique_ci": "platformu se stejným názvem, jaký má nová platforma v souboru",
    "need_name_unique_in_area": "potřebu se stejným názvem, jaký má nová potřeba v souboru",
    "activity_name_unique_in_need": "činnost se stejným názvem, jaký má nová činnost v souboru",
}


def refusal_message(error: Exception) -> str:
    """In Czech; of the database's own text only the rule's name (its details may quote
    the refused row, personal data included)."""
    text = str(error)
    for constraint, what in MEANWHILE.items():
        if constraint in text:
            return (
                f"Import se nepodařilo zapsat, nic se nezměnilo. Mezitím někdo přidal do sítě "
                f"{what}. Nahrajte soubor znovu a zkontrolujte nový náhled."
            )
    rule = next((name for name in _constraint_names() if name in text), None)
    why = f"porušil by pravidlo databáze „{rule}“" if rule else "databáze zápis odmítla"
    return (
        f"Import se nepodařilo zapsat, nic se nezměnilo: {why}. Pošlete prosím soubor "
        "správci aplikace."
    )


@functools.cache
def _constraint_names() -> list[str]:
    return sorted(
        {constraint.name for model in apps.get_models() for constraint in model._meta.constraints},
        key=len,
        reverse=True,  # the longest first: no name is taken for a longer one it begins
    )


def _import(data: bytes, *, user, end_missing: bool, expected_digest: str | None) -> Preview:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
        preview, actors = preview_workbook(data)
        if preview.refused:
            return preview
        if expected_digest is not None and preview.digest() != expected_digest:
            raise ImportConflict(
                "Od náhledu se síť změnila (někdo mezitím upravil záznamy), takže by import "
                "provedl něco jiného, než jste viděli. Zkontrolujte nový náhled."
            )
        if preview.actors is not None:
            actor_writes.apply_actors(actors, preview.actors, user=user, end_missing=end_missing)
        if preview.platforms is not None:
            platform_sheet.apply_platforms(
                preview.platforms, preview.actors, user=user, end_missing=end_missing
            )
        if preview.needs is not None:
            need_sheet.apply_needs(preview.needs, preview.actors, user=user)
    return preview
