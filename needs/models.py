"""The needs-and-activities template: six need areas, their needs, signs, risks, activities.

This app depends on nothing else of ours; actors and local practice refer to it.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Focus(models.TextChoices):
    """Whether help comes before a threat arises, after, or both (shared by actors)."""

    PREVENTION = "prevention", _("prevention")
    INTERVENTION = "intervention", _("intervention")
    BOTH = "both", _("prevention and intervention")


class NeedArea(models.Model):
    """One of the six need areas of a child; rows come from a data migration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("need area")
        verbose_name_plural = _("need areas")

    def __str__(self) -> str:
        return self.name


class Need(models.Model):
    area = models.ForeignKey(
        NeedArea, on_delete=models.PROTECT, related_name="needs", verbose_name=_("need area")
    )
    name = models.CharField(_("need"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["area__order", "order", "name"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.UniqueConstraint(
                "area",
                Lower("name"),
                name="need_name_unique_in_area",
                violation_error_message=_("This need already exists in the need area."),
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="need_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class FulfilmentSign(models.Model):
    """How a fulfilled need shows in a child's life in the family (podoba naplňování)."""

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="signs", verbose_name=_("need")
    )
    text = models.TextField(_("sign of fulfilment"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["need", "order", "id"]
        verbose_name = _("sign of fulfilment")
        verbose_name_plural = _("signs of fulfilment")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="sign_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text


class Risk(models.Model):
    """A risk of the need not being fulfilled (riziko nenaplnění)."""

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="risks", verbose_name=_("need")
    )
    text = models.TextField(_("risk"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["need", "order", "id"]
        verbose_name = _("risk of non-fulfilment")
        verbose_name_plural = _("risks of non-fulfilment")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="risk_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text


class Activity(models.Model):
    """An activity that leads to better fulfilment of a need (činnost).

    The actor types that can do it and the local practice live in `actors`, which may depend
    on this app but not the other way round.
    """

    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, related_name="activities", verbose_name=_("need")
    )
    name = models.CharField(_("activity"), max_length=300)
    focus = models.CharField(
        _("focus"), max_length=12, choices=Focus.choices, default=Focus.PREVENTION
    )
    description = models.TextField(_("description"), blank=True)
    cooperation_note = models.TextField(
        _("cooperation"),
        blank=True,
        help_text=_("Which actors can carry the activity out together."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The annual revision verifies activities as it does actors and platforms (DOMAIN.md 9).
    verified_on = models.DateField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["need__area__order", "need__order", "order", "name"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(
                "need",
                Lower("name"),
                name="activity_name_unique_in_need",
                violation_error_message=_("This activity already exists for the need."),
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="activity_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(focus__in=Focus.values), name="activity_focus_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name
