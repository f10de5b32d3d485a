"""Where export files live: Django's storage API, under the ``exports`` alias of ``STORAGES``.

Every export file is written, opened, listed and deleted through ``exports_storage()``, so the
backend is a setting: by default ``ExportsFileSystemStorage`` on disk under ``EXPORTS_ROOT``
(one volume shared by the web and worker containers), or S3-compatible object storage through
django-storages on a deployment with several hosts (docs/deployment.md). Files never get a
public URL: the download view streams them after checking who asks.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import cached_property

ALIAS = "exports"


class ExportsFileSystemStorage(FileSystemStorage):
    """Files on disk under ``settings.EXPORTS_ROOT`` (read when first used, and again when the
    setting changes, as in tests), with no URL: they are served by a view only."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.EXPORTS_ROOT)

    @cached_property
    def base_url(self):
        return None

    def url(self, name):
        raise NotImplementedError("Export files have no URL; they are served by a view.")


def exports_storage() -> Storage:
    return storages[ALIAS]


@receiver(setting_changed)
def _exports_root_changed(*, setting, **kwargs) -> None:
    if setting == "EXPORTS_ROOT":
        storage = storages[ALIAS]
        for name in ("base_location", "location"):
            storage.__dict__.pop(name, None)
