"""The coordinator's workspace: the Django admin, open to coordinators only."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .roles import is_coordinator


class NetworkAdminSite(admin.AdminSite):
    site_header = _("Network map")
    site_title = _("Network map")
    index_title = _("Coordinator's workspace")
    # The list of actors needs the full width for its columns and filters.
    enable_nav_sidebar = False

    def has_permission(self, request):
        return is_coordinator(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            # Logged-in users without the coordinator's role are refused, not sent to a login
            # form they have already passed (DOMAIN.md §1: the workspace is the coordinator's).
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        return super().login(request, extra_context)

    def get_urls(self):
        from .need_tree import need_tree_view
        from .quality import data_quality_view
        from .revisions import views as revisions
        from .workbook.views import workbook_download, workbook_preview, workbook_view

        return [
            path("kvalita-dat/", self.admin_view(data_quality_view), name="data_quality"),
            path("strom-potreb/", self.admin_view(need_tree_view), name="need_tree"),
            path("sesit/", self.admin_view(workbook_view), name="workbook"),
            path("sesit/stahnout/", self.admin_view(workbook_download), name="workbook_download"),
            path(
                "sesit/import/<int:pk>/",
                self.admin_view(workbook_preview),
                name="workbook_preview",
            ),
            path("revize/", self.admin_view(revisions.revisions_view), name="revisions"),
            path(
                "revize/porovnani/",
                self.admin_view(revisions.revision_compare),
                name="revision_compare",
            ),
            path("revize/<int:year>/", self.admin_view(revisions.revision_view), name="revision"),
            path(
                "revize/<int:year>/zaznamy/",
                self.admin_view(revisions.revision_records),
                name="revision_records",
            ),
            path(
                "revize/<int:year>/sesit/",
                self.admin_view(revisions.revision_workbook),
                name="revision_workbook",
            ),
            path(
                "revize/<int:year>/uzavrit/",
                self.admin_view(revisions.revision_close),
                name="revision_close",
            ),
            *super().get_urls(),
        ]
