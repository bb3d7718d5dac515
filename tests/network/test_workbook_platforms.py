"""The platforms sheet of the workbook import: coordinators, members and their roles."""

import pytest
from django.utils import timezone, translation

from actors.models import Actor
from network.workbook import values
from network.workbook.importer import import_workbook, preview_workbook
from platforms.models import Platform, PlatformMembership
from tests.factories import ActorFactory, PlatformFactory, PlatformMembershipFactory
from tests.network.workbook_files import exported_book, saved

PLATFORMS = "Mezioborové platformy"
Role = PlatformMembership.Role


def edited(cells: dict[str, object], row: int = 2) -> bytes:
    """The export with the platform row's cells replaced, as a person would in Excel."""
    book = exported_book()
    sheet = book[PLATFORMS]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for header, value in cells.items():
        sheet.cell(row, columns[header]).value = value
    return saved(book)


def located(preview) -> list[str]:
    return [problem.located() for problem in preview.problems if not problem.warning]


@pytest.mark.django_db
def test_several_coordinating_people_round_trip_and_stay_editable(coordinator):
    platform = PlatformFactory(name="Tým pro mládež")
    data = edited({"Koordinátor": "osoba: Jana Nová; osoba: ; osoba: Petr Malý"})

    import_workbook(data, user=coordinator)
    platform.refresh_from_db()
    again = exported_book()[PLATFORMS]
    cell = again.cell(2, [c.value for c in again[1]].index("Koordinátor") + 1).value
    edited_again = edited({"Koordinátor": "osoba: Jana Nová; osoba: Petr Malý; osoba: Eva Bílá"})
    preview, _ = preview_workbook(edited_again)

    assert platform.coordinator_person == "Jana Nová; Petr Malý"
    assert cell == "osoba: Jana Nová; osoba: Petr Malý"
    assert preview_workbook(saved(exported_book()))[0].change_count == 0
    assert preview.errors == []
    assert [row.changes for row in preview.platforms.changed] == [
        [
            (
                "Koordinátor",
                "osoba: Jana Nová; osoba: Petr Malý",
                "osoba: Jana Nová; osoba: Petr Malý; osoba: Eva Bílá",
            )
        ]
    ]


@pytest.mark.django_db
def test_a_member_written_exactly_is_that_actor_not_one_named_alike():
    platform = PlatformFactory(name="Tým pro mládež")
    spaced, hyphenated = ActorFactory(name="Charita Opava"), ActorFactory(name="Charita-Opava")
    PlatformMembershipFactory(platform=platform, actor=hyphenated)

    unchanged, _ = preview_workbook(edited({"Složení účastníků": "charita-opava"}))
    swapped, _ = preview_workbook(edited({"Složení účastníků": "Charita Opava"}))
    loose, _ = preview_workbook(edited({"Složení účastníků": "Charita  OPAVA!"}))

    assert unchanged.errors == [] and unchanged.platforms.changed == []
    assert [row.state["Složení účastníků"] for row in swapped.platforms.changed] == [
        frozenset({(spaced.pk, Role.MEMBER)})
    ]
    assert located(loose) == [
        "Mezioborové platformy, řádek 2, sloupec „Složení účastníků“: Aktéra „Charita  OPAVA!“ "
        "nelze určit jednoznačně: podobně se jmenují „Charita Opava“ a „Charita-Opava“. Napište "
        "název přesně."
    ]


def test_names_alike_in_case_only_are_told_apart_as_written():
    """SQLite keeps "ČEZ" and "čez" apart (its lower() folds only ASCII)."""
    names = values.Names(
        [(1, "ČEZ"), (2, "čez"), (3, "Charita Opava"), (4, "Charita-Opava")], "Aktéra"
    )
    names.add(5, "Charita – Opava")

    assert (names.get("ČEZ"), names.get(" čez "), names.get("charita-opava")) == (1, 2, 4)
    with pytest.raises(values.ValueProblem) as alike:
        names.get("Čez")
    with pytest.raises(values.ValueProblem) as three:
        names.get("CHARITA OPAVA!")
    assert str(alike.value) == (
        "Aktéra „Čez“ nelze určit jednoznačně: podobně se jmenují „ČEZ“ a „čez“. Napište název "
        "přesně."
    )
    assert "„Charita Opava“, „Charita-Opava“ a „Charita – Opava“" in str(three.value)


@pytest.mark.django_db
def test_member_roles_are_read_in_any_case_and_a_coordinator_is_pointed_to_its_column():
    PlatformFactory(name="Tým pro mládež")
    for name in ("Magdaléna, o.p.s.", "Policie ČR", "OSPOD", "Charita (Benešov)"):
        ActorFactory(name=name)
    members = "Magdaléna, o.p.s. (stálý člen); Policie ČR (PRIZVANY HOST); Charita (Benešov)"

    preview, _ = preview_workbook(edited({"Složení účastníků": members}))
    coordinator, _ = preview_workbook(edited({"Složení účastníků": "OSPOD (koordinátor)"}))

    assert preview.errors == []
    [row] = preview.platforms.changed
    names = dict(Actor.objects.values_list("pk", "name"))
    assert {(names[pk], role) for pk, role in row.state["Složení účastníků"]} == {
        ("Magdaléna, o.p.s.", Role.MEMBER),
        ("Policie ČR", Role.GUEST),
        ("Charita (Benešov)", Role.MEMBER),
    }
    assert located(coordinator) == [
        "Mezioborové platformy, řádek 2, sloupec „Složení účastníků“: Koordinátora „OSPOD“ "
        "uveďte ve sloupci „Koordinátor“, ne mezi účastníky."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["cs", "en"])
