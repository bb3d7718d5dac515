from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from needs import admin as needs_admin

from .characteristics import FIELD_PREFIX, characteristics_with_options, field_name
from .concurrency import ConcurrentEditAdminMixin
from .filters import (
    AgeFilter,
    TargetGroupFilter,
    VerifiedFilter,
    characteristic_filters,
    vocabulary_filter,
)
from .forms import HTTPS_URLS, ActorForm
from .models import (
    Activity,
    Actor,
    ActorType,
    Characteristic,
    CharacteristicOption,
    CharacteristicValue,
    ContactPerson,
    LifeSituation,
    LocalPractice,
    Municipality,
    Note,
    Organisation,
    Post,
    Resort,
    ServiceForm,
    SocialServiceKind,
    TargetGroup,
    Topic,
)
from .text import CzechOrder, fold, folded


class FoldedSearchMixin:
    """Search (and autocomplete) that ignores diacritics and case: "skola" finds "Škola"."""

    folded_search_fields = ("name",)

    def get_search_results(self, request, queryset, search_term):
        terms = search_term.split()
        if not terms:
            return queryset, False
        aliases = {f"{f}_folded": folded(f) for f in self.folded_search_fields}
        queryset = queryset.alias(**aliases)
        for term in terms:
            plain = fold(term)
            match = Q()
            for alias in aliases:
                match |= Q(**{f"{alias}__contains": plain})
            queryset = queryset.filter(match)
        return queryset, False


class VocabularyAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    ordering = ["order", CzechOrder("name").asc()]


@admin.register(ActorType)
class ActorTypeAdmin(VocabularyAdmin):
    autocomplete_fields = ["activities"]


@admin.register(SocialServiceKind)
class SocialServiceKindAdmin(VocabularyAdmin):
    list_display = ["name", "paragraph", "order"]


@admin.register(Resort, ServiceForm, LifeSituation, Topic)
class SimpleVocabularyAdmin(VocabularyAdmin):
    pass


@admin.register(TargetGroup)
class TargetGroupAdmin(VocabularyAdmin):
    list_display = ["name", "level", "parent", "age_from", "age_to", "order"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Municipality)
class MunicipalityAdmin(VocabularyAdmin):
    list_display = ["name", "code", "in_district", "is_seat", "order"]
    list_filter = ["in_district"]


@admin.register(Organisation)
class OrganisationAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    folded_search_fields = ("name", "ico")
    ordering = [CzechOrder("name").asc()]
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "ico", "legal_form", "founder"]
    list_filter = ["legal_form", "founder"]
    search_fields = ["name", "ico"]


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    fields = ["name", "role", "phone", "email", "order"]
    extra = 0


