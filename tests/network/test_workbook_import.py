"""The workbook import: round trip, edits, hand-messed files, matching, problems, concurrency."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from actors.models import Actor, ContactPerson, Note, Organisation
from needs.models import NeedArea
from network.workbook import actor_sheet, actor_writes
from network.workbook.importer import import_workbook, preview_workbook
from network.workbook.plan import ImportConflict
from network.workbook.reader import Problem
from tests.factories import (
    ActorFactory,
    ActorTypeFactory,
    CharacteristicFactory,
    CharacteristicOptionFactory,
    ContactPersonFactory,
    NoteFactory,
    OrganisationFactory,
    TargetGroupFactory,
)
from tests.network.workbook_files import (
    ACTORS,
    actor_added_meanwhile,
    columns,
    database_checksum,
    exported_book,
    row_of,
    saved,
    set_cell,
)


def changes(preview) -> dict[str, list[tuple[str, str, str]]]:
    return {row.name: row.changes for row in preview.actors.changed}


@pytest.mark.django_db
def test_every_column_round_trips_through_an_edit():
    group = TargetGroupFactory(name="rodiče")
    actor = ActorFactory(name="Poradna", age_from=3)
    ContactPersonFactory(actor=actor, name="Jana Nová", phone="+420 777 000 111")
    NoteFactory(actor=actor, text="soukromé")
    NoteFactory(actor=actor, text="sdílené", visibility=Note.Visibility.SHARED)
    languages = CharacteristicFactory(name="Jazyky", kind="multichoice")
    CharacteristicOptionFactory(characteristic=languages, name="angličtina")
    CharacteristicOptionFactory(characteristic=languages, name="němčina")
    book = exported_book()
    sheet = book[ACTORS]
    edits = {
        "Cílové skupiny": "rodiče",
        "Věk od": 6,
        "Věk do": "18",
        "Kontaktní osoby": "Jana Nová – vedoucí – +420 777 000 111 – jana@example.cz\nPetr Malý",
        "Poznámka": "sdílené\n\nnový poznatek",
        "Soukromá poznámka": None,
        "Naplněnost kapacity": "kapacita naplněna (1. 2. 2026)",
        "Aktualizováno": "15. 3. 2026",
        "Územní působnost": "celý správní obvod ORP",
        "Jazyky": "němčina;angličtina",
        "On-line": "ANO",
    }
    for header, value in edits.items():
        set_cell(sheet, "Poradna", header, value)
    data = saved(book)

    preview, _ = preview_workbook(data)
    assert preview.errors == []
    assert {column for column, _, _ in changes(preview)["Poradna"]} == set(edits)
    import_workbook(data, user=None)

    actor.refresh_from_db()
    assert list(actor.target_groups.all()) == [group]
    assert (actor.age_from, actor.age_to) == (6, 18)
    assert [(c.name, c.role, c.email) for c in ContactPerson.objects.filter(actor=actor)] == [
        ("Jana Nová", "vedoucí", "jana@example.cz"),
        ("Petr Malý", "", ""),
    ]
    assert sorted(actor.notes.values_list("visibility", "text")) == [
        ("shared", "nový poznatek"),
        ("shared", "sdílené"),
    ]
    assert (actor.capacity, actor.capacity_date) == ("full", datetime.date(2026, 2, 1))
    assert actor.verified_on == datetime.date(2026, 3, 15)
    assert actor.territorial_scope == "district"
    assert actor.online is True
    assert sorted(actor.characteristic_values.get().options.values_list("name", flat=True)) == [
        "angličtina",
        "němčina",
    ]
    assert actor.version == 2
    # Bulk writes keep the history of every model: contacts, notes and values too.
    assert ContactPerson.history.filter(name="Petr Malý", history_type="+").exists()
    assert ContactPerson.history.filter(name="Jana Nová", history_type="-").exists()
    assert Note.history.filter(text="nový poznatek", history_type="+").exists()
    assert actor.characteristic_values.get().history.get().history_type == "+"
    assert preview_workbook(data)[0].change_count == 0


@pytest.mark.django_db
def test_rows_match_by_id_then_ico_and_name_then_name():
    organisation = OrganisationFactory(ico="00064581")
    by_ico = ActorFactory(name="Poradna", organisation=organisation)
    ActorFactory(name="Poradná")  # the same name but for an accent: IČO tells them apart
    by_name = ActorFactory(name="Škola Lipová")
    by_id = ActorFactory(name="Staré jméno")
    book = exported_book()
    sheet = book[ACTORS]
    cols = columns(sheet)
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, cols["ID"]).value = None
    sheet.cell(row_of(sheet, "Staré jméno"), cols["ID"]).value = float(by_id.pk)
    set_cell(sheet, "Staré jméno", "Název aktéra", "Nové jméno")
    ico_row = next(
        r for r in range(2, sheet.max_row + 1) if sheet.cell(r, cols["IČO"]).value == "00064581"
    )
    sheet.cell(ico_row, cols["IČO"]).value = 64581  # a number cell lost the zeros
    sheet.cell(ico_row, cols["Telefon"]).value = "123 456 789"
    set_cell(sheet, "Škola Lipová", "Název aktéra", "skola lipova")
    sheet.cell(ico_row, cols["Telefon"])

    preview, _ = preview_workbook(saved(book))

    names = {row.record_id: row.changes for row in preview.actors.changed}
    assert names == {
        by_id.pk: [("Název aktéra", "Staré jméno", "Nové jméno")],
        by_ico.pk: [("Telefon", "", "123 456 789")],
        by_name.pk: [("Název aktéra", "Škola Lipová", "skola lipova")],
    }
    assert preview.actors.added == []


@pytest.mark.django_db
def test_new_and_missing_actors(coordinator):
    kept = ActorFactory(name="Zůstává")
    gone = ActorFactory(name="Chybí v souboru")
    parents, children = TargetGroupFactory(name="rodiče"), TargetGroupFactory(name="děti")
    book = exported_book()
    sheet = book[ACTORS]
    sheet.delete_rows(row_of(sheet, "Chybí v souboru"))
    cols = columns(sheet)
    new = sheet.max_row + 1
    sheet.cell(new, cols["Název aktéra"]).value = "Spolek Jiskra"
    sheet.cell(new, cols["Primární oblast potřeb"]).value = "vztahy"
    sheet.cell(new, cols["Organizace"]).value = "Jiskra, z.s."
    sheet.cell(new, cols["IČO"]).value = "27 0 1 2 3 4 5"
    data = saved(book)
    sheet.cell(new, cols["Cílové skupiny"]).value = "rodiče; děti"
    with_groups = saved(book)

    preview, _ = preview_workbook(data)
    assert [row.name for row in preview.actors.added] == ["Spolek Jiskra"]
    [added] = preview.actors.added
    shown = [
        ("Název aktéra", "", "Spolek Jiskra"),
        ("Organizace", "", "Jiskra, z.s."),
        ("IČO", "", "27012345"),
        ("On-line", "", "ne"),
        ("Primární oblast potřeb", "", "VZTAHY"),
        ("Zaměření", "", "prevence"),
        ("Krizová síť", "", "ne"),
    ]
    assert list(added.changes) == shown
    assert (added.changes, len(added.changes), repr(added.changes)) == (shown, 7, repr(shown))
    assert preview.actors.missing == [(gone.pk, "Chybí v souboru")]

    import_workbook(data, user=coordinator)
    gone.refresh_from_db()
    assert gone.status == Actor.Status.ACTIVE  # never ended silently
    jiskra = Actor.objects.get(name="Spolek Jiskra")
    assert jiskra.organisation == Organisation.objects.get(ico="27012345", name="Jiskra, z.s.")
    assert jiskra.primary_need_area.code == "VZTAHY"
    assert jiskra.history.get().history_type == "+"
    assert jiskra.history.get().history_user == coordinator

    # A new actor's first historical record holds its links.
    jiskra.delete()
    import_workbook(with_groups, user=coordinator)
    jiskra = Actor.objects.get(name="Spolek Jiskra")
    links = dict(
        Actor.target_groups.through.objects.filter(actor=jiskra).values_list("pk", "targetgroup")
    )
    assert sorted(links.values()) == sorted([parents.pk, children.pk])
    record = jiskra.history.get()
    assert {(link.id, link.targetgroup_id) for link in record.target_groups.all()} == set(
        links.items()
    )

    import_workbook(data, user=coordinator, end_missing=True)
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (gone.status, gone.ended_on) == (Actor.Status.ENDED, datetime.date.today())
    assert kept.status == Actor.Status.ACTIVE


@pytest.mark.django_db
def test_problems_name_sheet_row_and_column_and_nothing_is_written():
    ActorTypeFactory(name="Základní škola")
    ActorFactory(name="Poradna")
    ActorFactory(name="Škola")
    book = exported_book()
    sheet = book[ACTORS]
    set_cell(sheet, "Poradna", "Typ aktéra", "Zakladni skolaa")
    set_cell(sheet, "Poradna", "Aktualizováno", "31. 2. 2026")
    set_cell(sheet, "Škola", "Krizová síť", "možná")
    cols = columns(sheet)
    for row in (sheet.max_row + 1, sheet.max_row + 2):
        sheet.cell(row, cols["Název aktéra"]).value = "Dvojník"
        sheet.cell(row, cols["Primární oblast potřeb"]).value = "ZDRAVÍ"
    sheet.cell(sheet.max_row + 1, cols["Název aktéra"]).value = "Bez oblasti"
    before = database_checksum()

    preview = import_workbook(saved(book), user=None)

    located = sorted(problem.located() for problem in preview.errors)
    messages = " | ".join(located)
    assert (
        "sloupec „Typ aktéra“: Typ aktéra „Zakladni skolaa“ neznám. "
        "Měli jste na mysli „Základní škola“?" in messages
    )
    assert "sloupec „Aktualizováno“: „31. 2. 2026“ není platné datum" in messages
    assert "sloupec „Krizová síť“: „možná“ není ano ani ne." in messages
    assert "Nový aktér „Dvojník“ je v souboru dvakrát" in messages
    assert "Primární oblast potřeb je povinná." in messages
    assert database_checksum() == before


@pytest.mark.django_db
def test_an_actor_saved_during_the_import_stops_it_cleanly():
    actor = ActorFactory(name="Poradna")
    book = exported_book()
    set_cell(book[ACTORS], "Poradna", "Telefon", "111")
    preview, sheet = preview_workbook(saved(book))
    Actor.objects.filter(pk=actor.pk).update(phone="222", version=actor.version + 1)

    with pytest.raises(ImportConflict, match="„Poradna“"):
        actor_writes.apply_actors(sheet, preview.actors, user=None, end_missing=False)
    actor.refresh_from_db()
    assert actor.phone == "222"


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 30])
def test_preview_and_import_run_a_constant_number_of_queries(count, django_assert_max_num_queries):
    for index in range(count):
        ActorFactory(name=f"Aktér {index}")
    book = exported_book()
    sheet = book[ACTORS]
    for index in range(count):
        set_cell(sheet, f"Aktér {index}", "Telefon", f"{index}")
        new = sheet.max_row + 1
        sheet.cell(new, columns(sheet)["Název aktéra"]).value = f"Nový {index}"
        sheet.cell(new, columns(sheet)["Primární oblast potřeb"]).value = "UČENÍ"
    data = saved(book)
    # About 60 whatever the number of rows; SQLite's 999-parameter limit splits the history
    # inserts (40 columns) into batches of 24 rows, a query more per batch.
    with django_assert_max_num_queries(64):
        import_workbook(data, user=None)
    assert Actor.objects.filter(phone="0").exists()


@pytest.mark.django_db
def test_need_area_names_without_diacritics_resolve():
    ActorFactory(name="Poradna")
    book = exported_book()
    set_cell(book[ACTORS], "Poradna", "Primární oblast potřeb", "materialni ZAJISTENI")
    preview, _ = preview_workbook(saved(book))
    [(_column, _, new)] = changes(preview)["Poradna"]
    assert new == NeedArea.objects.get(code="MATERIALNI_ZAJISTENI").name


@pytest.mark.django_db
def test_platform_sheet_edits_and_new_platform_with_a_new_actor(coordinator):
    from platforms.models import Platform, PlatformMembership
    from tests.factories import PlatformFactory, PlatformMembershipFactory, TopicFactory

    ospod, school, police = (ActorFactory(name=n) for n in ("OSPOD", "ZŠ Lipová", "Policie ČR"))
    platform = PlatformFactory(name="Tým pro mládež", regularity="regular", interval="monthly")
    PlatformMembershipFactory(
        platform=platform, actor=ospod, role=PlatformMembership.Role.COORDINATOR,
        representative="Mgr. Eva Malá",
    )  # fmt: skip
    PlatformMembershipFactory(platform=platform, actor=school, representative="ředitel")
    TopicFactory(name="Záškoláctví")
    book = exported_book()
    sheet = book["Mezioborové platformy"]
    cols = {cell.value: cell.column for cell in sheet[1]}
    sheet.cell(2, cols["Frekvence setkávání"]).value = "nepravidelně; podle potřeby"
    sheet.cell(2, cols["Složení účastníků"]).value = "zs lipova; Policie ČR (přizvaný host)"
    sheet.cell(2, cols["Témata"]).value = "Záškoláctví"
    sheet.cell(3, cols["Název platformy"]).value = "Případové konference Jiskra"
    sheet.cell(3, cols["Typ platformy"]).value = platform.platform_type.name
    sheet.cell(3, cols["Koordinátor"]).value = "Spolek Jiskra; osoba: Jana Nová"
    actors = book[ACTORS]
    row = actors.max_row + 1
    actors.cell(row, columns(actors)["Název aktéra"]).value = "Spolek Jiskra"
    actors.cell(row, columns(actors)["Primární oblast potřeb"]).value = "VZTAHY"
    data = saved(book)

    preview, _ = preview_workbook(data)
    assert preview.errors == []
    [changed] = preview.platforms.changed
    assert {column for column, _, _ in changed.changes} == {
        "Frekvence setkávání", "Složení účastníků", "Témata",
    }  # fmt: skip
    assert [row.name for row in preview.platforms.added] == ["Případové konference Jiskra"]

    import_workbook(data, user=coordinator)

    platform.refresh_from_db()
    assert (platform.regularity, platform.interval) == ("irregular", "")
    assert platform.frequency_note == "podle potřeby"
    members = {
        m.actor.name: (m.role, m.representative)
        for m in platform.memberships.select_related("actor")
    }
    assert members == {
        "OSPOD": ("coordinator", "Mgr. Eva Malá"),
        "ZŠ Lipová": ("member", "ředitel"),
        "Policie ČR": ("guest", ""),
    }
    new = Platform.objects.get(name="Případové konference Jiskra")
    assert new.coordinator_person == "Jana Nová"
    assert [m.actor.name for m in new.memberships.all()] == ["Spolek Jiskra"]
    assert new.memberships.get().role == "coordinator"
    assert platform.version == 2
    assert preview_workbook(data)[0].change_count == 0
    assert police.memberships.count() == 1


@pytest.mark.django_db
def test_needs_sheet_edits_merged_cells_new_need_and_practice(coordinator):
    from needs.models import Activity, Need
    from tests.factories import ActivityFactory, FulfilmentSignFactory, NeedFactory

    area = NeedArea.objects.get(code="UCENI")
    need = NeedFactory(area=area, name="Školní docházka")
    FulfilmentSignFactory(need=need, text="Chodí do školy")
    tutoring = ActivityFactory(need=need, name="Doučování")
    ActorTypeFactory(name="NZDM")
    book = exported_book()
    sheet = book["Potřeby a činnosti"]
    cols = {cell.value: cell.column for cell in sheet[1]}
    sheet.cell(2, cols["Naplňování potřeby"]).value = "Chodí do školy\nMá pomůcky"
    sheet.cell(2, cols["Kdo může činnost uskutečnit"]).value = "NZDM"
    sheet.cell(2, cols["Praxe v lokalitě"]).value = "Jiskra doučuje v úterý"
    sheet.cell(2, cols["Zapojení aktéři"]).value = "Spolek Jiskra"
    # A second activity of the same need, area and need cells merged as people do.
    sheet.cell(3, cols["Činnost"]).value = "Mentoring"
    sheet.cell(3, cols["Zaměření činnosti"]).value = "intervence"
    sheet.merge_cells(
        start_row=2, start_column=cols["Potřeba"], end_row=3, end_column=cols["Potřeba"]
    )
    sheet.cell(4, cols["Oblast potřeb"]).value = "uceni"
    sheet.cell(4, cols["Potřeba"]).value = "Podpora nadání"
    actors = book[ACTORS]
    row = actors.max_row + 1
    actors.cell(row, columns(actors)["Název aktéra"]).value = "Spolek Jiskra"
    actors.cell(row, columns(actors)["Primární oblast potřeb"]).value = "VZTAHY"
    data = saved(book)

    preview, _ = preview_workbook(data)
    assert preview.errors == []
    assert sorted(r.name for r in preview.needs.added) == [
        "Podpora nadání", "Školní docházka › Mentoring",
    ]  # fmt: skip
    assert sorted(r.name for r in preview.needs.changed) == [
        "Školní docházka", "Školní docházka › Doučování",
    ]  # fmt: skip

    import_workbook(data, user=coordinator)

    assert list(need.signs.values_list("text", flat=True)) == ["Chodí do školy", "Má pomůcky"]
    assert list(tutoring.actor_types.values_list("name", flat=True)) == ["NZDM"]
    tutoring.refresh_from_db()
    assert tutoring.practice.description == "Jiskra doučuje v úterý"
    assert [a.name for a in tutoring.practice.actors.all()] == ["Spolek Jiskra"]
    assert Activity.objects.get(name="Mentoring").focus == "intervention"
    assert Need.objects.get(name="Podpora nadání").activities.count() == 0
    assert preview_workbook(data)[0].change_count == 0


@pytest.mark.django_db
def test_needs_sheet_problems():
    from tests.factories import NeedFactory

    NeedFactory(area=NeedArea.objects.get(code="UCENI"), name="Školní docházka")
    book = exported_book()
    sheet = book["Potřeby a činnosti"]
    cols = {cell.value: cell.column for cell in sheet[1]}
    sheet.cell(2, cols["Činnost"]).value = "Doučování"
    sheet.cell(3, cols["Činnost"]).value = "doucovani"
    sheet.cell(3, cols["Naplňování potřeby"]).value = "Jiný text"
    sheet.cell(2, cols["Naplňování potřeby"]).value = "Text"
    sheet.cell(4, cols["Oblast potřeb"]).value = "SPORT"
    sheet.cell(4, cols["Potřeba"]).value = "Pohyb"
    before = database_checksum()

    preview = import_workbook(saved(book), user=None)

    messages = " | ".join(p.located() for p in preview.errors)
    assert (
        "řádek 3, sloupec „Činnost“: Činnost „doucovani“ je u potřeby dvakrát: řádky 2 a 3."
        in messages
    )
    assert "sloupec „Naplňování potřeby“: Potřeba „Školní docházka“ má jiný obsah" in messages
    assert "řádek 4, sloupec „Oblast potřeb“: Oblast potřeb „SPORT“ neznám." in messages
    assert database_checksum() == before


@pytest.mark.django_db
def test_a_new_row_named_as_an_ended_actor_is_a_problem_not_a_crash():
    ActorFactory(name="Stará poradna", ended=True)
    ActorFactory(name="Poradna")
    book = exported_book()
    sheet = book[ACTORS]
    row = sheet.max_row + 1
    sheet.cell(row, columns(sheet)["Název aktéra"]).value = "STARÁ PORADNA"
    sheet.cell(row, columns(sheet)["Primární oblast potřeb"]).value = "VZTAHY"

    preview = import_workbook(saved(book), user=None)

    [problem] = preview.errors
    assert problem.located() == (
        "Aktéři sítě, řádek 3, sloupec „Název aktéra“: Aktér „Stará poradna“ už v síti je, "
        "ale je ukončený; obnovte ho v pracovně, nebo novému aktérovi dejte jiný název."
    )


@pytest.mark.django_db
def test_capacity_without_a_date_is_stated_today_and_ages_stop_at_120():
    ActorFactory(name="Poradna")
    ActorFactory(name="Škola")
    book = exported_book()
    set_cell(book[ACTORS], "Poradna", "Naplněnost kapacity", "omezená kapacita")
    set_cell(book[ACTORS], "Škola", "Věk do", 130)

    preview = import_workbook(saved(book), user=None)

    assert [p.located() for p in preview.errors] == [
        "Aktéři sítě, řádek 3, sloupec „Věk do“: „130“ není celé číslo od 0 do 120."
    ]
    set_cell(book[ACTORS], "Škola", "Věk do", 18)
    import_workbook(saved(book), user=None)
    poradna = Actor.objects.get(name="Poradna")
    assert (poradna.capacity, poradna.capacity_date) == ("limited", datetime.date.today())


@pytest.mark.django_db
def test_an_ended_actor_stays_nameable_as_a_platform_member():
    from tests.factories import PlatformFactory, PlatformMembershipFactory

    platform = PlatformFactory(name="Tým")
    PlatformMembershipFactory(platform=platform, actor=ActorFactory(name="Bývalý člen", ended=True))
    ActorFactory(name="Nový člen")
    book = exported_book()
    sheet = book["Mezioborové platformy"]
    cols = {cell.value: cell.column for cell in sheet[1]}
    sheet.cell(2, cols["Složení účastníků"]).value = "Bývalý člen; Nový člen"

    preview = import_workbook(saved(book), user=None)

    assert preview.errors == []
    assert sorted(platform.memberships.values_list("actor__name", flat=True)) == [
        "Bývalý člen", "Nový člen",
    ]  # fmt: skip


@pytest.mark.django_db
def test_changing_one_end_of_the_age_range_is_checked_against_the_other():
    ActorFactory(name="Poradna", age_from=6, age_to=15)
    book = exported_book()
    set_cell(book[ACTORS], "Poradna", "Věk do", 3)

    preview = import_workbook(saved(book), user=None)

    assert [p.located() for p in preview.errors] == [
        "Aktéři sítě, řádek 2, sloupec „Věk do“: Věk od je vyšší než věk do."
    ]


@pytest.mark.django_db
def test_records_the_import_changes_or_ends_have_their_updated_time_moved(coordinator):
    from platforms.models import Platform
    from tests.factories import PlatformFactory

    long_ago = timezone.now() - datetime.timedelta(days=400)
    edited, gone = ActorFactory(name="Poradna"), ActorFactory(name="Zmizelá služba")
    platform, kept = PlatformFactory(name="Tým pro mládež"), ActorFactory(name="Škola")
    Actor.objects.update(updated_at=long_ago)
    Platform.objects.update(updated_at=long_ago)
    book = exported_book()
    set_cell(book[ACTORS], "Poradna", "Telefon", "222")
    book[ACTORS].delete_rows(row_of(book[ACTORS], "Zmizelá služba"))
    platforms = book["Mezioborové platformy"]
    platforms.cell(2, columns(platforms)["Cíle"]).value = "Nové cíle"

    preview = import_workbook(saved(book), user=coordinator, end_missing=True)

    assert preview.errors == []
    updated = dict(Actor.objects.values_list("name", "updated_at"))
    assert updated[edited.name] > long_ago and updated[gone.name] > long_ago
    assert updated[kept.name] == long_ago
    platform.refresh_from_db()
    assert platform.updated_at > long_ago


@pytest.mark.django_db
def test_a_list_separated_by_commas_is_shown_how_to_write_it():
    TargetGroupFactory(name="děti")
    TargetGroupFactory(name="mládež")
    ActorFactory(name="Poradna")
    book = exported_book()
    set_cell(book[ACTORS], "Poradna", "Cílové skupiny", "Děti, mládež")

    preview, _ = preview_workbook(saved(book))

    assert [p.located() for p in preview.errors] == [
        "Aktéři sítě, řádek 2, sloupec „Cílové skupiny“: Cílovou skupinu „Děti, mládež“ neznám. "
        "Hodnoty oddělte středníkem, ne čárkou: „Děti; mládež“."
    ]


@pytest.mark.django_db
def test_a_text_the_field_refuses_is_named_with_its_column_in_row_order():
    ActorFactory(name="Poradna")
    ActorFactory(name="Škola")
    book = exported_book()
    set_cell(book[ACTORS], "Poradna", "E-mail", "info@example")
    set_cell(book[ACTORS], "Škola", "Věk od", "šest")

    preview, _ = preview_workbook(saved(book))

    assert [p.located() for p in preview.errors] == [
        "Aktéři sítě, řádek 2, sloupec „E-mail“: Zadejte platnou e-mailovou adresu.",
        "Aktéři sítě, řádek 3, sloupec „Věk od“: „šest“ není číslo.",
    ]


@pytest.mark.django_db
def test_a_new_actor_or_platform_named_with_a_semicolon_is_refused():
    """Their names would split in every cell that lists them (and break the next import)."""
    book = exported_book()
    actors = book[ACTORS]
    actors.append([None, "Poradna A; poradna B", None, None, None, None, None, None, None, None,
                   None, None, None, None, None, None, None, None, None, None, None, None,
                   "BEZPEČÍ"])  # fmt: skip
    platforms = book["Mezioborové platformy"]
    platforms.append([None, "Setkání škol; školek", "platforma mezioborové spolupráce"])

    preview, _ = preview_workbook(saved(book))

    message = (
        "Název nesmí obsahovat středník ani zalomení řádku: sešit jimi odděluje seznamy názvů."
    )
    assert [p.located() for p in preview.errors] == [
        f"Aktéři sítě, řádek 2, sloupec „Název aktéra“: {message}",
        f"Mezioborové platformy, řádek 2, sloupec „Název platformy“: {message}",
    ]


def participation_problems(preview) -> list:
    return [p for p in preview.problems if p.column == "Účast v platformách"]


@pytest.mark.django_db
def test_platform_participation_is_only_checked_against_the_platforms_sheet_or_the_network():
    from platforms.models import PlatformMembership
    from tests.factories import PlatformFactory, PlatformMembershipFactory

    platform = PlatformFactory(name="Tým pro mládež")
    ActorFactory(name="Policie ČR")
    PlatformMembershipFactory(platform=platform, actor=ActorFactory(name="ZŠ Lipová"))
    book = exported_book()
    assert participation_problems(preview_workbook(saved(book))[0]) == []
    set_cell(book[ACTORS], "Policie ČR", "Účast v platformách", "Tým pro mládež (přizvaný host)")
    row = row_of(book[ACTORS], "Policie ČR")
    whole = saved(book)
    del book["Mezioborové platformy"]
    alone = saved(book)

    preview = import_workbook(whole, user=None)
    alone_preview = import_workbook(alone, user=None)

    rest = (
        "Sloupec se jen kontroluje a nic se z něj nezapisuje; účast se mění na listu "
        "„Mezioborové platformy“."
    )
    assert participation_problems(preview) == [
        Problem(
            f"Účast v platformách neodpovídá listu „Mezioborové platformy“ (tam: „žádná“). {rest}",
            sheet=ACTORS,
            row=row,
            column="Účast v platformách",
            warning=True,
        )
    ]
    assert participation_problems(alone_preview) == [
        Problem(
            f"Účast v platformách neodpovídá síti (tam: „žádná“). {rest}",
            sheet=ACTORS,
            row=row,
            column="Účast v platformách",
            warning=True,
        )
    ]
    assert preview.errors == alone_preview.errors == []
    assert list(PlatformMembership.objects.values_list("actor__name", "role")) == [
        ("ZŠ Lipová", "member")
    ]


TEXT_CELLS = [
    ("Web", "https://poradna.example.cz/kontakty/"),
    ("Web", "HTTP://WWW.Poradna-1.example.cz"),
    ("Web", "https://-poradna.example.cz"),
    ("Web", "https://poradna..example.cz"),
    ("Web", "https://poradna.example.c"),
    ("Web", "https://ſ.example.cz"),
    ("Web", "ftp://poradna.example.cz"),
    ("Web", "poradna.example.cz"),
    ("Web", "https://" + "a" * 63 + "." + "b" * 64 + ".cz"),
    ("Web", "https://" + ".".join(["abcdefghi"] * 26) + ".cz"),
    ("Web", "https://poradna.example.cz/a b"),
    ("E-mail", "info.poradna+1@example.cz"),
    ("E-mail", "info..poradna@example.cz"),
    ("E-mail", "info@-example.cz"),
    ("E-mail", "info@example"),
    ("E-mail", "info@localhost"),
    ("E-mail", "Kelvin\u212a@example.cz"),
    ("Telefon", "+420 " + "1" * 120),
    ("Název aktéra", "P" * 301),
    ("Název aktéra", ""),
    ("Název aktéra", "Poradna Lipová, z. s."),
    ("Název aktéra", "Poradna A; poradna B"),
    ("Název aktéra", "ZŠ Lipová\rodloučené pracoviště"),
]


@pytest.mark.parametrize(("column", "value"), TEXT_CELLS)
def test_texts_are_validated_exactly_as_the_model_fields_do(column, value):
    field = actor_sheet._TEXT_FIELDS[column]
    expected = []
    try:
        field.clean(value, None)
    except ValidationError as error:
        expected = [(column, m) for m in error.messages]
    if value == "" and field.blank:
        expected = []

    assert actor_sheet.validate_texts({column: value}) == expected


@pytest.mark.django_db
def test_a_bulk_load_writes_what_the_usual_import_writes(coordinator, monkeypatch):
    """From BULK_LOAD new actors on, the foreign keys are checked once at the end
    (PostgreSQL); the rows written are the same."""
    for name in ("Rodinné centrum Benešov", "ZŠ Vlašim"):
        actor = ActorFactory(name=name, organisation=OrganisationFactory(), verified_by=None)
        ContactPersonFactory(actor=actor)
        NoteFactory(actor=actor)
        actor.target_groups.add(TargetGroupFactory())
    book = exported_book()
    sheet = book[ACTORS]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, columns(sheet)["ID"]).value = None
    data = saved(book)
    Actor.objects.all().delete()

    def imported() -> list:
        preview = import_workbook(data, user=coordinator)
        assert not preview.errors and len(preview.actors.added) == 2
        found = [
            (
                actor.name,
                actor.organisation.name,
                [group.name for group in actor.target_groups.all()],
                [(c.name, c.email) for c in actor.contacts.all()],
                [note.text for note in actor.notes.all()],
                actor.history.get().target_groups.count(),
            )
            for actor in Actor.objects.order_by("name")
        ]
        Actor.objects.all().delete()
        return found

    usual = imported()
    monkeypatch.setattr(actor_writes, "BULK_LOAD", 2)
    loads = []
    bulk_load = actor_writes.foreign_keys_checked_at_end

    def counted(*args, **kwargs):
        loads.append(args)
        return bulk_load(*args, **kwargs)

    monkeypatch.setattr(actor_writes, "foreign_keys_checked_at_end", counted)
    assert imported() == usual
    assert len(loads) == 1
    assert usual[0][2] and usual[0][3] and usual[0][4] and usual[0][5] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("few_rows", [0, 10**9], ids=["copy", "insert"])
def test_a_row_the_database_refuses_at_apply_changes_nothing_and_says_so(
    coordinator, monkeypatch, few_rows
):
    """Someone adds an actor of the same name between the preview's check and the write (the
    admin takes no import lock): the database refuses the row, whichever way rows are
    written, and the import reports it in Czech and writes nothing."""
    from actors import history

    monkeypatch.setattr(history, "FEW_ROWS", few_rows)
    ActorFactory(name="Rodinné centrum Benešov")
    book = exported_book()
    sheet = book[ACTORS]
    sheet.cell(2, columns(sheet)["ID"]).value = None
    sheet.cell(2, columns(sheet)["Název aktéra"]).value = "Poradna Vlašim"
    data = saved(book)
    before = database_checksum()
    actor_added_meanwhile(monkeypatch, "poradna vlašim")

    preview = import_workbook(data, user=coordinator)

    assert [p.message for p in preview.errors] == [
        "Import se nepodařilo zapsat, nic se nezměnilo. Mezitím někdo přidal do sítě aktéra se "
        "stejným názvem, jaký má nový aktér v souboru. Nahrajte soubor znovu a zkontrolujte "
        "nový náhled."
    ]
    assert database_checksum() == before


def test_a_refusal_the_checks_did_not_foresee_is_said_in_czech_without_the_row():
    from django.db import DataError, IntegrityError

    from network.workbook.importer import refusal_message

    check = IntegrityError(
        'new row for relation "actors_contactperson" violates check constraint '
        '"contact_name_not_empty"\nDETAIL:  Failing row contains (7, 3, , , 777 000 111).'
    )
    assert refusal_message(check) == (
        "Import se nepodařilo zapsat, nic se nezměnilo: porušil by pravidlo databáze "
        "„contact_name_not_empty“. Pošlete prosím soubor správci aplikace."
    )
    too_long = DataError("value too long for type character varying(200)")
    assert refusal_message(too_long) == (
        "Import se nepodařilo zapsat, nic se nezměnilo: databáze zápis odmítla. Pošlete prosím "
        "soubor správci aplikace."
    )


@pytest.mark.django_db
def test_a_characteristic_named_like_a_column_stops_the_import_with_a_way_out(coordinator):
    ActorFactory(name="Poradna")
    NoteFactory(actor=Actor.objects.get(), text="sdílené", visibility=Note.Visibility.SHARED)
    data = saved(exported_book())
    # Made before names were checked (the factory skips the model's validation).
    CharacteristicFactory(name="poznamka", kind="text")
    before = database_checksum()

    preview = import_workbook(data, user=coordinator)

    assert [p.message for p in preview.errors] == [
        "Znak „poznamka“ se jmenuje stejně jako sloupec listu aktérů, takže import nerozezná, "
        "který sloupec je který. Přejmenujte znak v pracovně (Aktéři sítě › Znaky) a soubor "
        "nahrajte znovu."
    ]
    assert database_checksum() == before


@pytest.mark.django_db
def test_a_text_longer_than_a_cell_is_kept_whole_by_the_round_trip(coordinator):
    """Excel's cells hold 32,767 characters: the export cuts a longer note, and the import
    of that file must not cut the note in the network."""
    actor = ActorFactory(name="Poradna")
    long_note = "Dlouhý zápis. " * 3000  # 42,000 characters
    NoteFactory(actor=actor, text=long_note, visibility=Note.Visibility.SHARED)
    book = exported_book()
    cell = book[ACTORS].cell(row_of(book[ACTORS], "Poradna"), columns(book[ACTORS])["Poznámka"])
    assert len(cell.value) == 32_767
    data = saved(book)

    preview = import_workbook(data, user=coordinator)

    assert preview.errors == []
    assert preview.change_count == 0
    assert list(actor.notes.values_list("text", flat=True)) == [long_note]
    for edit in (cell.value[:1000] + " Opraveno.", cell.value[:1000]):
        cell.value = edit  # an edit of the cut text is an edit, a shortening too
        assert preview_workbook(saved(book))[0].change_count == 1
