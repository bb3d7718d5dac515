"""The coordinator's need tree: area -> need -> signs, risks, activities on one page.

The needs template is a tree; the admin shows it one level at a time. This page shows it whole,
with each node linking to its edit page, in a constant number of queries.
"""

from django.contrib import admin
from django.db.models import Count, Prefetch
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from actors.models import ActorType, LocalPractice
from needs.models import Activity, Need, NeedArea


def need_tree_areas():
    """The six areas with needs, signs, risks and activities (their actor types and practice)."""
    activities = Activity.objects.prefetch_related(
        Prefetch("actor_types", queryset=ActorType.objects.only("id", "name")),
        Prefetch(
            "practice",
            queryset=LocalPractice.objects.annotate(actor_count=Count("actors")),
        ),
    )
    needs = Need.objects.prefetch_related(
        "signs", "risks", Prefetch("activities", queryset=activities)
    )
    return NeedArea.objects.prefetch_related(Prefetch("needs", queryset=needs))


def need_tree_view(request: HttpRequest) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": gettext("Need tree"),
        "areas": need_tree_areas(),
    }
    return TemplateResponse(request, "admin/need_tree.html", context)
