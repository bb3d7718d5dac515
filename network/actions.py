"""The bulk action of the actor changelist that reaches into platforms."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actors.actions import action_page, bound_form
from platforms.models import Platform, PlatformMembership

from . import services


class AddToPlatformForm(forms.Form):
    platform = forms.ModelChoiceField(
        Platform.objects.filter(status=Platform.Status.ACTIVE),
        label=_("platform"),
    )
    role = forms.ChoiceField(
        label=_("role"),
        choices=PlatformMembership.Role.choices,
        initial=PlatformMembership.Role.MEMBER,
    )


@admin.action(permissions=["change"], description=_("Add to a platform"))
def add_to_platform(modeladmin, request, queryset):
    form = bound_form(AddToPlatformForm, request)
    if not (form.is_bound and form.is_valid()):
        return action_page(
            modeladmin,
            request,
            queryset,
            action="add_to_platform",
            form=form,
            template="admin/actors/actor/action_add_to_platform.html",
            title=_("Add actors to a platform"),
            submit=_("Add"),
        )
    platform = form.cleaned_data["platform"]
    role = PlatformMembership.Role(form.cleaned_data["role"])
    result = services.add_to_platform(
        actors=queryset, platform=platform, role=role, user=request.user
    )
    message = ngettext(
        "%(count)d actor added to “%(platform)s” in the role “%(role)s”.",
        "%(count)d actors added to “%(platform)s” in the role “%(role)s”.",
        result.added,
    ) % {"count": result.added, "platform": platform, "role": role.label}
    if result.already_members:
        message += " " + ngettext(
            "%(count)d actor was already a member and was left unchanged.",
            "%(count)d actors were already members and were left unchanged.",
            result.already_members,
        ) % {"count": result.already_members}
    modeladmin.message_user(request, message, messages.SUCCESS)
