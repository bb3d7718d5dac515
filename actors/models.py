"""The network-actors template: actors, their organisations, categories, contacts and notes.

Depends on `needs` (primary and secondary need areas, activities); `platforms` depends on this.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from needs.models import Activity, Focus, NeedArea

from .validators import validate_ico, validate_list_item

MAX_AGE = 120
# The histories of what the bulk services and the workbook import write by the ten thousand.
# Their records are looked up by their record's id (and history_id), never by what they point
# to: indexes on those foreign keys only slowed every write of history (a tenth of a large
# import); fields listed by name, the many-to-many histories' fields are named so too. The user
# who made a change has no database constraint either (django-simple-history's option): the
# check cost a tenth of a large import's commit, and deleting a user through Django still
# empties the column (on_delete=SET_NULL is applied by Django, not by the database).
BULK_HISTORY = {
    "no_db_index": [
        "actor",
        "actor_type",
        "author",
        "characteristic",
        "characteristicoption",
        "characteristicvalue",
        "lifesituation",
        "municipality",
        "needarea",
        "option",
        "organisation",
        "primary_need_area",
        "resort",
        "serviceform",
        "socialservicekind",
        "targetgroup",
        "verified_by",
    ],
    "user_db_constraint": False,
}


class Vocabulary(models.Model):
    """A coordinator-editable list of values (DOMAIN.md decision 4)."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_list_item])
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


def unique_name(model_name: str) -> list[models.BaseConstraint]:
    """Case-insensitive unique, non-empty names for a vocabulary."""
    return [
        models.UniqueConstraint(
            Lower("name"),
            name=f"{model_name}_name_unique_ci",
            violation_error_message=_("This name is already in the list."),
        ),
        models.CheckConstraint(condition=~Q(name=""), name=f"{model_name}_name_not_empty"),
    ]


class ActorType(Vocabulary):
    """Typ aktéra: school, OSPOD, NZDM, paediatrician... (coordinator-extensible)."""

    activities = models.ManyToManyField(
        Activity,
        blank=True,
        related_name="actor_types",
        verbose_name=_("activities it can carry out"),
    )

    class Meta(Vocabulary.Meta):
        verbose_name = _("actor type")
        verbose_name_plural = _("actor types")
        constraints = unique_name("actortype")


