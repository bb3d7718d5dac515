"""The `Potřeby a činnosti` sheet of the workbook (DOMAIN.md §3) as a django-import-export resource.

One row per activity, and one row with an empty `Činnost` for a need without activities. The
signs and risks of a need are written on its first row only; the import reads the empty cells
below as "same as above". The columns that name actor types and actors are added by
`actors.resources.NeedActivityResource`.

The small cell helpers here are shared by the other sheets' resources.
"""

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import translation
from import_export import fields, resources, widgets

from .models import Activity, Focus, FulfilmentSign, Need, NeedArea, Risk

SHEET = "Potřeby a činnosti"
LIST_SEPARATOR = "; "


def labels(choices) -> dict[str, str]:
    """Value -> label of a choices class or list, in the active language."""
    pairs = choices.choices if hasattr(choices, "choices") else choices
    return {value: str(label) for value, label in pairs}


def yes_no(value: bool) -> str:
    return "ano" if value else "ne"


def listed(names: list[str] | None) -> str:
    """Names in one cell: `;` separates them, since names contain commas (DOMAIN.md §3)."""
    return LIST_SEPARATOR.join(names) if names else ""


def lines(texts: list[str] | None) -> str:
    """Texts in one cell, one per line."""
    return "\n".join(texts) if texts else ""


def one_line(text: str) -> str:
    """A sign or risk as its line of the cell: the cell holds one per line, so a line break
    inside one (typed in the admin) would read back as two. The import compares the stored
    texts in this form too."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


class ChoiceLabelWidget(widgets.Widget):
    """A choice as the sheet writes it: its Czech label (`prevence`), stored as its value.

    For django-import-export's own path; the workbook import parses cells itself. Text after
    the label (`: municipalities`, ` (date)`) is left for other columns of the model.
    """

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        text = str(value).split(":")[0].split(" (")[0].strip().casefold()
        with translation.override("cs"):
            for key, label in labels(self.choices).items():
                if text == label.casefold():
                    return key
        raise ValueError(f"„{value}“ není v číselníku.")

    def render(self, value, obj=None, **kwargs):
        with translation.override("cs"):
            return labels(self.choices).get(value, "")


class YesNoWidget(widgets.BooleanWidget):
    """`ano`/`ne` as the sheet writes them."""

    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "ano", "a", "x"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "ne", "n"]

    def render(self, value, obj=None, **kwargs):
        return yes_no(bool(value))


class SheetResource(resources.ModelResource):
    """A resource whose rows come in bulk from `sheet_rows(queryset)`, not object by object."""

    def sheet_fields(self) -> list[str]:
        """Field names in the sheet's column order (the order of the export headers)."""
        by_identity = {id(f): name for name, f in self.fields.items()}
        return [by_identity[id(f)] for f in self.get_export_fields()]

    def sheet_rows(self, queryset: QuerySet) -> Iterator[list]:
        raise NotImplementedError

    def export(self, queryset=None, **kwargs):
        """django-import-export's export (admin, selected columns) over the bulk rows."""
        queryset = self.get_queryset() if queryset is None else queryset
        dataset = super().export(queryset=queryset.none(), **kwargs)
        names = self.sheet_fields()
        selected = self.get_export_fields(kwargs.get("export_fields"))
        by_identity = {id(self.fields[name]): index for index, name in enumerate(names)}
        columns = [by_identity[id(f)] for f in selected]
        for row in self.sheet_rows(queryset):
            dataset.append([row[index] for index in columns])
        return dataset


class ActivityResource(SheetResource):
    area = fields.Field(
        attribute="need__area",
        column_name="Oblast potřeb",
        widget=widgets.ForeignKeyWidget(NeedArea, "name"),
        readonly=True,
    )
    need = fields.Field(
        attribute="need", column_name="Potřeba", widget=widgets.ForeignKeyWidget(Need, "name")
    )
    signs = fields.Field(column_name="Naplňování potřeby", readonly=True)
    risks = fields.Field(column_name="Rizika nenaplnění", readonly=True)
    name = fields.Field(attribute="name", column_name="Činnost")
    focus = fields.Field(
        attribute="focus", column_name="Zaměření činnosti", widget=ChoiceLabelWidget(Focus)
    )

    class Meta:
        model = Activity
        fields = ("area", "need", "signs", "risks", "name", "focus")
        export_order = fields
        import_id_fields = ["need", "name"]

    def get_queryset(self) -> QuerySet:
        return Need.objects.all()

    def activity_columns(self, activity_ids) -> dict[int, dict[str, str]]:
        """Values of the columns later apps add, by activity."""
        return {}

    def sheet_rows(self, needs: QuerySet) -> Iterator[list]:
        """Rows of the given needs, in the tree's order, in a constant number of queries."""
        with translation.override("cs"):
            yield from self._rows(needs)

    def _rows(self, needs: QuerySet) -> Iterator[list]:
        need_ids = needs.values("pk")
        texts = {}
        for model in (FulfilmentSign, Risk):
            by_need = defaultdict(list)
            for need_id, text in (
                model.objects.filter(need__in=need_ids)
                .order_by("need", "order", "id")
                .values_list("need_id", "text")
            ):
                if text := one_line(text):
                    by_need[need_id].append(text)
            texts[model] = by_need
        activities = defaultdict(list)
        for activity in (
            Activity.objects.filter(need__in=need_ids)
            .order_by("order", "name")
            .values("pk", "need_id", "name", "focus")
        ):
            activities[activity["need_id"]].append(activity)
        extra = self.activity_columns(Activity.objects.filter(need__in=need_ids).values("pk"))
        focuses = labels(Activity._meta.get_field("focus").choices)
        names = self.sheet_fields()
        for need in needs.order_by("area__order", "order", "name").values(
            "pk", "name", "area__name"
        ):
            first = {
                "area": need["area__name"],
                "need": need["name"],
                "signs": lines(texts[FulfilmentSign].get(need["pk"])),
                "risks": lines(texts[Risk].get(need["pk"])),
            }
            for activity in activities.get(need["pk"]) or [None]:
                row = dict(first, area=need["area__name"], need=need["name"])
                if activity is not None:
                    row["name"] = activity["name"]
                    row["focus"] = focuses[activity["focus"]]
                    row.update(extra.get(activity["pk"], {}))
                yield [row.get(name, "") for name in names]
                first = {}
