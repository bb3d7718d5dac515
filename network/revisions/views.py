"""The coordinator's revision pages in the workspace: the list, the checklist, the meeting pack,
closing, and the comparison of two snapshots."""

import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from actors.text import fold
from platforms.models import Platform

from ..models import Revision, Snapshot
from ..workbook.export import WorkbookWriter, workbook_filename
from . import checklist, compare, pack, services, snapshot

PER_PAGE = 100
TODAY = "dnes"


class OpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class PlatformForm(forms.ModelForm):
    class Meta:
        model = Revision
        fields = ["platform"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active platforms only, and the one already chosen should it have ended since.
        active = Q(status=Platform.Status.ACTIVE) | Q(pk=self.instance.platform_id)
        self.fields["platform"].queryset = Platform.objects.filter(active)


class CloseForm(forms.Form):
    platform = forms.ModelChoiceField(
        label=_("Discussed at platform"),
        queryset=Platform.objects.filter(status=Platform.Status.ACTIVE),
        required=False,
    )
    # A date input takes only ISO dates: in the Czech format the browser would show it empty.
    discussed_on = forms.DateField(
        label=_("Discussed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the closed revision can never be changed"), required=True
    )

    def clean_discussed_on(self):
        day = self.cleaned_data["discussed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The meeting cannot be in the future."))
        return day


def _context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def revisions_view(request: HttpRequest) -> HttpResponse:
    open_form = OpenForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and open_form.is_valid():
        try:
            revision = services.open_revision(
                year=open_form.cleaned_data["year"], user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("admin:revisions")
        else:
            messages.success(
                request, gettext("The revision %(year)s is open.") % {"year": revision.year}
            )
            return redirect("admin:revision", revision.year)
    revisions = Revision.objects.select_related("platform", "opened_by", "snapshot").defer(
        "snapshot__data", "snapshot__workbook"
    )
    context = _context(
        request,
        gettext("Annual revision of the templates"),
        revisions=revisions,
        open_form=open_form,
        can_open=not any(r.is_open for r in revisions),
        snapshots=_snapshot_choices(),
    )
    return TemplateResponse(request, "admin/revisions.html", context)


def _snapshot_choices() -> list[tuple[str, str]]:
    choices = [
        (str(s.pk), f"{s} – {timezone.localtime(s.taken_at):%d. %m. %Y}")
        for s in Snapshot.objects.defer("data", "workbook")
    ]
    return [*choices, (TODAY, gettext("today"))]


def _revision(year: int) -> Revision:
    return get_object_or_404(
        Revision.objects.select_related("platform", "baseline", "opened_by", "closed_by").defer(
            "baseline__workbook"
        ),
        year=year,
    )


# The close form as last sent when it was refused: shown again, with its errors, on the page.
REFUSED_CLOSE = "revision_close"


def revision_view(request: HttpRequest, year: int) -> HttpResponse:
    revision = _revision(year)
    if not revision.is_open:
        return _closed_view(request, revision)
    platform_form = PlatformForm(
        request.POST if "platform-form" in request.POST else None, instance=revision
    )
    if platform_form.is_bound and platform_form.is_valid():
        saved = platform_form.save()
        messages.success(
            request,
            gettext("The revision will be discussed at the platform “%(platform)s”.")
            % {"platform": saved.platform}
            if saved.platform
            else gettext("The revision has no platform to be discussed at yet."),
        )
        return redirect("admin:revision", year)
    built = checklist.build(revision)
    kind = request.GET.get("zaznam", "")
    state = request.GET.get("stav", "")
    unverified = request.GET.get("overeni") == "ne"
    search = fold(request.GET.get("hledat", "").strip())
    since = timezone.localtime(revision.opened_at).date()
    items = [
        item
        for item in built.items
        if (not search or search in fold(item.label))
        and (not kind or item.kind == kind)
        and (not state or item.state == state)
        and (not unverified or (item.state != checklist.ENDED and not item.verified_since(since)))
    ]
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("strana"))
    refused = request.session.pop(REFUSED_CLOSE, None)
    close_form = (
        CloseForm(refused)
        if refused
        else CloseForm(
            initial={"platform": revision.platform_id, "discussed_on": timezone.localdate()}
        )
    )
    context = _context(
        request,
        gettext("Revision %(year)s") % {"year": year},
        revision=revision,
        progress=built.progress(),
        page=page,
        kinds=checklist.KINDS,
        states=checklist.STATES,
        kind=kind,
        state=state,
        unverified=unverified,
        search=request.GET.get("hledat", ""),
        change_count=len(built.changes),
        platform_form=platform_form,
        close_form=close_form,
        since=pack.since_label(services.previous_snapshot(revision, content=False)),
    )
    return TemplateResponse(request, "admin/revision.html", context)


def _closed_view(request: HttpRequest, revision: Revision) -> HttpResponse:
    frozen = Snapshot.objects.defer("data", "workbook").get(pk=revision.snapshot_id)
    context = _context(
        request,
        gettext("Revision %(year)s") % {"year": revision.year},
        revision=revision,
        frozen=frozen,
        since=pack.since_label(services.previous_snapshot(revision, content=False)),
    )
    return TemplateResponse(request, "admin/revision_closed.html", context)


