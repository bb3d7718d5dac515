"""Platforms and the need tree as case managers read them (never the internal evaluation)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import render

from actors.models import Actor, ActorType, LocalPractice
from needs.models import Activity, Need, NeedArea
from platforms.models import Platform, PlatformMembership

from ..roles import role_of
from ..visibility import shared_platforms


def _reader(request) -> None:
    """Platforms and needs are for everyone with a role in the network."""
    if role_of(request.user) is None and not request.user.is_superuser:
        raise PermissionDenied


@login_required
def platform_list(request):
    _reader(request)
    platforms = list(
        shared_platforms()
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__actor__status=Actor.Status.ACTIVE)
            )
        )
        .order_by("platform_type__code", "name")
    )
    return render(request, "network/platform_list.html", {"platforms": platforms})


@login_required
def platform_detail(request, pk: int):
    _reader(request)
    platform = shared_platforms().filter(pk=pk).first()
    if platform is None:
        raise Http404
    names = {}
    for relation in ("other_participants", "topics", "need_areas"):
        names[relation] = list(
            getattr(Platform, relation).through.objects.filter(platform_id=pk)
            .order_by(f"{Platform._meta.get_field(relation).m2m_reverse_field_name()}__order")
            .values_list(f"{Platform._meta.get_field(relation).m2m_reverse_field_name()}__name",
                         flat=True)
        )  # fmt: skip
    memberships = (
        PlatformMembership.objects.filter(platform_id=pk, actor__status=Actor.Status.ACTIVE)
        .select_related("actor")
        .only("role", "representative", "actor__name")
        .order_by("role", "actor__name")
    )
    labels = {
        "regularity": dict(Platform.Regularity.choices),
        "interval": dict(Platform.Interval.choices),
        "level": dict(Platform.Level.choices),
        "territory": dict(Platform.Territory.choices),
    }
    frequency = [
        str(labels["regularity"].get(platform["regularity"], "")),
        str(labels["interval"].get(platform["interval"], "")),
        platform["frequency_note"],
    ]
    context = {
        "platform": platform,
        "frequency": ", ".join(part for part in frequency if part),
        "level": labels["level"].get(platform["level"], ""),
        "territory": labels["territory"].get(platform["territory"], ""),
        "names": names,
        "memberships": memberships,
    }
    return render(request, "network/platform_detail.html", context)


@login_required
def need_tree(request):
    """Area -> need -> activities -> the active actors who do them here."""
    _reader(request)
    practice = LocalPractice.objects.prefetch_related(
        Prefetch(
            "actors",
            queryset=Actor.objects.active().only("id", "name").order_by("name"),
            to_attr="active_actors",
        )
    )
    activities = Activity.objects.prefetch_related(
        Prefetch("actor_types", queryset=ActorType.objects.only("id", "name")),
        Prefetch("practice", queryset=practice),
    )
    needs = Need.objects.prefetch_related(Prefetch("activities", queryset=activities))
    areas = NeedArea.objects.prefetch_related(Prefetch("needs", queryset=needs))
    return render(request, "network/need_tree.html", {"areas": areas})