def test_an_unedited_round_trip_warns_of_no_participation_in_either_language(language):
    """`Účast v platformách` is checked against the platforms sheet in Czech labels whatever
    the interface speaks; an actor whose name begins with "Osoba" is an actor, not a person."""
    platform = PlatformFactory(name="Tým pro mládež", coordinator_person="Jana Nová")
    for name, role in (
        ("Osoba blízká, z. s.", Role.COORDINATOR),
        ("OSPOD", Role.COORDINATOR),
        ("Policie ČR", Role.GUEST),
        ("ZŠ Lipová", Role.MEMBER),
    ):
        PlatformMembershipFactory(platform=platform, actor=ActorFactory(name=name), role=role)
    data = saved(exported_book())

    with translation.override(language):
        preview, _ = preview_workbook(data)

    assert [p.located() for p in preview.problems if p.sheet != "Potřeby a činnosti"] == []
    assert preview.change_count == 0
    assert Platform.objects.get().coordinator_person == "Jana Nová"


@pytest.mark.django_db
def test_every_frequency_the_vocabulary_sheet_offers_is_read_as_such():
    PlatformFactory(name="Tým pro mládež", regularity="", interval="")
    book = exported_book()
    offered = book["Číselníky"]
    column = [c.value for c in offered[1]].index("Frekvence setkávání") + 1
    labels = [
        offered.cell(row, column).value
        for row in range(2, offered.max_row + 1)
        if offered.cell(row, column).value
    ]

    read = []
    for label in labels:
        preview, _ = preview_workbook(edited({"Frekvence setkávání": label}))
        [row] = preview.platforms.changed
        read.append(row.state["Frekvence setkávání"])

    assert len(labels) == 10
    assert [note for _, _, note in read] == [""] * 10
    assert {regularity for regularity, _, _ in read} - {""} == set(Platform.Regularity)
    assert {interval for _, interval, _ in read} - {""} == set(Platform.Interval)


@pytest.mark.django_db
def test_a_platform_that_starts_next_year_ended_by_an_import_ends_in_that_year(coordinator):
    next_year = timezone.localdate().year + 1
    planned = PlatformFactory(name="Plánovaná platforma", since_year=next_year)
    PlatformFactory(name="Tým pro mládež")
    book = exported_book()
    sheet = book[PLATFORMS]
    names = [cell.value for cell in sheet["B"]]
    sheet.delete_rows(names.index("Plánovaná platforma") + 1)

    preview = import_workbook(saved(book), user=coordinator, end_missing=True)

    assert preview.errors == []
    planned.refresh_from_db()
    assert (planned.status, planned.until_year) == (Platform.Status.ENDED, next_year)


@pytest.mark.django_db
@pytest.mark.parametrize("sheets", ["whole workbook", "actors sheet alone"])
def test_participation_of_actors_and_platforms_named_alike_is_checked_apart(sheets):
    """Names alike but for punctuation or diacritics are two actors (two platforms) where
    both exist: each row is checked against its own memberships."""
    schools, skoly = PlatformFactory(name="Setkání škol"), PlatformFactory(name="Setkani skol")
    PlatformMembershipFactory(platform=schools, actor=ActorFactory(name="=1+1"))
    PlatformMembershipFactory(platform=skoly, actor=ActorFactory(name="==1+1"), role=Role.GUEST)
    PlatformMembershipFactory(platform=skoly, actor=ActorFactory(name="Charita Opava"))
    ActorFactory(name="Charita-Opava")
    book = exported_book()
    if sheets == "actors sheet alone":
        del book[PLATFORMS]

    preview, _ = preview_workbook(saved(book))

    assert [p.located() for p in preview.problems if p.sheet == "Aktéři sítě"] == []
    assert preview.change_count == 0


@pytest.mark.django_db
def test_a_platform_row_without_id_named_like_two_platforms_is_refused():
    PlatformFactory(name="Setkání škol")
    PlatformFactory(name="Setkani skol")
    data = edited({"ID": None, "Název platformy": "Setkání Skol"})

    preview, _ = preview_workbook(data)

    assert located(preview) == [
        "Mezioborové platformy, řádek 2, sloupec „Název platformy“: Platformu „Setkání Skol“ "
        "nelze určit jednoznačně: podobně se jmenují „Setkani skol“ a „Setkání škol“. Napište "
        "název přesně."
    ]


@pytest.mark.django_db
def test_an_ended_platform_is_ukoncena_and_an_older_file_s_ukonceny_still_reads(coordinator):
    platform = PlatformFactory(name="Komise SPOD", status=Platform.Status.ENDED, until_year=2025)
    book = exported_book()
    sheet = book[PLATFORMS]
    column = [c.value for c in sheet[1]].index("Stav") + 1
    assert sheet.cell(2, column).value == "ukončená"
    assert preview_workbook(saved(book))[0].change_count == 0

    sheet.cell(2, column).value = "ukončený"
    preview, _ = preview_workbook(saved(book))

    assert preview.errors == []
    assert preview.change_count == 0
    assert platform.get_status_display() == "ukončená"


def test_a_near_miss_name_is_answered_with_the_name_meant_but_not_a_different_one():
    areas = values.Names([(1, "BEZPEČÍ"), (2, "VZTAHY")], "Oblast potřeb")
    actors = values.Names([(1, "Poradna pro mládež")], "Aktéra")

    assert (
        areas.unknown("BEZPECNOST")
        == "Oblast potřeb „BEZPECNOST“ neznám. Měli jste na mysli „BEZPEČÍ“?"
    )
    assert actors.unknown("Poradna pro rodinu") == "Aktéra „Poradna pro rodinu“ neznám."