class SocialServiceKind(Vocabulary):
    """Druh sociální služby under zákon 108/2006 Sb. (seeded by a data migration)."""

    paragraph = models.CharField(_("paragraph"), max_length=20, blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("kind of social service")
        verbose_name_plural = _("kinds of social services")
        constraints = unique_name("socialservicekind")


class Resort(Vocabulary):
    """Resortní zařazení: MPSV, MŠMT, MZ, MSp, MV and the non-ministry sectors."""

    code = models.SlugField(_("code"), max_length=30, unique=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = unique_name("resort")


class ServiceForm(Vocabulary):
    """Forma poskytování: ambulantní, terénní, pobytová."""

    code = models.SlugField(_("code"), max_length=30, unique=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("form of provision")
        verbose_name_plural = _("forms of provision")
        constraints = unique_name("serviceform")


class TargetGroup(Vocabulary):
    """Cílová skupina, with levels: whom, age, situation (P:133)."""

    class Level(models.TextChoices):
        WHOM = "whom", _("whom")
        AGE = "age", _("age")
        SITUATION = "situation", _("situation")

    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.WHOM)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent group"),
    )
    age_from = models.PositiveSmallIntegerField(
        _("age from"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    age_to = models.PositiveSmallIntegerField(
        _("age to"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )

    class Meta(Vocabulary.Meta):
        ordering = ["level", "order", "name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            *unique_name("targetgroup"),
            models.CheckConstraint(
                condition=Q(level__in=["whom", "age", "situation"]), name="targetgroup_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(age_from__isnull=True)
                | Q(age_to__isnull=True)
                | Q(age_from__lte=models.F("age_to")),
                name="targetgroup_age_range_ordered",
                violation_error_message=_("The age from must not be higher than the age to."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="targetgroup_not_own_parent",
                violation_error_message=_("A target group cannot be its own parent."),
            ),
        ]


class LifeSituation(Vocabulary):
    """Životní situace: divorce, disability, debt... (coordinator-defined, P:166)."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")
        constraints = unique_name("lifesituation")


class Topic(Vocabulary):
    """Téma: a topic of the network that platforms discuss (white spots, P:247)."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = unique_name("topic")


class Municipality(Vocabulary):
    """A municipality of the ORP district (or a neighbour that actors serve)."""

    code = models.CharField(
        _("municipality code"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{6}$", _("The code has six digits."))],
    )
    in_district = models.BooleanField(_("in the ORP district"), default=True)
    is_seat = models.BooleanField(_("seat of the ORP"), default=False)

    class Meta(Vocabulary.Meta):
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            *unique_name("municipality"),
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="municipality_code_unique",
                violation_error_message=_("Another municipality has this code."),
            ),
            models.UniqueConstraint(
                fields=["is_seat"],
                condition=Q(is_seat=True),
                name="municipality_one_seat",
                violation_error_message=_("Only one municipality is the seat of the ORP."),
            ),
        ]


class Founder(models.TextChoices):
    STATE = "state", pgettext_lazy("founder", "state")
    REGION = "region", _("region")
    MUNICIPALITY = "municipality", _("municipality")
    NGO = "ngo", _("NGO")
    CHURCH = "church", _("church")
    PRIVATE = "private", _("private entity")
    OTHER = "other", _("other or informal")


class Organisation(models.Model):
    """A legal entity with an IČO that one or more actors belong to."""

    class LegalForm(models.TextChoices):
        CONTRIBUTORY = "contributory", _("contributory organisation")
        STATE_UNIT = "state_unit", _("organisational unit of the state")
        MUNICIPALITY = "municipality", _("municipality or region")
        OPS = "ops", _("public benefit company (o.p.s.)")
        ASSOCIATION = "association", _("association (z.s.)")
        INSTITUTE = "institute", _("institute (ústav)")
        CHURCH = "church", _("church legal entity")
        COMPANY = "company", _("company (a.s., s.r.o.)")
        SELF_EMPLOYED = "self_employed", _("self-employed person")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=300)
    ico = models.CharField(
        _("IČO"),
        max_length=8,
        blank=True,
        validators=[validate_ico],
        help_text=_("Eight digits; leading zeros are part of the number."),
    )
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, blank=True
    )
    founder = models.CharField(_("founder"), max_length=20, choices=Founder.choices, blank=True)
    web = models.URLField(_("web"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_not_empty"),
            models.CheckConstraint(
                condition=Q(ico="") | Q(ico__regex=r"^[0-9]{8}\Z"),
                name="organisation_ico_eight_digits",
                violation_error_message=_("IČO has exactly eight digits."),
            ),
            # Import matches actors by IČO + name: one organisation per IČO.
            models.UniqueConstraint(
                fields=["ico"],
                condition=~Q(ico=""),
                name="organisation_ico_unique",
                violation_error_message=_("An organisation with this IČO already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ico})" if self.ico else self.name


class ActorQuerySet(models.QuerySet):
    def active(self) -> "ActorQuerySet":
        """Actors that have not ended: the ones maps and coverage count."""
        return self.filter(status=Actor.Status.ACTIVE)

    def crisis_network(self) -> "ActorQuerySet":
        """Active actors that give crisis help (krizová síť, P:146)."""
        return self.active().filter(crisis_network=True)


class Actor(models.Model):
    """A row of the actor template: a service, unit, person, project or informal group."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation")
        SERVICE = "service", _("service or unit")
        PERSON = "person", _("person")
        PROJECT = "project", _("project")
        INFORMAL = "informal", _("informal group")

    class TerritorialScope(models.TextChoices):
        MUNICIPALITY = "municipality", _("its municipality")
        SELECTED = "selected", _("selected municipalities")
        DISTRICT = "district", _("whole ORP district")
        REGION = "region", _("region")
        NATIONAL = "national", _("whole country")

    class Capacity(models.TextChoices):
        FREE = "free", _("free")
        LIMITED = "limited", _("limited")
        FULL = "full", _("full")
        WAITING_LIST = "waiting_list", _("waiting list")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    # Identity
    name = models.CharField(_("actor name"), max_length=300, validators=[validate_list_item])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SERVICE)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actors",
        verbose_name=_("organisation"),
    )
    # Traditional categories (P:132-135)
    actor_type = models.ForeignKey(
        ActorType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actors",
        verbose_name=_("actor type"),
    )
    social_service_kinds = models.ManyToManyField(
        SocialServiceKind, blank=True, related_name="actors", verbose_name=_("kind of service")
    )
    founder = models.CharField(_("founder"), max_length=20, choices=Founder.choices, blank=True)
    resorts = models.ManyToManyField(
        Resort, blank=True, related_name="actors", verbose_name=_("sector")
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="actors", verbose_name=_("target groups")
    )
    age_from = models.PositiveSmallIntegerField(
        _("age from"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    age_to = models.PositiveSmallIntegerField(
        _("age to"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    life_situations = models.ManyToManyField(
        LifeSituation, blank=True, related_name="actors", verbose_name=_("life situations")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seated_actors",
        verbose_name=_("municipality"),
    )
    territorial_scope = models.CharField(
        _("territorial scope"),
        max_length=20,
        choices=TerritorialScope.choices,
        default=TerritorialScope.MUNICIPALITY,
    )
    served_municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="served_by",
        verbose_name=_("municipalities served"),
        help_text=_("Used when the territorial scope is 'selected municipalities'."),
    )
    service_forms = models.ManyToManyField(
        ServiceForm, blank=True, related_name="actors", verbose_name=_("form of provision")
    )
    online = models.BooleanField(_("online"), default=False)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    web = models.URLField(_("web"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Extended categories of the piloted database (P:138-163)
    primary_need_area = models.ForeignKey(
        NeedArea,
        on_delete=models.PROTECT,
        related_name="primary_actors",
        verbose_name=_("primary need area"),
    )
    secondary_need_areas = models.ManyToManyField(
        NeedArea,
        blank=True,
        related_name="secondary_actors",
        verbose_name=_("other need areas"),
    )
    focus = models.CharField(
        _("focus"), max_length=12, choices=Focus.choices, default=Focus.PREVENTION
    )
    crisis_network = models.BooleanField(_("crisis network"), default=False)
    crisis_contact = models.CharField(
        _("crisis availability"),
        max_length=300,
        blank=True,
        help_text=_("When and how the actor can be reached in a crisis (24/7, standby phone)."),
    )
    needs_from_others = models.TextField(_("what the actor needs from others"), blank=True)
    capacity = models.CharField(_("capacity"), max_length=20, choices=Capacity.choices, blank=True)
    capacity_date = models.DateField(_("capacity stated on"), null=True, blank=True)
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="represented_actors",
        verbose_name=_("representatives"),
        help_text=_("Users who post to the bulletin board for this actor."),
    )
    # Lifecycle and verification
    status = models.CharField(
        _("state"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
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
    # Raised by every save through the workspace: a form saved over a newer version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ActorQuerySet.as_manager()

    history = HistoricalRecords(
        **BULK_HISTORY,
        m2m_fields=[
            social_service_kinds,
            resorts,
            target_groups,
            life_situations,
            served_municipalities,
            service_forms,
            secondary_need_areas,
        ],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        permissions = [
            ("view_private", _("Can see private notes and coordinator-only data")),
        ]
        constraints = [
            # Import matches actors by name: names are unique regardless of case.
            models.UniqueConstraint(
                Lower("name"),
                name="actor_name_unique_ci",
                violation_error_message=_("An actor of this name already exists."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="actor_name_not_empty"),
            models.CheckConstraint(
                condition=Q(age_from__isnull=True)
                | Q(age_to__isnull=True)
                | Q(age_from__lte=models.F("age_to")),
                name="actor_age_range_ordered",
                violation_error_message=_("The age from must not be higher than the age to."),
            ),
            models.CheckConstraint(
                condition=(Q(age_from__isnull=True) | Q(age_from__lte=MAX_AGE))
                & (Q(age_to__isnull=True) | Q(age_to__lte=MAX_AGE)),
                name="actor_age_at_most_120",
                violation_error_message=_("Age must be at most 120 years."),
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_on__isnull=True)
                | Q(status="ended", ended_on__isnull=False),
                name="actor_ended_iff_end_date",
                violation_error_message=_(
                    "An ended actor needs the date it ended; an active one has none."
                ),
            ),
            models.CheckConstraint(condition=Q(focus__in=Focus.values), name="actor_focus_valid"),
            models.CheckConstraint(
                condition=Q(capacity="") | Q(capacity_date__isnull=False),
                name="actor_capacity_has_date",
                violation_error_message=_("Capacity needs the date it was stated."),
            ),
        ]
        indexes = [
            # Maps and the coordinator's list filter active actors by primary need area.
            models.Index(fields=["status", "primary_need_area"], name="actor_status_area_idx"),
            # The crisis-network page lists active crisis actors.
            models.Index(fields=["crisis_network", "status"], name="actor_crisis_idx"),
            # Reminders and the list's verification filter: active actors not verified for
            # 12 months, counted from the index alone on PostgreSQL (covering the id).
            models.Index(
                fields=["status", "verified_on"], include=["id"], name="actor_status_verified_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContactPerson(models.Model):
    """A professional to contact at an actor: personal data, shown to logged-in users only."""

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("actor")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords(**BULK_HISTORY)

    class Meta:
        ordering = ["actor", "order", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="contact_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


class Note(models.Model):
    """A finding about an actor (zmapované poznatky, P:152); private ones are coordinator-only."""

    class Visibility(models.TextChoices):
        SHARED = "shared", _("shared with case managers")
        PRIVATE = "private", _("private (coordinator only)")

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="notes", verbose_name=_("actor")
    )
    text = models.TextField(_("text"))
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(**BULK_HISTORY)

    class Meta:
        ordering = ["actor", "created_at", "id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="note_text_not_empty"),
            models.CheckConstraint(
                condition=Q(visibility__in=["shared", "private"]), name="note_visibility_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Visibility(models.TextChoices):
    """Who may see a custom characteristic."""

    COORDINATOR = "coordinator", _("coordinator only")
    CASE_MANAGERS = "case_managers", _("case managers too")


class Characteristic(models.Model):
    """A coordinator-defined characteristic of actors (vlastní znak, P:165)."""

    class Kind(models.TextChoices):
        BOOLEAN = "boolean", _("yes/no")
        CHOICE = "choice", _("one choice")
        MULTICHOICE = "multichoice", _("several choices")
        TEXT = "text", _("text")
        NUMBER = "number", _("number")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    visibility = models.CharField(
        _("visibility"),
        max_length=15,
        choices=Visibility.choices,
        default=Visibility.COORDINATOR,
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("characteristic")
        verbose_name_plural = _("characteristics")
        constraints = [
            *unique_name("characteristic"),
            models.CheckConstraint(
                condition=Q(kind__in=["boolean", "choice", "multichoice", "text", "number"]),
                name="characteristic_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["coordinator", "case_managers"]),
                name="characteristic_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A characteristic is a column of the actors' sheet beside the template's own: a name
        the import would read as one of those (case, spaces and diacritics aside) would put
        two columns under one header."""
        from .resources import template_column  # the sheet's columns; it imports this module

        column = template_column(self.name or "")
        if column is not None:
            raise ValidationError(
                {
                    "name": _(
                        "The actors' sheet already has the column “%(column)s”; name the "
                        "characteristic otherwise."
                    )
                    % {"column": column}
                }
            )
        # Values are stored by kind (a choice as its option, a number as a number): under
        # another kind they would silently vanish from maps, cards and exports.
        if self.pk is not None:
            was = Characteristic.objects.filter(pk=self.pk).values_list("kind", flat=True).first()
            count = self.values.count() if was not in (None, self.kind) else 0
            if count:
                raise ValidationError(
                    {
                        "kind": ngettext(
                            "%(count)s actor has a value of this characteristic; its kind can "
                            "change only once the value is removed.",
                            "%(count)s actors have a value of this characteristic; its kind can "
                            "change only once the values are removed.",
                            count,
                        )
                        % {"count": count}
                    }
                )


class CharacteristicOption(models.Model):
    characteristic = models.ForeignKey(
        Characteristic,
        on_delete=models.CASCADE,
        related_name="options",
        verbose_name=_("characteristic"),
    )
    name = models.CharField(_("value"), max_length=200, validators=[validate_list_item])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["characteristic", "order", "name"]
        verbose_name = _("option of a characteristic")
        verbose_name_plural = _("options of characteristics")
        constraints = [
            models.UniqueConstraint(
                "characteristic",
                Lower("name"),
                name="option_name_unique_in_characteristic",
                violation_error_message=_("The characteristic already has this option."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="option_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class CharacteristicValue(models.Model):
    """The value of one characteristic for one actor, in the column its kind uses."""

    actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        # The unique (actor, characteristic) index below serves every lookup by actor.
        db_index=False,
        related_name="characteristic_values",
        verbose_name=_("actor"),
    )
    characteristic = models.ForeignKey(
        Characteristic,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("characteristic"),
    )
    boolean = models.BooleanField(_("yes/no"), null=True, blank=True)
    # NULL, not "", marks an unused column: the one-column constraint below relies on it.
    text = models.TextField(_("text"), blank=True, null=True)  # noqa: DJ001
    number = models.DecimalField(
        _("number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    option = models.ForeignKey(
        CharacteristicOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("choice"),
    )
    options = models.ManyToManyField(
        CharacteristicOption, blank=True, related_name="+", verbose_name=_("choices")
    )

    history = HistoricalRecords(m2m_fields=[options], **BULK_HISTORY)

    class Meta:
        ordering = ["actor", "characteristic__order", "characteristic__name"]
        verbose_name = _("value of a characteristic")
        verbose_name_plural = _("values of characteristics")
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "characteristic"],
                name="one_value_per_actor_characteristic",
                violation_error_message=_("The actor already has a value of this characteristic."),
            ),
            # A value uses at most one of the typed columns (multichoice uses `options`).
            models.CheckConstraint(
                condition=(
                    Q(boolean__isnull=True, number__isnull=True, option__isnull=True)
                    | Q(text__isnull=True, number__isnull=True, option__isnull=True)
                    | Q(text__isnull=True, boolean__isnull=True, option__isnull=True)
                    | Q(text__isnull=True, boolean__isnull=True, number__isnull=True)
                ),
                name="characteristic_value_one_column",
                violation_error_message=_(
                    "A value of a characteristic has only one kind of value."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.characteristic}: {self.actor}"

    def clean(self) -> None:
        """The value sits in the column of its characteristic's kind, and nowhere else."""
        if self.text == "":
            self.text = None  # an empty text box means "no text", not a second column
        if self.characteristic_id is None:
            return
        kind = self.characteristic.kind
        column = {
            Characteristic.Kind.BOOLEAN: "boolean",
            Characteristic.Kind.TEXT: "text",
            Characteristic.Kind.NUMBER: "number",
            Characteristic.Kind.CHOICE: "option",
        }.get(kind)
        errors = {}
        for name in ("boolean", "text", "number", "option"):
            if name != column and getattr(self, name) not in (None, ""):
                errors[name] = _("A characteristic of the kind “%(kind)s” keeps no value here.") % {
                    "kind": self.characteristic.get_kind_display()
                }
        if (
            kind == Characteristic.Kind.CHOICE
            and self.option_id is not None
            and self.option.characteristic_id != self.characteristic_id
        ):
            errors["option"] = _("The option belongs to another characteristic.")
        if errors:
            raise ValidationError(errors)


class Post(models.Model):
    """A bulletin-board post of an actor (nástěnka, P:182-184)."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("new project")
        EVENT = "event", _("one-off event")
        CAPACITY = "capacity", _("current capacity")

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="posts", verbose_name=_("actor")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    capacity = models.CharField(
        _("capacity"), max_length=20, choices=Actor.Capacity.choices, blank=True
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("bulletin post")
        verbose_name_plural = _("bulletin posts")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="post_title_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=["project", "event", "capacity"]), name="post_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="post_validity_ordered",
                violation_error_message=_("A post cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind="capacity", capacity__in=["free", "limited", "full", "waiting_list"]
                )
                | (~Q(kind="capacity") & Q(capacity="")),
                name="post_capacity_iff_capacity_kind",
                violation_error_message=_(
                    "Capacity is stated only in a capacity post, and there it is required."
                ),
            ),
        ]
        indexes = [
            # Actor cards show the current posts of an actor.
            models.Index(fields=["actor", "valid_until"], name="post_actor_valid_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class LocalPractice(models.Model):
    """How an activity is carried out in the locality now, and who takes part (P:96-98)."""

    activity = models.OneToOneField(
        Activity,
        on_delete=models.CASCADE,
        related_name="practice",
        verbose_name=_("activity"),
    )
    description = models.TextField(_("practice in the locality"), blank=True)
    actors = models.ManyToManyField(
        Actor, blank=True, related_name="practices", verbose_name=_("involved actors")
    )

    history = HistoricalRecords(m2m_fields=[actors])

    class Meta:
        ordering = ["activity"]
        verbose_name = _("local practice")
        verbose_name_plural = _("local practices")

    def __str__(self) -> str:
        return str(self.activity)
