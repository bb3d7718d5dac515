"""The interdisciplinary-platforms template: platforms, their types and memberships.

Depends on `actors` (members, topics) and `needs` (need areas).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Greatest, Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from actors.models import Actor, Topic
from actors.validators import validate_list_item
from needs.models import NeedArea


class PlatformType(models.Model):
    """One of the four platform types of the MPSV networking guide; rows from a migration."""

    code = models.PositiveSmallIntegerField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("platform type")
        verbose_name_plural = _("platform types")

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class ParticipantGroup(models.Model):
    """People who take part without being actors: parents, the child, clients, politicians."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("other participant group")
        verbose_name_plural = _("other participant groups")

    def __str__(self) -> str:
        return self.name


class Platform(models.Model):
    """A recurring, coordinated meeting of several actors (P:206-215)."""

    class Regularity(models.TextChoices):
        REGULAR = "regular", _("regular")
        IRREGULAR = "irregular", _("irregular")
        AS_NEEDED = "as_needed", _("as needed")

    class Interval(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        FORTNIGHTLY = "fortnightly", _("every two weeks")
        MONTHLY = "monthly", _("monthly")
        BIMONTHLY = "bimonthly", _("every two months")
        QUARTERLY = "quarterly", _("quarterly")
        HALF_YEARLY = "half_yearly", _("twice a year")
        YEARLY = "yearly", _("yearly")

    class Level(models.TextChoices):
        CASE = "case", _("case level")
        SYSTEM = "system", _("system level")

    class Territory(models.TextChoices):
        LOCAL = "local", _("local")
        DISTRICT = "district", _("ORP district")
        CITY = "city", _("city")
        REGION = "region", _("region")

    class Status(models.TextChoices):
        # A platform is feminine in Czech: "ukončená", where an actor is "ukončený".
        ACTIVE = "active", pgettext_lazy("platform", "active")
        ENDED = "ended", pgettext_lazy("platform", "ended")

    # The Czech label of ENDED until it agreed with "platforma": workbooks exported and
    # snapshots taken before still say so, and it reads as ENDED.
    ENDED_FORMERLY = "ukončený"

    name = models.CharField(_("platform name"), max_length=300, validators=[validate_list_item])
    platform_type = models.ForeignKey(
        PlatformType,
        on_delete=models.PROTECT,
        related_name="platforms",
        verbose_name=_("platform type"),
    )
    description = models.TextField(_("description"), blank=True)
    # 1. Frekvence setkávání
    regularity = models.CharField(
        _("regularity"), max_length=12, choices=Regularity.choices, blank=True
    )
    interval = models.CharField(_("interval"), max_length=12, choices=Interval.choices, blank=True)
    frequency_note = models.CharField(_("frequency"), max_length=300, blank=True)
    # 2. Složení účastníků: memberships below, plus groups of non-actors
    other_participants = models.ManyToManyField(
        ParticipantGroup, blank=True, related_name="platforms", verbose_name=_("other participants")
    )
    # 3. Kým je koordinována: memberships with the coordinator role, plus a named person
    coordinator_person = models.CharField(_("coordinating person"), max_length=200, blank=True)
    initiator = models.ForeignKey(
        Actor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiated_platforms",
        verbose_name=_("initiator"),
    )
    # 4. Témata
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="platforms", verbose_name=_("topics")
    )
    need_areas = models.ManyToManyField(
        NeedArea, blank=True, related_name="platforms", verbose_name=_("need areas")
    )
    # 5.-7. Cíle, zhodnocení efektivity, výstupy
    goals = models.TextField(_("goals"), blank=True)
    effectiveness = models.TextField(
        _("assessment of effectiveness"),
        blank=True,
        help_text=_("Written for the actors to read: it supports, it does not rank."),
    )
    internal_evaluation = models.TextField(
        _("internal evaluation"),
        blank=True,
        help_text=_("Coordinator only; never shown to case managers or actors."),
    )
    has_minutes = models.BooleanField(_("minutes are kept"), default=False)
    has_written_outputs = models.BooleanField(_("written outputs"), default=False)
    outputs = models.TextField(_("outputs of meetings"), blank=True)
    outputs_location = models.CharField(
        _("where outputs are available"), max_length=300, blank=True
    )
    # Further attributes
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    territory = models.CharField(
        _("territorial level"), max_length=10, choices=Territory.choices, blank=True
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("state"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    since_year = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True)
    until_year = models.PositiveSmallIntegerField(_("until (year)"), null=True, blank=True)
    members = models.ManyToManyField(
        Actor,
        through="PlatformMembership",
        related_name="platforms",
        verbose_name=_("members"),
    )
    verified_on = models.DateField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[other_participants, topics, need_areas])

    class Meta:
        ordering = ["platform_type__code", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        constraints = [
            # Import matches platforms by name when the ID is missing.
            models.UniqueConstraint(
                Lower("name"),
                name="platform_name_unique_ci",
                violation_error_message=_("A platform of this name already exists."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="platform_name_not_empty"),
            models.CheckConstraint(
                condition=Q(since_year__isnull=True)
                | Q(until_year__isnull=True)
                | Q(since_year__lte=models.F("until_year")),
                name="platform_years_ordered",
                violation_error_message=_("The platform cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status="active", until_year__isnull=True) | Q(status="ended"),
                name="platform_active_has_no_end",
                violation_error_message=_("An active platform has no end year."),
            ),
            models.CheckConstraint(
                condition=Q(since_year__isnull=True)
                | Q(since_year__gte=1900, since_year__lte=2200),
                name="platform_since_plausible",
                violation_error_message=_("The start year is not plausible."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def last_year(year: int) -> models.Expression:
        """`until_year` of platforms ended in `year`: never before their first year (a
        platform planned to start later ends in the year it was to start)."""
        return Greatest(Coalesce(models.F("since_year"), Value(year)), Value(year))


class PlatformMembership(models.Model):
    """The one relation between platforms and actors (DOMAIN.md decision 5)."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        MEMBER = "member", _("standing member")
        GUEST = "guest", _("invited guest")
        OCCASIONAL = "occasional", _("occasional")

    platform = models.ForeignKey(
        Platform, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("platform")
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("actor")
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    representative = models.CharField(_("representative"), max_length=200, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["platform", "role", "actor__name"]
        verbose_name = _("platform membership")
        verbose_name_plural = _("platform memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "actor"],
                name="membership_unique",
                violation_error_message=_("The actor is already a member of the platform."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=["coordinator", "member", "guest", "occasional"]),
                name="membership_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True)
                | Q(until__isnull=True)
                | Q(since__lte=models.F("until")),
                name="membership_dates_ordered",
                violation_error_message=_("Membership cannot end before it starts."),
            ),
        ]
        indexes = [
            # "Actors in no platform" and the actor's platform list go from the actor side.
            models.Index(fields=["actor", "role"], name="membership_actor_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} – {self.platform} ({self.get_role_display()})"
