"""Records of the whole-network layer: uploaded workbooks, maps and the annual revisions."""

import gzip
import hashlib
import json

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .roles import COORDINATOR


class WorkbookUpload(models.Model):
    """An uploaded workbook, kept from its preview to its confirmation (and as a record after)."""

    name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    end_missing = models.BooleanField(_("end actors missing from the file"), default=False)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("uploaded workbook")
        verbose_name_plural = _("uploaded workbooks")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.sha256 = hashlib.sha256(bytes(self.content)).hexdigest()
        super().save(*args, **kwargs)


class MapQuerySet(models.QuerySet):
    def for_user(self, user) -> "MapQuerySet":
        """Maps the user may open: coordinators all, others the active maps whose audience
        holds them (by name or by role); each map knows whether the viewer is a coordinator.

        One query: the role check is part of it (a map page has a budget of six).
        """
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser:
            return self.annotate(viewer_is_coordinator=models.Value(True))
        memberships = user.groups.through.objects.filter(user_id=user.pk)
        coordinator = models.Exists(memberships.filter(group__name=COORDINATOR))
        audience = models.Exists(
            Map.audience_users.through.objects.filter(map_id=models.OuterRef("pk"), user_id=user.pk)
        ) | models.Exists(
            Map.audience_groups.through.objects.filter(
                map_id=models.OuterRef("pk"), group_id__in=memberships.values("group_id")
            )
        )
        return self.annotate(viewer_is_coordinator=coordinator).filter(
            models.Q(viewer_is_coordinator=True) | (models.Q(status=Map.Status.ACTIVE) & audience)
        )


class Map(models.Model):
    """A saved, read-only view of the network that the coordinator prepares for case managers:
    a filter of the actors, the columns shown in the list and on the card, the ordering, and
    who may open it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The actor filter as a query string of the map filter (network.maps.filters.ActorFilter).
    query = models.TextField(_("filter"), blank=True)
    columns = models.JSONField(_("columns of the list"), default=list)
    card_fields = models.JSONField(_("fields of the actor card"), default=list)
    ordering = models.CharField(_("ordering"), max_length=60, default="name", blank=True)
    crisis_network = models.BooleanField(
        _("crisis network map"),
        default=False,
        help_text=_("Shows only actors of the crisis network; listed first on the home page."),
    )
    audience_groups = models.ManyToManyField(
        "auth.Group", blank=True, related_name="maps", verbose_name=_("audience: roles")
    )
    audience_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="maps",
        verbose_name=_("audience: users"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MapQuerySet.as_manager()
    # Who changed what a map shows, and to whom: its history with the audience.
    history = HistoricalRecords(m2m_fields=[audience_groups, audience_users])

    class Meta:
        # The crisis network first, always (issue 4), then the coordinator's order.
        ordering = ["-crisis_network", "order", "name"]
        verbose_name = _("map")
        verbose_name_plural = _("maps")
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="map_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "retired"]), name="map_status_valid"
            ),
            models.UniqueConstraint(
                fields=["crisis_network"],
                condition=models.Q(crisis_network=True),
                name="map_one_crisis_network",
                violation_error_message=_("There is already a crisis network map."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("map", args=[self.pk])


class FrozenSnapshot(Exception):
    """A revision's snapshot never changes once taken (DOMAIN.md decision 9)."""


class SnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise FrozenSnapshot("A revision snapshot cannot be changed.")

    def delete(self):
        raise FrozenSnapshot("A revision snapshot cannot be deleted.")


class Snapshot(models.Model):
    """The three templates as they stood at one moment of a revision, frozen for good.

    `data` holds the rows of the template sheets as text (gzip-compressed JSON, see
    `network.revisions.snapshot`); `workbook` the revision's workbook as it was downloadable
    on the day it was closed. Rows are only ever inserted: the model, its queryset and a
    database trigger refuse updates (and deletes, which PostgreSQL's trigger refuses too).
    """

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("when the revision was opened")
        CLOSED = "closed", _("closed revision")

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    taken_at = models.DateTimeField(_("taken"))
    # Names, not foreign keys: a frozen row must not change when a user or platform does.
    taken_by = models.CharField(_("taken by"), max_length=200, blank=True)
    platform = models.CharField(_("discussed at platform"), max_length=300, blank=True)
    discussed_on = models.DateField(_("discussed on"), null=True, blank=True)
    data = models.BinaryField(_("templates"))
    workbook = models.BinaryField(_("workbook"), blank=True, default=b"")
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at"]
        verbose_name = _("revision snapshot")
        verbose_name_plural = _("revision snapshots")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["baseline", "closed"]), name="snapshot_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.CLOSED:
            return str(_("Revision %(year)s (closed)") % {"year": self.year})
        return str(_("Revision %(year)s (opened)") % {"year": self.year})

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenSnapshot("A revision snapshot cannot be changed.")
        self.sha256 = self.checksum()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenSnapshot("A revision snapshot cannot be deleted.")

    def checksum(self) -> str:
        digest = hashlib.sha256(bytes(self.data))
        digest.update(bytes(self.workbook))
        return digest.hexdigest()

    def content(self) -> dict:
        return json.loads(gzip.decompress(bytes(self.data)))


class RevisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(status=Revision.Status.CLOSED).exists():
            raise FrozenSnapshot("A closed revision cannot be changed.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=Revision.Status.CLOSED).exists():
            raise FrozenSnapshot("A closed revision cannot be deleted.")
        return super().delete()


class Revision(models.Model):
    """The annual revision of the three templates (DOMAIN.md decision 9): opened by the
    coordinator, records verified or updated, discussed at a platform, closed into a snapshot."""

    class Status(models.TextChoices):
        OPEN = "open", _("in preparation")
        CLOSED = "closed", _("closed")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    # PROTECT, not SET_NULL: deleting a user or a platform must not rewrite a closed revision
    # (people are deactivated, platforms ended).
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    platform = models.ForeignKey(
        "platforms.Platform",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("discussed at platform"),
    )
    baseline = models.OneToOneField(
        Snapshot,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("templates when opened"),
    )
    snapshot = models.OneToOneField(
        Snapshot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision",
        verbose_name=_("closed snapshot"),
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "closed"]), name="revision_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", snapshot__isnull=True)
                | models.Q(status="closed", snapshot__isnull=False),
                name="revision_closed_has_snapshot",
            ),
            # One revision in preparation at a time: the checklist and reminders follow it.
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="open"),
                name="revision_one_open",
                violation_error_message=_("Another revision is already open."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Revision %(year)s") % {"year": self.year})

    def save(self, *args, **kwargs):
        if self.pk and Revision.objects.filter(pk=self.pk, status=self.Status.CLOSED).exists():
            raise FrozenSnapshot("A closed revision cannot be changed.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("admin:revision", args=[self.year])

    def delete(self, *args, **kwargs):
        if self.status == self.Status.CLOSED:
            raise FrozenSnapshot("A closed revision cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
