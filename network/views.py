from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from actors.models import Actor
from needs.models import NeedArea
from platforms.models import Platform

from .models import Map
from .revisions.reminders import reminders
from .roles import ROLE_LABELS, is_coordinator, role_of


class HomeView(LoginRequiredMixin, TemplateView):
    """The landing page after login: what the network holds and where the user goes next."""

    template_name = "network/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role = role_of(self.request.user)
        coordinator = is_coordinator(self.request.user)
        context.update(
            role_label=ROLE_LABELS.get(role, ""),
            is_coordinator=coordinator,
            reminders=reminders() if coordinator else None,
            active_actor_count=Actor.objects.active().count(),
            crisis_actor_count=Actor.objects.crisis_network().count(),
            active_platform_count=Platform.objects.filter(status=Platform.Status.ACTIVE).count(),
            need_areas=NeedArea.objects.all(),
            maps=Map.objects.for_user(self.request.user).filter(status=Map.Status.ACTIVE),
        )
        return context
