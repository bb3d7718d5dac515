from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    default = True
    name = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from . import sqlite

        sqlite.connect()


class NetworkAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "network.admin_site.NetworkAdminSite"
