"""List filters of the coordinator's actor list that Django's field filters cannot express."""

import datetime

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Characteristic, CharacteristicValue, TargetGroup

AGE_BANDS = {
    "0-3": (0, 3),
    "3-6": (3, 6),
    "6-15": (6, 15),
    "15-18": (15, 18),
    "18-26": (18, 26),
}


class AgeFilter(admin.SimpleListFilter):
    """Actors whose age range overlaps the band; an open end counts as open."""

    title = _("age of the child")
    parameter_name = "vek"

    def lookups(self, request, model_admin):
        return [(key, _("%(low)s–%(high)s years") % {"low": lo, "high": hi})
                for key, (lo, hi) in AGE_BANDS.items()]  # fmt: skip

    def queryset(self, request, queryset):
        if self.value() not in AGE_BANDS:
            return queryset
        low, high = AGE_BANDS[self.value()]
        return queryset.filter(
            Q(age_from__isnull=True) | Q(age_from__lt=high),
            Q(age_to__isnull=True) | Q(age_to__gte=low),
        )


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "overeni"

    def lookups(self, request, model_admin):
        return [
            ("this_year", _("verified this year")),
            ("stale", _("not verified for over 12 months")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "this_year":
            return queryset.filter(verified_on__year=today.year)
        if self.value() == "stale":
            year_ago = today - datetime.timedelta(days=365)
            return queryset.filter(Q(verified_on__isnull=True) | Q(verified_on__lt=year_ago))
        return queryset


class TargetGroupFilter(admin.SimpleListFilter):
    """A target group together with the groups below it (děti → děti s postižením)."""

    title = _("target group")
    parameter_name = "cilova_skupina"

    def lookups(self, request, model_admin):
        self._groups = list(TargetGroup.objects.order_by("level", "order", "name"))
        levels = dict(TargetGroup.Level.choices)
        return [(str(g.pk), f"{levels[g.level]}: {g.name}") for g in self._groups]

    def queryset(self, request, queryset):
        if not self.value() or not self.value().isdigit():
            return queryset
        groups = getattr(self, "_groups", None) or list(TargetGroup.objects.all())
        children: dict[int | None, list[int]] = {}
        for group in groups:
            children.setdefault(group.parent_id, []).append(group.pk)
        wanted, todo = set(), [int(self.value())]
        while todo:
            pk = todo.pop()
            if pk not in wanted:
                wanted.add(pk)
                todo.extend(children.get(pk, []))
        return queryset.filter(
            Exists(
                TargetGroup.actors.through.objects.filter(
                    actor=OuterRef("pk"), targetgroup__in=wanted
                )
            )
        )


def characteristic_filter(characteristic: Characteristic) -> type[admin.SimpleListFilter]:
    """A list filter for one custom characteristic, made when the list is shown."""
    kind = characteristic.kind
    options = [(str(o.pk), o.name) for o in characteristic.options.all()]

    class CharacteristicFilter(admin.SimpleListFilter):
        title = characteristic.name
        parameter_name = f"znak_{characteristic.pk}"

        def lookups(self, request, model_admin):
            if kind == Characteristic.Kind.BOOLEAN:
                return [("1", _("yes")), ("0", _("no")), ("none", _("not stated"))]
            if kind in (Characteristic.Kind.CHOICE, Characteristic.Kind.MULTICHOICE):
                return [*options, ("none", _("not stated"))]
            return [("any", _("stated")), ("none", _("not stated"))]

        def queryset(self, request, queryset):
            value = self.value()
            values = CharacteristicValue.objects.filter(
                actor=OuterRef("pk"), characteristic_id=characteristic.pk
            )
            if value == "none":
                return queryset.exclude(Exists(stated(values)))
            if value == "any":
                return queryset.filter(Exists(stated(values)))
            if kind == Characteristic.Kind.BOOLEAN and value in ("1", "0"):
                return queryset.filter(Exists(values.filter(boolean=value == "1")))
            if kind == Characteristic.Kind.CHOICE and value and value.isdigit():
                return queryset.filter(Exists(values.filter(option_id=int(value))))
            if kind == Characteristic.Kind.MULTICHOICE and value and value.isdigit():
                return queryset.filter(Exists(values.filter(options__id=int(value))))
            return queryset

    return CharacteristicFilter


def stated(values):
    """Values that hold something: a yes/no, a text, a number or at least one choice."""
    return values.filter(
        Q(boolean__isnull=False)
        | (Q(text__isnull=False) & ~Q(text=""))
        | Q(number__isnull=False)
        | Q(option__isnull=False)
        | Q(options__isnull=False)
    )
