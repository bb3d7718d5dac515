"""Records of the whole-network layer: the workbooks uploaded for import."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkbookUpload(models.Model):
    """An uploaded workbook, kept from its preview to its confirmation (and as a record after)."""

    name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    end_missing = models.BooleanField(_("end actors missing from the file"), default=False)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("uploaded workbook")
        verbose_name_plural = _("uploaded workbooks")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.sha256 = hashlib.sha256(bytes(self.content)).hexdigest()
        super().save(*args, **kwargs)