@require_POST
def revision_records(request: HttpRequest, year: int) -> HttpResponse:
    """Verify or end the records ticked in the checklist (POST `action`, `pk` as kind:pk)."""
    revision = _revision(year)
    if not revision.is_open:
        raise Http404
    action = request.POST.get("action", "")
    by_kind: dict[str, list[int]] = {}
    for value in request.POST.getlist("pk"):
        kind, _sep, pk = value.partition(":")
        if kind in checklist.KINDS and pk.isdigit():
            by_kind.setdefault(kind, []).append(int(pk))
    if action not in ("verify", "end"):
        messages.error(request, gettext("Choose what to do with the selected records."))
    elif not by_kind:
        messages.warning(request, gettext("No record was selected."))
    elif action == "verify":
        count = sum(
            services.verify(kind=kind, ids=ids, user=request.user) for kind, ids in by_kind.items()
        )
        messages.success(
            request, gettext("Marked as verified today: %(count)d.") % {"count": count}
        )
    else:
        if compare.ACTIVITY in by_kind:
            messages.warning(
                request,
                gettext("An activity is ended by deleting it in the need tree; it was left."),
            )
        count = sum(
            services.end(kind=kind, ids=ids, user=request.user)
            for kind, ids in by_kind.items()
            if kind != compare.ACTIVITY
        )
        messages.success(request, gettext("Ended: %(count)d.") % {"count": count})
    back = request.POST.get("next", "")
    url = reverse("admin:revision", args=[year])
    return redirect(url + back if back.startswith("?") else url)


def revision_workbook(request: HttpRequest, year: int) -> FileResponse:
    """The meeting pack: for an open revision made now, for a closed one the frozen file."""
    revision = _revision(year)
    filename = workbook_filename(year).replace("Plán sítě", "Revize – Plán sítě", 1)
    if revision.is_open:
        data, _content = services.meeting_pack(revision, user=request.user)
    else:
        data = bytes(revision.snapshot.workbook)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename)


@require_POST
def revision_close(request: HttpRequest, year: int) -> HttpResponse:
    revision = _revision(year)
    form = CloseForm(request.POST)
    if not revision.is_open:
        messages.error(request, gettext("The revision is already closed."))
    elif not form.is_valid():
        # The page again with what was chosen and the errors beside the fields.
        request.session[REFUSED_CLOSE] = {
            name: request.POST.get(name, "") for name in ("platform", "discussed_on", "confirm")
        }
        return redirect(reverse("admin:revision", args=[year]) + "#revision-close")
    else:
        try:
            services.close_revision(
                revision=revision,
                user=request.user,
                platform=form.cleaned_data["platform"],
                discussed_on=form.cleaned_data["discussed_on"],
            )
        except ValidationError as error:  # closed meanwhile, by a second click or person
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, gettext("The revision %(year)s is closed and frozen.") % {"year": year}
            )
    return redirect("admin:revision", year)


def _content(choice: str) -> tuple[dict, str]:
    if choice == TODAY:
        sheets, _characteristics = snapshot.current_sheets()
        return snapshot.content_of(sheets), gettext("today")
    if not choice.isdigit():
        raise Http404
    frozen = get_object_or_404(Snapshot.objects.defer("workbook"), pk=int(choice))
    return frozen.content(), str(frozen)


def revision_compare(request: HttpRequest) -> HttpResponse:
    """Changes between two snapshots (`od`, `do`: a snapshot id or `dnes`), or as `Změny`."""
    old_choice, new_choice = request.GET.get("od", ""), request.GET.get("do", TODAY)
    if not old_choice:
        return redirect("admin:revisions")
    old, old_label = _content(old_choice)
    new, new_label = _content(new_choice)
    changes = compare.compare(old, new)
    if request.GET.get("format") == "xlsx":
        stream = io.BytesIO()
        with translation.override("cs"):  # the sheet is Czech, as the templates are
            writer = WorkbookWriter(stream)
            pack.write_changes(writer, changes)
            writer.close()
        stream.seek(0)
        return FileResponse(stream, as_attachment=True, filename=f"{pack.CHANGES}.xlsx")
    page = Paginator(changes, PER_PAGE * 3).get_page(request.GET.get("strana"))
    counts = {}
    for change in changes:
        kind = str(compare.KIND_PLURALS[change.kind])
        counts.setdefault(kind, {}).setdefault(change.action_label, 0)
        counts[kind][change.action_label] += 1
    context = _context(
        request,
        gettext("Changes from %(old)s to %(new)s") % {"old": old_label, "new": new_label},
        page=page,
        counts=counts,
        total=len(changes),
        old_choice=old_choice,
        new_choice=new_choice,
        snapshots=_snapshot_choices(),
    )
    return TemplateResponse(request, "admin/revision_compare.html", context)
