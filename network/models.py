"""Records of the whole-network layer: the workbooks uploaded for import."""

import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
        from .roles import COORDINATOR

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
