"""The coordinator's workbook page: download the templates, upload an edited workbook, preview
what it would change and confirm it."""

import io

from django import forms
from django.contrib import admin, messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import WorkbookUpload
from .export import TEMPLATE_SHEETS, export_workbook, workbook_filename
from .importer import import_workbook, preview_workbook
from .limits import MAX_FILE_BYTES
from .plan import ImportConflict

SHOWN = 300


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Edited workbook (.xlsx)"))
    end_missing = forms.BooleanField(
        label=_("End the active actors that the file no longer lists"),
        required=False,
        help_text=_("Without it, actors missing from the file are only listed."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB); at most %(limit)s MB.")
                % {"size": upload.size // (1024 * 1024), "limit": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


def workbook_view(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload = WorkbookUpload.objects.create(
            name=form.cleaned_data["file"].name[:255],
            content=form.cleaned_data["file"].read(),
            uploaded_by=request.user,
            end_missing=form.cleaned_data["end_missing"],
        )
        return redirect("admin:workbook_preview", upload.pk)
    context = {
        **admin.site.each_context(request),
        "title": gettext("Workbook of the templates"),
        "sheets": TEMPLATE_SHEETS,
        "filename": workbook_filename(),
        "form": form,
        "uploads": WorkbookUpload.objects.select_related("uploaded_by").defer("content")[:10],
    }
    return TemplateResponse(request, "admin/workbook.html", context)


def workbook_preview(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(WorkbookUpload, pk=pk)
    data = bytes(upload.content)
    result = None
    if request.method == "POST" and upload.applied_at is None:
        try:
            result = import_workbook(
                data,
                user=request.user,
                end_missing=upload.end_missing,
                expected_digest=request.POST.get("digest", ""),
            )
        except ImportConflict as conflict:
            messages.error(request, str(conflict))
        else:
            if not result.refused:
                upload.applied_at = timezone.now()
                upload.summary = summary(result, upload.end_missing)
                upload.save(update_fields=["applied_at", "summary", "sha256"])
                messages.success(request, gettext("The workbook was imported: %s") % upload.summary)
                return redirect("admin:workbook")
    preview, _ = preview_workbook(data)
    if result is not None:
        # What refused the confirmed import and the new preview does not show (the database
        # refused a write): said above the preview, or the coordinator would not know why.
        shown = set(map(_where, preview.errors))
        for problem in result.errors:
            if _where(problem) not in shown:
                messages.error(request, problem.located())
    sections = preview.sections
    context = {
        **admin.site.each_context(request),
        "title": gettext("Import preview: %s") % upload.name,
        "upload": upload,
        "preview": preview,
        "errors": preview.errors,
        "warnings": [p for p in preview.problems if p.warning],
        "sections": sections,
        "shown": f":{SHOWN}",
        "shown_count": SHOWN,
        "cut": any(
            len(rows) > SHOWN
            for s in sections
            for rows in (s.plan.added, s.plan.changed, s.missing)
        ),
        "digest": preview.digest(),
    }
    return TemplateResponse(request, "admin/workbook_preview.html", context)


def summary(preview, end_missing: bool) -> str:
    parts = [
        gettext("%(sheet)s: %(added)s added, %(changed)s changed, %(ended)s ended")
        % {
            "sheet": section.title,
            "added": len(section.plan.added),
            "changed": len(section.plan.changed),
            "ended": len(section.plan.missing) if end_missing and section.ends_missing else 0,
        }
        for section in preview.sections
    ]
    return "; ".join(parts) or gettext("no sheet to import")


def workbook_download(request: HttpRequest) -> FileResponse:
    """The whole workbook, or one template sheet (`?list=<sheet name>`), as the coordinator's
    full export (private notes and coordinator-only characteristics included)."""
    sheet = request.GET.get("list")
    if sheet is not None and sheet not in TEMPLATE_SHEETS:
        raise Http404
    stream = io.BytesIO()
    export_workbook(stream, user=request.user, sheets=[sheet] if sheet else None)
    stream.seek(0)
    filename = workbook_filename()
    if sheet:
        filename = filename.replace("Plán sítě", sheet, 1)
    return FileResponse(stream, as_attachment=True, filename=filename)


def _where(problem) -> tuple:
    return (problem.sheet, problem.row, problem.column, problem.message)
