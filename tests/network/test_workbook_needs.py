"""The import of the `Potřeby a činnosti` sheet: the need's cells, renames, missing records,
signs with line breaks, and problems located to their column."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from needs.models import Activity, FulfilmentSign, Need
from needs.resources import SHEET as NEEDS
from network.models import WorkbookUpload
from network.workbook.importer import import_workbook, preview_workbook
from tests.factories import (
    ActivityFactory,
    ActorFactory,
    ActorTypeFactory,
    FulfilmentSignFactory,
    NeedFactory,
    RiskFactory,
)
from tests.network.workbook_files import columns, exported_book, saved

SIGNS, RISKS = "Naplňování potřeby", "Rizika nenaplnění"


def row_with(sheet, header: str, value: str) -> int:
    column = columns(sheet)[header]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, column).value == value:
            return row
    raise LookupError(value)


def needs_changes(preview) -> dict[str, list[tuple[str, str, str]]]:
    return {row.name: list(row.changes) for row in preview.needs.changed}


@pytest.fixture
def housing(db):
    """A need with two signs, a risk and two activities (three rows of the sheet)."""
    need = NeedFactory(name="Bezpečné bydlení")
    FulfilmentSignFactory(need=need, text="Rodina má kde bydlet", order=0)
    FulfilmentSignFactory(need=need, text="Dítě má vlastní lůžko", order=1)
    RiskFactory(need=need, text="Ztráta bydlení")
    ActivityFactory(need=need, name="Poradenství k bydlení", order=0)
    ActivityFactory(need=need, name="Doprovod na úřady", order=1)
    return need


def test_need_signs_cleared_on_every_row_are_removed(housing, coordinator):
    book = exported_book()
    sheet = book[NEEDS]
    sheet.cell(
        row_with(sheet, "Činnost", "Poradenství k bydlení"), columns(sheet)[SIGNS]
    ).value = None
    data = saved(book)

    preview, _ = preview_workbook(data)

    assert preview.errors == []
    assert needs_changes(preview) == {
        "Bezpečné bydlení": [(SIGNS, "Rodina má kde bydlet\nDítě má vlastní lůžko", "")]
    }
    import_workbook(data, user=coordinator)
    assert list(housing.signs.all()) == []
    assert list(housing.risks.values_list("text", flat=True)) == ["Ztráta bydlení"]
    assert preview_workbook(data)[0].change_count == 0


def test_need_signs_on_a_later_row_of_the_need_are_kept(housing):
    book = exported_book()
    sheet = book[NEEDS]
    first = row_with(sheet, "Činnost", "Poradenství k bydlení")
    second = row_with(sheet, "Činnost", "Doprovod na úřady")
    for header in (SIGNS, RISKS):
        cell = sheet.cell(first, columns(sheet)[header])
        sheet.cell(second, columns(sheet)[header]).value, cell.value = cell.value, None

    preview, _ = preview_workbook(saved(book))

    assert preview.errors == []
    assert preview.change_count == 0


def test_need_signs_are_kept_when_the_column_is_not_in_the_file(housing):
    book = exported_book()
    sheet = book[NEEDS]
    sheet.delete_cols(columns(sheet)[SIGNS])

    preview, _ = preview_workbook(saved(book))

    assert preview.errors == []
    assert preview.change_count == 0


def test_need_and_activity_name_fixed_in_case_or_diacritics_is_renamed(housing, coordinator):
    alone = NeedFactory(name="Potřeba bez činností", area=housing.area)
    book = exported_book()
    sheet = book[NEEDS]
    sheet.cell(
        row_with(sheet, "Činnost", "Poradenství k bydlení"), columns(sheet)["Činnost"]
    ).value = "PORADENSTVÍ K BYDLENÍ"
    sheet.cell(
        row_with(sheet, "Potřeba", "Potřeba bez činností"), columns(sheet)["Potřeba"]
    ).value = "Potřeba bez činnosti"
    data = saved(book)

    preview, _ = preview_workbook(data)

    assert preview.errors == []
    assert needs_changes(preview) == {
        "Bezpečné bydlení › PORADENSTVÍ K BYDLENÍ": [
            ("Činnost", "Poradenství k bydlení", "PORADENSTVÍ K BYDLENÍ")
        ],
        "Potřeba bez činnosti": [("Potřeba", "Potřeba bez činností", "Potřeba bez činnosti")],
    }
    import_workbook(data, user=coordinator)
    assert list(housing.activities.order_by("order").values_list("name", flat=True)) == [
        "PORADENSTVÍ K BYDLENÍ",
        "Doprovod na úřady",
    ]
    alone.refresh_from_db()
    assert alone.name == "Potřeba bez činnosti"
    assert alone.history.first().history_user == coordinator
    assert preview_workbook(data)[0].change_count == 0


def test_need_missing_from_the_file_is_listed_and_kept(housing, coordinator):
    alone = NeedFactory(name="Potřeba bez činností", area=housing.area)
    book = exported_book()
    sheet = book[NEEDS]
    sheet.delete_rows(row_with(sheet, "Potřeba", "Potřeba bez činností"))
    doprovod = housing.activities.get(name="Doprovod na úřady")
    sheet.delete_rows(row_with(sheet, "Činnost", "Doprovod na úřady"))
    data = saved(book)

    preview, _ = preview_workbook(data)

    assert preview.errors == []
    assert preview.needs.missing_needs == [(alone.pk, "Potřeba bez činností")]
    assert preview.needs.missing == [(doprovod.pk, "Bezpečné bydlení › Doprovod na úřady")]
    import_workbook(data, user=coordinator, end_missing=True)
    assert Need.objects.filter(pk=alone.pk).exists() is True
    assert Activity.objects.filter(pk=doprovod.pk).exists() is True


def test_preview_page_links_each_missing_need_and_activity_to_its_own_page(
    housing, coordinator_client
):
    alone = NeedFactory(name="Potřeba bez činností", area=housing.area)
    doprovod = housing.activities.get(name="Doprovod na úřady")
    book = exported_book()
    sheet = book[NEEDS]
    sheet.delete_rows(row_with(sheet, "Potřeba", "Potřeba bez činností"))
    sheet.delete_rows(row_with(sheet, "Činnost", "Doprovod na úřady"))
    page = reverse("admin:workbook")
    uploaded = coordinator_client.post(
        page, {"file": SimpleUploadedFile("sesit.xlsx", saved(book)), "end_missing": "on"}
    )
    preview = coordinator_client.get(uploaded.url)
    html = preview.content.decode()

    assert "V souboru chybí: 2 (zůstanou; import potřeby ani činnosti nikdy nemaže)" in html
    need_link = reverse("admin:needs_need_change", args=[alone.pk])
    activity_link = reverse("admin:needs_activity_change", args=[doprovod.pk])
    assert f'<a href="{need_link}">Potřeba bez činností</a>' in html
    assert f'<a href="{activity_link}">Bezpečné bydlení › Doprovod na úřady</a>' in html
    confirmed = coordinator_client.post(uploaded.url, {"digest": preview.context["digest"]})
    assert confirmed.url == page
    upload = WorkbookUpload.objects.get()
    assert "Potřeby a činnosti: přidáno 0, změněno 0, ukončeno 0" in upload.summary


def test_need_sign_with_a_line_break_is_one_line_of_the_cell(housing, coordinator):
    FulfilmentSignFactory(need=housing, text="Dítě má kam jít:\r\nškola, kroužek", order=2)
    book = exported_book()
    sheet = book[NEEDS]
    cell = sheet.cell(row_with(sheet, "Činnost", "Poradenství k bydlení"), columns(sheet)[SIGNS])
    assert cell.value == (
        "Rodina má kde bydlet\nDítě má vlastní lůžko\nDítě má kam jít: škola, kroužek"
    )
    assert preview_workbook(saved(book))[0].change_count == 0

    cell.value += "\nMá klid na učení"
    import_workbook(saved(book), user=coordinator)

    assert list(housing.signs.values_list("text", flat=True)) == [
        "Rodina má kde bydlet",
        "Dítě má vlastní lůžko",
        "Dítě má kam jít: škola, kroužek",
        "Má klid na učení",
    ]
    assert FulfilmentSign.history.filter(history_type="-").count() == 3


def test_need_row_problems_name_their_columns_all_of_them(housing):
    ActorTypeFactory(name="NNO")
    ActorFactory(name="Magdaléna, o.p.s.")
    book = exported_book()
    sheet = book[NEEDS]
    cols = columns(sheet)
    row = row_with(sheet, "Činnost", "Doprovod na úřady")
    sheet.cell(row, cols["Zaměření činnosti"]).value = "občas"
    sheet.cell(row, cols["Kdo může činnost uskutečnit"]).value = "NNOO"
    sheet.cell(row, cols["Zapojení aktéři"]).value = "Magdaléna, o.p.s.; Neznámý; Jiný neznámý"
    first = row_with(sheet, "Činnost", "Poradenství k bydlení")
    sheet.cell(first, cols["Oblast potřeb"]).value = None
    sheet.cell(first, cols["Potřeba"]).value = None

    preview, _ = preview_workbook(saved(book))

    assert [p.located() for p in preview.errors] == [
        f"{NEEDS}, řádek 2, sloupec „Oblast potřeb“: Chybí oblast potřeb (ani v řádcích nad).",
        f"{NEEDS}, řádek 2, sloupec „Potřeba“: Chybí potřeba (ani v řádcích nad).",
        f"{NEEDS}, řádek 3, sloupec „Zaměření činnosti“: Zaměření činnosti „občas“ neznám.",
        f"{NEEDS}, řádek 3, sloupec „Kdo může činnost uskutečnit“: "
        "Typ aktéra „NNOO“ neznám. Měli jste na mysli „NNO“?",
        f"{NEEDS}, řádek 3, sloupec „Zapojení aktéři“: Aktéra „Neznámý“ neznám.",
        f"{NEEDS}, řádek 3, sloupec „Zapojení aktéři“: Aktéra „Jiný neznámý“ neznám.",
    ]


def test_need_rows_below_an_unknown_area_are_not_reported_again(housing):
    book = exported_book()
    sheet = book[NEEDS]
    cols = columns(sheet)
    first = row_with(sheet, "Činnost", "Poradenství k bydlení")
    sheet.cell(first, cols["Oblast potřeb"]).value = "SPORT"
    second = row_with(sheet, "Činnost", "Doprovod na úřady")
    sheet.cell(second, cols["Oblast potřeb"]).value = None
    sheet.cell(second, cols["Potřeba"]).value = None

    preview, _ = preview_workbook(saved(book))

    assert [p.located() for p in preview.errors] == [
        f"{NEEDS}, řádek 2, sloupec „Oblast potřeb“: Oblast potřeb „SPORT“ neznám."
    ]
    # Nor are they taken for new activities of no need.
    assert preview.needs.added == []


@pytest.fixture
def twins(housing):
    """A need beside another whose name differs only in diacritics (typed twice), each with an
    activity named alike."""
    twin = NeedFactory(name="Bezpecne bydleni", area=housing.area)
    ActivityFactory(need=twin, name="Poradenstvi k bydleni")
    return twin


def test_needs_and_activities_alike_but_for_diacritics_round_trip(twins, coordinator):
    data = saved(exported_book())

    preview, _ = preview_workbook(data)

    assert preview.errors == []
    assert preview.change_count == 0
    assert preview.needs.missing_needs == []
    assert preview.needs.missing == []


def test_need_alike_two_needs_is_refused_naming_both(twins):
    book = exported_book()
    sheet = book[NEEDS]
    row = row_with(sheet, "Činnost", "Poradenstvi k bydleni")
    sheet.cell(row, columns(sheet)["Potřeba"]).value = "Bezpečne bydlení"

    preview, _ = preview_workbook(saved(book))

    assert [p.located() for p in preview.errors] == [
        f"{NEEDS}, řádek {row}, sloupec „Potřeba“: Potřebu „Bezpečne bydlení“ nelze určit "
        "jednoznačně: podobně se jmenují „Bezpecne bydleni“ a „Bezpečné bydlení“. "
        "Napište název přesně."
    ]


def test_activity_of_one_of_two_needs_alike_changes_only_there(twins, housing, coordinator):
    book = exported_book()
    sheet = book[NEEDS]
    row = row_with(sheet, "Činnost", "Poradenstvi k bydleni")
    sheet.cell(row, columns(sheet)["Zaměření činnosti"]).value = "intervence"

    preview = import_workbook(saved(book), user=coordinator)

    assert preview.errors == []
    assert needs_changes(preview) == {
        "Bezpecne bydleni › Poradenstvi k bydleni": [
            ("Zaměření činnosti", "prevence", "intervence")
        ]
    }
    assert list(twins.activities.values_list("focus", flat=True)) == ["intervention"]
    assert list(housing.activities.values_list("focus", flat=True)) == ["prevention"] * 2
