"""The coordinator's data-quality page: records to verify, complete or merge.

Each check is a named selector; the view only counts, cuts and renders them.
"""

import datetime
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from actors.models import Actor, ContactPerson
from actors.text import CzechOrder, czech_key
from platforms.models import Platform, PlatformMembership

STALE_AFTER = datetime.timedelta(days=365)
ROWS_SHOWN = 200
GROUPS_SHOWN = 100

# Legal forms as word sequences after normalisation ("z. s." and "z.s." both become "z s").
# Dotted forms only: "ZŠ" normalises to "zs" and must stay part of a school's name.
LEGAL_FORMS = [
    "o.p.s.",
    "z.s.",
    "s.r.o.",
    "a.s.",
    "příspěvková organizace",
    "p.o.",
    "spolek",
    "ústav",
    "z.ú.",
    "o.s.",
]


_MARKS = re.compile(r"[\u0300-\u036f]+")
_NOT_WORDS = re.compile(r"[\W_]+")


def _words(text: str) -> str:
    without_marks = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_NOT_WORDS.sub(" ", without_marks.casefold()).split())


# One or more legal forms at the end, after at least one word: "Spolek" alone stays.
_LEGAL_FORM_SUFFIX = re.compile(
    r"^(.+?)(?: (?:" + "|".join(re.escape(_words(form)) for form in LEGAL_FORMS) + r"))+$"
)


def normalised_name(name: str) -> str:
    """The name without diacritics, case, punctuation, extra spaces and legal-form suffixes."""
    words = _words(name)
    match = _LEGAL_FORM_SUFFIX.match(words)
    return match[1] if match else words


def stale_actors(today: datetime.date) -> QuerySet[Actor]:
    """Active actors not verified for more than a year, or never; the oldest first."""
    return (
        Actor.objects.active()
        .filter(Q(verified_on__lt=today - STALE_AFTER) | Q(verified_on__isnull=True))
        .select_related("verified_by")
        .order_by(F("verified_on").asc(nulls_first=True), CzechOrder("name"), "pk")
    )


def stale_platforms(today: datetime.date) -> QuerySet[Platform]:
    """Active platforms not verified for more than a year, or never; the oldest first."""
    return (
        Platform.objects.filter(status=Platform.Status.ACTIVE)
        .filter(Q(verified_on__lt=today - STALE_AFTER) | Q(verified_on__isnull=True))
        .select_related("verified_by")
        .order_by(F("verified_on").asc(nulls_first=True), CzechOrder("name"), "pk")
    )


def actors_without_platform() -> QuerySet[Actor]:
    """Active actors that are a member of no platform."""
    memberships = PlatformMembership.objects.filter(actor=OuterRef("pk"))
    return (
        Actor.objects.active()
        .filter(~Exists(memberships))
        .select_related("organisation")
        .order_by(CzechOrder("name"), "pk")
    )


def actors_without_contact() -> QuerySet[Actor]:
    """Active actors with no contact person, no phone and no e-mail."""
    contacts = ContactPerson.objects.filter(actor=OuterRef("pk"))
    return (
        Actor.objects.active()
        .filter(~Exists(contacts), phone="", email="")
        .select_related("organisation")
        .order_by(CzechOrder("name"), "pk")
    )


def platforms_without_coordinator() -> QuerySet[Platform]:
    """Active platforms where no member has the coordinator's role."""
    coordinators = PlatformMembership.objects.filter(
        platform=OuterRef("pk"), role=PlatformMembership.Role.COORDINATOR
    )
    return (
        Platform.objects.filter(status=Platform.Status.ACTIVE)
        .filter(~Exists(coordinators))
        .select_related("platform_type")
        .annotate(member_count=Count("memberships"))
        .order_by(CzechOrder("name"), "pk")
    )


@dataclass(frozen=True)
class ActorRow:
    pk: int
    name: str
    organisation_name: str


@dataclass(frozen=True)
class DuplicateGroup:
    key: str
    actors: list[ActorRow]


