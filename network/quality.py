"""The coordinator's data-quality page (filled in by a follow-up change)."""

from django.template.response import TemplateResponse


def data_quality_view(request):
    return TemplateResponse(request, "admin/data_quality.html", {})
