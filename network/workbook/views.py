"""The coordinator's workbook page: download the templates (import follows in the same place)."""

import io

from django.contrib import admin
from django.http import FileResponse, Http404, HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from .export import TEMPLATE_SHEETS, export_workbook, workbook_filename


def workbook_view(request: HttpRequest) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": gettext("Workbook of the templates"),
        "sheets": TEMPLATE_SHEETS,
        "filename": workbook_filename(),
    }
    return TemplateResponse(request, "admin/workbook.html", context)


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
