"""The workbook export: the contract's layout (DOMAIN.md §3), inert text, private columns."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from actors.models import Actor, Characteristic, Note, TargetGroup, Visibility
from needs.models import NeedArea
from network.workbook.export import export_workbook
from platforms.models import PlatformMembership
from tests.factories import (
    ActivityFactory,
    ActorFactory,
    ActorTypeFactory,
    CharacteristicFactory,
    CharacteristicOptionFactory,
    CharacteristicValueFactory,
    ContactPersonFactory,
    FulfilmentSignFactory,
    LocalPracticeFactory,
    MunicipalityFactory,
    NeedFactory,
    NoteFactory,
    OrganisationFactory,
    PlatformFactory,
    PlatformMembershipFactory,
    RiskFactory,
    TargetGroupFactory,
)

NEEDS_HEADERS = [
    "Oblast potřeb", "Potřeba", "Naplňování potřeby", "Rizika nenaplnění", "Činnost",
    "Zaměření činnosti", "Kdo může činnost uskutečnit", "Praxe v lokalitě", "Zapojení aktéři",
]  # fmt: skip
ACTOR_HEADERS = [
    "ID", "Název aktéra", "Organizace", "IČO", "Typ aktéra", "Druh služby", "Zřizovatel",
    "Resort", "Cílové skupiny", "Věk od", "Věk do", "Životní situace", "Adresa", "Obec",
    "Územní působnost", "Forma poskytování", "On-line", "Provozní doba", "Web", "Telefon",
    "E-mail", "Kontaktní osoby", "Primární oblast potřeb", "Další oblasti potřeb", "Zaměření",
    "Krizová síť", "Účast v platformách", "Co aktér potřebuje od ostatních", "Poznámka",
    "Soukromá poznámka", "Naplněnost kapacity", "Aktualizováno",
]  # fmt: skip
PLATFORM_HEADERS = [
    "ID", "Název platformy", "Typ platformy", "Frekvence setkávání", "Koordinátor",
    "Složení účastníků", "Další účastníci", "Témata", "Oblasti potřeb", "Cíle",
    "Zhodnocení efektivity", "Výstupy ze setkání", "Stav", "Poznámka",
]  # fmt: skip


def exported(**kwargs) -> tuple[openpyxl.Workbook, bytes]:
    stream = io.BytesIO()
    export_workbook(stream, **kwargs)
    data = stream.getvalue()
    return openpyxl.load_workbook(io.BytesIO(data)), data


def rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def xml_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")
        )


@pytest.mark.django_db
def test_workbook_has_the_contract_sheets_and_headers():
    book, _ = exported()
    assert book.sheetnames == [
        "Potřeby a činnosti", "Aktéři sítě", "Mezioborové platformy", "Číselníky", "O souboru",
    ]  # fmt: skip
    assert [c.value for c in book["Potřeby a činnosti"][1]] == NEEDS_HEADERS
    assert [c.value for c in book["Aktéři sítě"][1]] == ACTOR_HEADERS
    assert [c.value for c in book["Mezioborové platformy"][1]] == PLATFORM_HEADERS


@pytest.mark.django_db
def test_template_sheets_are_frozen_filtered_wrapped_and_sized():
    ActorFactory(name="Poradna Kotva")
    book, _ = exported()
    for name in ("Potřeby a činnosti", "Aktéři sítě", "Mezioborové platformy"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.bold
        assert sheet["A1"].alignment.wrap_text
        assert sheet.column_dimensions["B"].width > 20
    assert book["Aktéři sítě"]["B2"].alignment.wrap_text


@pytest.mark.django_db
def test_enumerated_columns_offer_drop_downs_from_the_vocabulary_sheet():
    ActorFactory(actor_type=ActorTypeFactory(), municipality=MunicipalityFactory())
    book, _ = exported()
    vocabularies = book["Číselníky"]
    titles = [c.value for c in vocabularies[1]]
    areas_column = openpyxl.utils.get_column_letter(titles.index("Oblast potřeb") + 1)
    assert [vocabularies[f"{areas_column}{row}"].value for row in range(2, 8)] == list(
        NeedArea.objects.values_list("name", flat=True)
    )
    sheet = book["Aktéři sítě"]
    headers = [c.value for c in sheet[1]]
    validated = {}
    for validation in sheet.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        validated[headers[openpyxl.utils.column_index_from_string(column) - 1]] = (
            validation.formula1
        )
    assert set(validated) == {
        "Typ aktéra", "Zřizovatel", "Obec", "On-line", "Primární oblast potřeb", "Zaměření",
        "Krizová síť",
    }  # fmt: skip
    assert validated["Primární oblast potřeb"] == f"'Číselníky'!${areas_column}$2:${areas_column}$7"


@pytest.mark.django_db
def test_actor_row_holds_every_column_in_czech():
    organisation = OrganisationFactory(name="Magdaléna, o.p.s.", ico="00064581")
    actor = ActorFactory(
        name="Poradna Magdaléna",
        organisation=organisation,
        actor_type=ActorTypeFactory(name="Odborné sociální poradenství"),
        founder="ngo",
        age_from=6,
        age_to=18,
        municipality=MunicipalityFactory(name="Bělčice"),
        territorial_scope=Actor.TerritorialScope.SELECTED,
        online=True,
        phone="+420 777 123 456",
        crisis_network=True,
        capacity=Actor.Capacity.LIMITED,
        capacity_date=datetime.date(2026, 3, 2),
        verified_on=datetime.date(2026, 1, 15),
        focus="both",
    )
    actor.served_municipalities.add(MunicipalityFactory(name="Zálesí"))
    actor.target_groups.add(TargetGroupFactory(name="děti"), TargetGroupFactory(name="rodiče"))
    actor.secondary_need_areas.add(NeedArea.objects.get(code="ZDRAVI"))
    ContactPersonFactory(actor=actor, name="Jana Nová", role="vedoucí", email="jana@example.cz")
    NoteFactory(actor=actor, text="Sdílený poznatek", visibility=Note.Visibility.SHARED)
    NoteFactory(actor=actor, text="Jen pro koordinátorku")
    PlatformMembershipFactory(
        actor=actor,
        platform=PlatformFactory(name="Tým pro mládež"),
        role=PlatformMembership.Role.COORDINATOR,
    )
    ActorFactory(name="Ukončený aktér", ended=True)

    book, _ = exported()
    [row] = rows(book["Aktéři sítě"])

    assert row["ID"] == actor.pk
    assert row["Organizace"] == "Magdaléna, o.p.s."
    assert row["IČO"] == "00064581"
    assert book["Aktéři sítě"]["D2"].data_type == "s"
    assert row["Typ aktéra"] == "Odborné sociální poradenství"
    assert row["Zřizovatel"] == "NNO"
    assert row["Cílové skupiny"] == "děti; rodiče"
    assert (row["Věk od"], row["Věk do"]) == (6, 18)
    assert row["Obec"] == "Bělčice"
    assert row["Územní působnost"] == "vybrané obce: Zálesí"
    assert row["On-line"] == "ano"
    assert row["Telefon"] == "+420 777 123 456"
    assert row["Kontaktní osoby"] == "Jana Nová – vedoucí – jana@example.cz"
    assert row["Primární oblast potřeb"] == actor.primary_need_area.name
    assert row["Další oblasti potřeb"] == "ZDRAVÍ"
    assert row["Zaměření"] == "prevence i intervence"
    assert row["Krizová síť"] == "ano"
    assert row["Účast v platformách"] == "Tým pro mládež (koordinátor)"
    assert row["Poznámka"] == "Sdílený poznatek"
    assert row["Soukromá poznámka"] == "Jen pro koordinátorku"
    assert row["Naplněnost kapacity"] == "omezená kapacita (2. 3. 2026)"
    assert row["Aktualizováno"] == datetime.datetime(2026, 1, 15)
    assert book["Aktéři sítě"]["AF2"].number_format == "d. m. yyyy"


@pytest.mark.django_db
def test_needs_sheet_has_a_row_per_activity_and_for_needs_without_one():
    area = NeedArea.objects.get(code="UCENI")
    need = NeedFactory(area=area, name="Školní docházka", order=1)
    FulfilmentSignFactory(need=need, text="Dítě chodí do školy")
    FulfilmentSignFactory(need=need, text="Má pomůcky")
    RiskFactory(need=need, text="Záškoláctví")
    first = ActivityFactory(need=need, name="Doučování", order=1)
    ActivityFactory(need=need, name="Mentoring", order=2, focus="intervention")
    ActorTypeFactory(name="NZDM").activities.add(first)
    practice = LocalPracticeFactory(activity=first, description="Kotva doučuje v úterý")
    practice.actors.add(ActorFactory(name="NZDM Kotva"))
    NeedFactory(area=area, name="Podpora nadání", order=2)

    book, _ = exported()

    assert rows(book["Potřeby a činnosti"]) == [
        {
            "Oblast potřeb": "UČENÍ", "Potřeba": "Školní docházka",
            "Naplňování potřeby": "Dítě chodí do školy\nMá pomůcky",
            "Rizika nenaplnění": "Záškoláctví", "Činnost": "Doučování",
            "Zaměření činnosti": "prevence", "Kdo může činnost uskutečnit": "NZDM",
            "Praxe v lokalitě": "Kotva doučuje v úterý", "Zapojení aktéři": "NZDM Kotva",
        },
        {
            "Oblast potřeb": "UČENÍ", "Potřeba": "Školní docházka", "Naplňování potřeby": None,
            "Rizika nenaplnění": None, "Činnost": "Mentoring", "Zaměření činnosti": "intervence",
            "Kdo může činnost uskutečnit": None, "Praxe v lokalitě": None, "Zapojení aktéři": None,
        },
        {
            "Oblast potřeb": "UČENÍ", "Potřeba": "Podpora nadání", "Naplňování potřeby": None,
            "Rizika nenaplnění": None, "Činnost": None, "Zaměření činnosti": None,
            "Kdo může činnost uskutečnit": None, "Praxe v lokalitě": None, "Zapojení aktéři": None,
        },
    ]  # fmt: skip


@pytest.mark.django_db
def test_platform_row_names_coordinators_members_and_roles():
    platform = PlatformFactory(
        name="Případové konference ZŠ",
        regularity="regular",
        interval="monthly",
        frequency_note="první úterý",
        coordinator_person="Mgr. Eva Malá",
        internal_evaluation="Interní hodnocení koordinátorky",
    )
    PlatformMembershipFactory(
        platform=platform,
        actor=ActorFactory(name="OSPOD"),
        role=PlatformMembership.Role.COORDINATOR,
    )
    PlatformMembershipFactory(platform=platform, actor=ActorFactory(name="ZŠ Lipová"))
    PlatformMembershipFactory(
        platform=platform, actor=ActorFactory(name="Policie ČR"), role=PlatformMembership.Role.GUEST
    )

    book, data = exported()
    [row] = rows(book["Mezioborové platformy"])

    assert row["Frekvence setkávání"] == "pravidelně; jednou měsíčně; první úterý"
    assert row["Koordinátor"] == "OSPOD; osoba: Mgr. Eva Malá"
    assert row["Složení účastníků"] == "Policie ČR (přizvaný host); ZŠ Lipová"
    assert row["Stav"] == "aktivní"
    assert "Interní hodnocení" not in xml_text(data)


DANGEROUS = ["=1+1", "==1+1", "+420 777 123 456", "-5", "@SUM(A1)", "\t=cmd", "\r=cmd"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_like_text_is_an_inert_text_cell(value):
    ActorFactory(name="Aktér", opening_hours=value, phone=value)

    book, data = exported()
    sheet = book["Aktéři sítě"]
    headers = [c.value for c in sheet[1]]
    for header in ("Provozní doba", "Telefon"):
        cell = sheet.cell(row=2, column=headers.index(header) + 1)
        assert cell.data_type == "s"
        # The file escapes CR as _x000D_ (OOXML); spreadsheets and calamine decode it.
        assert cell.value.replace("_x000D_", "\r") == value
        assert cell.quotePrefix
    assert "<f>" not in xml_text(data)


@pytest.mark.django_db
def test_case_manager_export_leaves_out_private_columns_and_characteristics():
    actor = ActorFactory(name="Aktér")
    NoteFactory(actor=actor, text="SENTINEL-private-note")
    NoteFactory(actor=actor, text="sdílený poznatek", visibility=Note.Visibility.SHARED)
    hidden = CharacteristicFactory(name="Interní znak", visibility=Visibility.COORDINATOR)
    CharacteristicValueFactory(actor=actor, characteristic=hidden, text="SENTINEL-characteristic")
    shown = CharacteristicFactory(name="Bezbariérovost", kind=Characteristic.Kind.BOOLEAN,
                                  visibility=Visibility.CASE_MANAGERS)  # fmt: skip
    CharacteristicValueFactory(actor=actor, characteristic=shown, text=None, boolean=True)

    book, data = exported(include_private=False)
    headers = [c.value for c in book["Aktéři sítě"][1]]

    assert "Soukromá poznámka" not in headers
    assert "Interní znak" not in headers
    assert headers[-1] == "Bezbariérovost"
    assert rows(book["Aktéři sítě"])[0]["Bezbariérovost"] == "ano"
    assert "SENTINEL" not in xml_text(data)
    assert "Interní znak" not in xml_text(data)


@pytest.mark.django_db
def test_every_kind_of_characteristic_is_a_column():
    actor = ActorFactory()
    kinds = Characteristic.Kind
    text = CharacteristicFactory(name="Jazyky", kind=kinds.TEXT)
    number = CharacteristicFactory(name="Úvazky", kind=kinds.NUMBER)
    choice = CharacteristicOptionFactory(name="do týdne").characteristic
    multi = CharacteristicFactory(name="Formy", kind=kinds.MULTICHOICE)
    options = [CharacteristicOptionFactory(characteristic=multi, name=n) for n in ("A", "B")]
    CharacteristicValueFactory(actor=actor, characteristic=text, text="angličtina")
    CharacteristicValueFactory(actor=actor, characteristic=number, text=None, number="2.5")
    CharacteristicValueFactory(
        actor=actor, characteristic=choice, text=None, option=choice.options.get()
    )
    value = CharacteristicValueFactory(actor=actor, characteristic=multi, text=None)
    value.options.set(options)

    [row] = rows(exported()[0]["Aktéři sítě"])

    assert row["Jazyky"] == "angličtina"
    assert row["Úvazky"] == 2.5
    assert row[choice.name] == "do týdne"
    assert row["Formy"] == "A; B"


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 30])
def test_export_runs_a_constant_number_of_queries(count, django_assert_num_queries):
    group = TargetGroupFactory()
    for index in range(count):
        actor = ActorFactory(name=f"Aktér {index}")
        actor.target_groups.add(group)
        ContactPersonFactory(actor=actor)
        NoteFactory(actor=actor)
        PlatformMembershipFactory(actor=actor)
        CharacteristicValueFactory(actor=actor)
    # characteristics; needs: signs, risks, activities, actor types, practice, involved actors,
    # needs; actors: 7 vocabularies, contacts, notes, characteristic values, platforms, actors;
    # platforms: 3 vocabularies, memberships, platforms; Číselníky: areas and 17 lists.
    with django_assert_num_queries(37):
        exported()
    assert TargetGroup.objects.count() == 1


@pytest.mark.django_db
def test_single_sheet_export_holds_that_template_only():
    book, _ = exported(sheets=["Mezioborové platformy"])
    assert book.sheetnames == ["Mezioborové platformy", "Číselníky", "O souboru"]


@pytest.mark.django_db
def test_about_sheet_names_the_orp_and_who_exported(coordinator):
    about = {
        row[0]: row[1]
        for row in exported(user=coordinator)[0]["O souboru"].iter_rows(values_only=True)
    }
    assert about["ORP"] == "Hradiště nad Sázavou"
    assert about["Exportoval(a)"] in (coordinator.get_full_name(), coordinator.username)
    assert about["Soukromé údaje"].startswith("ano")


@pytest.mark.django_db
def test_workbook_page_and_downloads(coordinator_client):
    page = coordinator_client.get(reverse("admin:workbook"))
    assert page.status_code == 200
    assert "Aktéři sítě" in page.content.decode()

    response = coordinator_client.get(reverse("admin:workbook_download"))
    assert response.status_code == 200
    assert "Pl%C3%A1n%20s%C3%ADt%C4%9B" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[:3] == ["Potřeby a činnosti", "Aktéři sítě", "Mezioborové platformy"]

    one = coordinator_client.get(reverse("admin:workbook_download"), {"list": "Aktéři sítě"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(one.streaming_content)))
    assert book.sheetnames == ["Aktéři sítě", "Číselníky", "O souboru"]

    assert (
        coordinator_client.get(reverse("admin:workbook_download"), {"list": "x"}).status_code == 404
    )


@pytest.mark.django_db
def test_export_command_writes_the_workbook(tmp_path):
    ActorFactory(name="Aktér z příkazu")
    path = tmp_path / "sesit.xlsx"
    call_command("export_workbook", "-o", str(path), "--sheet", "Aktéři sítě", stdout=io.StringIO())
    book = openpyxl.load_workbook(path)
    assert rows(book["Aktéři sítě"])[0]["Název aktéra"] == "Aktér z příkazu"
    about = dict(book["O souboru"].iter_rows(values_only=True))
    assert about["Exportoval(a)"] == "správce aplikace (příkazem export_workbook)"


@pytest.mark.django_db
def test_export_command_names_the_user_it_is_given(tmp_path, coordinator):
    coordinator.first_name, coordinator.last_name = "Lenka", "Vacková"
    coordinator.save()
    path = tmp_path / "sesit.xlsx"
    command = ["export_workbook", "-o", str(path), "--user", coordinator.username]
    call_command(*command, stdout=io.StringIO())
    about = dict(openpyxl.load_workbook(path)["O souboru"].iter_rows(values_only=True))

    assert about["Exportoval(a)"] == "Lenka Vacková"
    with pytest.raises(CommandError, match="No user 'nikdo'"):
        call_command("export_workbook", "-o", str(path), "--user", "nikdo")


@pytest.mark.django_db
def test_admin_export_of_the_filtered_list_has_the_chosen_columns(coordinator_client):
    characteristic = CharacteristicFactory(name="Jazyky")
    actor = ActorFactory(name="Škola Lipová", phone="=HYPERLINK(1)")
    CharacteristicValueFactory(actor=actor, characteristic=characteristic, text="angličtina")
    ActorFactory(name="Poradna")
    url = reverse("admin:actors_actor_export") + "?q=skola"
    form = coordinator_client.get(url)
    prefix = "networkactorresource_"
    assert f'name="{prefix}characteristic_{characteristic.pk}"' in form.content.decode()
    labels = [
        field.label for field in form.context["form"] if hasattr(field.field, "resource_name")
    ]
    assert labels[:3] == ["ID", "Název aktéra", "Organizace"]
    assert labels[-1] == "Jazyky"

    response = coordinator_client.post(
        url,
        {
            "format": "0",
            "resource": "0",
            f"{prefix}name": "on",
            f"{prefix}phone": "on",
            f"{prefix}characteristic_{characteristic.pk}": "on",
        },
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Název aktéra", "Telefon", "Jazyky"),
        ("Škola Lipová", "=HYPERLINK(1)", "angličtina"),
    ]
    assert sheet["B2"].data_type == "s"


@pytest.mark.parametrize(
    ("count", "text"), [(0, "0 řádků"), (1, "1 řádek"), (3, "3 řádky"), (5, "5 řádků")]
)
def test_row_counts_read_as_czech(count, text):
    from network.workbook.export import rows_text

    assert rows_text(count) == text