def duplicate_actors() -> tuple[list[DuplicateGroup], list[DuplicateGroup]]:
    """Active actors alike after normalising: by their own name, and by organisation name.

    The second list holds actors of different organisation rows whose names normalise alike.
    One query loads every active actor's name; the grouping is done here.
    """
    by_name = defaultdict(list)
    by_organisation = defaultdict(list)
    organisation_keys = {}
    rows = (
        Actor.objects.active()
        .order_by()
        .values_list("pk", "name", "organisation_id", "organisation__name")
    )
    for row in rows:
        by_name[normalised_name(row[1])].append(row)
        if row[2] is not None:
            if row[2] not in organisation_keys:
                organisation_keys[row[2]] = normalised_name(row[3])
            by_organisation[organisation_keys[row[2]]].append(row)

    def group(key: str, rows: list[tuple]) -> DuplicateGroup:
        actors = [ActorRow(pk, name, org_name or "") for pk, name, _org, org_name in rows]
        return DuplicateGroup(key, sorted(actors, key=lambda r: (czech_key(r.name), r.pk)))

    return (
        [group(k, rows) for k, rows in sorted(by_name.items()) if len(rows) > 1],
        [
            group(k, rows)
            for k, rows in sorted(by_organisation.items())
            if len({row[2] for row in rows}) > 1
        ],
    )


@dataclass
class Section:
    """One check on the page: at most ROWS_SHOWN of its records, their full count, filter links.

    `kind` picks the table's columns: "verification", "actors", "platforms" or "groups".
    """

    slug: str
    title: str
    help_text: str
    kind: str
    change_url: str
    count: int
    rows: list
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def cut(self) -> bool:
        return self.count > len(self.rows)


def _change_url(model) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_change"


def _changelist_link(model, label: str, **lookups: str) -> tuple[str, str]:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return label, f"{url}?{urlencode({'status__exact': 'active', **lookups})}"


def _cut(queryset: QuerySet) -> dict:
    return {"count": queryset.count(), "rows": list(queryset[:ROWS_SHOWN])}


def _verification_section(model, slug, title, queryset, before: datetime.date) -> Section:
    return Section(
        slug,
        title,
        gettext("Active records last verified before %(date)s or never; the oldest first.")
        % {"date": formats.date_format(before, "SHORT_DATE_FORMAT")},
        "verification",
        _change_url(model),
        **_cut(queryset),
        links=[
            _changelist_link(model, gettext("never verified"), verified_on__isnull="True"),
            _changelist_link(
                model, gettext("verified before that date"), verified_on__lt=before.isoformat()
            ),
        ],
    )


def _group_section(slug, title, help_text, groups: list[DuplicateGroup]) -> Section:
    return Section(
        slug, title, help_text, "groups", _change_url(Actor), len(groups), groups[:GROUPS_SHOWN]
    )


def data_quality_view(request: HttpRequest) -> TemplateResponse:
    today = timezone.localdate()
    before = today - STALE_AFTER
    same_names, same_organisations = duplicate_actors()
    legal_form_note = gettext(
        "Compared without case, diacritics, punctuation and legal forms such as z.s. or o.p.s."
    )
    sections = [
        _verification_section(
            Actor,
            "stale-actors",
            gettext("Actors not verified for more than a year"),
            stale_actors(today),
            before,
        ),
        _verification_section(
            Platform,
            "stale-platforms",
            gettext("Platforms not verified for more than a year"),
            stale_platforms(today),
            before,
        ),
        Section(
            "without-platform",
            gettext("Actors in no platform"),
            gettext("Active actors that are not a member of any platform."),
            "actors",
            _change_url(Actor),
            **_cut(actors_without_platform()),
            links=[
                _changelist_link(
                    Actor, gettext("in the list of actors"), memberships__isnull="True"
                )
            ],
        ),
        Section(
            "without-contact",
            gettext("Actors without a contact"),
            gettext("Active actors with no contact person, no phone and no e-mail."),
            "actors",
            _change_url(Actor),
            **_cut(actors_without_contact()),
            links=[
                _changelist_link(
                    Actor,
                    gettext("in the list of actors"),
                    contacts__isnull="True",
                    phone__exact="",
                    email__exact="",
                )
            ],
        ),
        _group_section(
            "duplicate-names",
            gettext("Actors with the same name"),
            legal_form_note,
            same_names,
        ),
        _group_section(
            "duplicate-organisations",
            gettext("Actors of different organisations with the same name"),
            legal_form_note,
            same_organisations,
        ),
        Section(
            "without-coordinator",
            gettext("Platforms without a coordinator"),
            gettext("Active platforms where no member has the coordinator's role."),
            "platforms",
            _change_url(Platform),
            **_cut(platforms_without_coordinator()),
        ),
    ]
    context = {
        **admin.site.each_context(request),
        "title": gettext("Data quality"),
        "sections": sections,
    }
    return TemplateResponse(request, "admin/data_quality.html", context)