class NoteInline(admin.TabularInline):
    model = Note
    fields = ["text", "visibility", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class PostInline(admin.StackedInline):
    model = Post
    fields = [("kind", "capacity"), "title", "text", ("valid_from", "valid_until")]
    extra = 0


@admin.register(Actor)
class ActorAdmin(ConcurrentEditAdminMixin, SimpleHistoryAdmin):
    form = ActorForm

    class Media:
        css = {"all": ["actors/actor_form.css"]}

    formfield_overrides = HTTPS_URLS
    list_display = [
        "actor_name",
        "actor_type",
        "primary_need_area",
        "focus",
        "crisis_network",
        "municipality",
        "verified_on",
    ]
    list_filter = [
        "status",
        vocabulary_filter("primary_need_area", "need_area", _("primary need area")),
        vocabulary_filter("secondary_need_areas", "need_area", _("other need areas")),
        "focus",
        "crisis_network",
        vocabulary_filter("actor_type", "actor_type", _("actor type")),
        "founder",
        vocabulary_filter("resorts", "resort", _("sector")),
        TargetGroupFilter,
        AgeFilter,
        vocabulary_filter("life_situations", "life_situation", _("life situations")),
        vocabulary_filter("municipality", "municipality", _("municipality")),
        vocabulary_filter("service_forms", "service_form", _("form of provision")),
        "online",
        VerifiedFilter,
    ]
    show_full_result_count = False  # one COUNT fewer on every page of a 50,000-actor list
    # Rendering the rows is most of the page's server time; 50 rows fit two screens.
    list_per_page = 50
    ordering = [CzechOrder("name").asc()]
    list_select_related = ["actor_type", "primary_need_area", "municipality"]
    # Shows the search box; the search itself is get_search_results (diacritics ignored).
    search_fields = ["name"]
    autocomplete_fields = [
        "organisation",
        "actor_type",
        "social_service_kinds",
        "resorts",
        "target_groups",
        "life_situations",
        "municipality",
        "served_municipalities",
        "service_forms",
        "primary_need_area",
        "secondary_need_areas",
        "representatives",
    ]
    # Verifying is separate from editing: the "verified" action and the annual revision stamp it.
    readonly_fields = ["verified_on", "verified_by", "created_at", "updated_at"]
    inlines = [ContactPersonInline, NoteInline, PostInline]
    fieldsets = [
        (
            None,
            {"fields": ["name", "kind", "organisation", ("status", "ended_on"), "seen_version"]},
        ),
        (
            _("Traditional categories"),
            {
                "fields": [
                    "actor_type",
                    "social_service_kinds",
                    "founder",
                    "resorts",
                    "target_groups",
                    ("age_from", "age_to"),
                    "life_situations",
                    "service_forms",
                    "online",
                    "opening_hours",
                ]
            },
        ),
        (
            _("Place and contacts"),
            {
                "fields": [
                    "address",
                    "municipality",
                    "territorial_scope",
                    "served_municipalities",
                    ("web", "phone", "email"),
                ]
            },
        ),
        (
            _("Extended categories"),
            {
                "fields": [
                    "primary_need_area",
                    "secondary_need_areas",
                    "focus",
                    ("crisis_network", "crisis_contact"),
                    "needs_from_others",
                    ("capacity", "capacity_date"),
                ]
            },
        ),
        (
            _("Verification and access"),
            {
                "fields": [
                    ("verified_on", "verified_by"),
                    "representatives",
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]

    @admin.display(description=_("actor name"), ordering=CzechOrder("name"))
    def actor_name(self, obj):
        return obj.name

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), *characteristic_filters(request)]

    @staticmethod
    def request_characteristics(request) -> list[Characteristic]:
        """The characteristics with their options, fetched once per request."""
        cached = getattr(request, "_characteristics", None)
        if cached is None:
            cached = request._characteristics = characteristics_with_options()
        return cached

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        names = [field_name(c) for c in self.request_characteristics(request)]
        if names:
            fieldsets = [*fieldsets, (_("Custom characteristics"), {"fields": names})]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The characteristic fields come from ActorForm itself, not from the model.
        fields = kwargs.get("fields") or flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [f for f in fields if not f.startswith(FIELD_PREFIX)]
        form = super().get_form(request, obj, change, **kwargs)
        form.characteristic_list = self.request_characteristics(request)
        return form

    def get_search_results(self, request, queryset, search_term):
        """Name, organisation, IČO, e-mail, phone and contact persons; 'skola' finds 'Škola'."""
        terms = search_term.split()
        if not terms:
            return queryset, False
        queryset = queryset.alias(
            name_folded=folded("name"), org_folded=folded("organisation__name")
        )
        for term in terms:
            plain = fold(term)
            contacts = ContactPerson.objects.filter(actor=OuterRef("pk")).alias(
                name_folded=folded("name")
            )
            queryset = queryset.filter(
                Q(name_folded__contains=plain)
                | Q(org_folded__contains=plain)
                | Q(organisation__ico__startswith=term)
                | Q(email__icontains=term)
                | Q(phone__contains=term)
                | Exists(
                    contacts.filter(
                        Q(name_folded__contains=plain)
                        | Q(email__icontains=term)
                        | Q(phone__contains=term)
                    )
                )
            )
        return queryset, False

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Note | Post) and instance.author_id is None:
                instance.author = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(ContactPerson)
class ContactPersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "actor", "phone", "email"]
    list_select_related = ["actor"]
    search_fields = ["name", "role", "actor__name", "email"]
    autocomplete_fields = ["actor"]


@admin.register(Note)
class NoteAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "actor", "visibility", "author", "created_at"]
    list_filter = ["visibility"]
    list_select_related = ["actor", "author"]
    search_fields = ["text", "actor__name"]
    autocomplete_fields = ["actor"]
    readonly_fields = ["author", "created_at"]

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


class CharacteristicOptionInline(admin.TabularInline):
    model = CharacteristicOption
    extra = 0


@admin.register(Characteristic)
class CharacteristicAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "visibility", "order"]
    list_filter = ["kind", "visibility"]
    search_fields = ["name"]
    inlines = [CharacteristicOptionInline]


@admin.register(CharacteristicOption)
class CharacteristicOptionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "characteristic", "order"]
    list_select_related = ["characteristic"]
    search_fields = ["name", "characteristic__name"]
    autocomplete_fields = ["characteristic"]


@admin.register(CharacteristicValue)
class CharacteristicValueAdmin(SimpleHistoryAdmin):
    """Read only: values are edited on the actor's form and by the bulk actions, which keep
    the actor's version and history; a second way in would bypass both."""

    list_display = ["actor", "characteristic", "boolean", "text", "number", "option"]
    list_filter = ["characteristic"]
    list_select_related = ["actor", "characteristic", "option"]
    search_fields = ["actor__name", "characteristic__name", "text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["title", "actor", "kind", "capacity", "valid_from", "valid_until"]
    list_filter = ["kind", "capacity"]
    list_select_related = ["actor"]
    search_fields = ["title", "text", "actor__name"]
    autocomplete_fields = ["actor"]
    readonly_fields = ["author", "created_at"]

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(LocalPractice)
class LocalPracticeAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "description"]
    list_select_related = ["activity"]
    search_fields = ["activity__name", "description", "actors__name"]
    autocomplete_fields = ["activity", "actors"]


class LocalPracticeInline(admin.StackedInline):
    model = LocalPractice
    fields = ["description", "actors"]
    autocomplete_fields = ["actors"]


class ActorTypeForActivityInline(admin.TabularInline):
    model = ActorType.activities.through
    autocomplete_fields = ["actortype"]
    extra = 0
    verbose_name = _("actor type that can carry it out")
    verbose_name_plural = _("who can carry out the activity")


# The activity form of `needs`, extended with who can do it and who does it here.
admin.site.unregister(Activity)


@admin.register(Activity)
class ActivityAdmin(needs_admin.ActivityAdmin):
    inlines = [*needs_admin.ActivityAdmin.inlines, ActorTypeForActivityInline, LocalPracticeInline]
