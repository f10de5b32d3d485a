"""What WeasyPrint may load while it lays out a PDF: the project's own static files and the
figures rendered for this document, nothing else.

WeasyPrint follows every URL it meets (stylesheets, ``<img>``, ``url()`` in CSS, images
inside SVG). Its default fetcher would read ``file:///etc/passwd`` or call
``http://127.0.0.1:…`` (server-side request forgery) if such a URL ever reached the HTML, for
instance through a focal point's highlights text. The template escapes that text; this
fetcher is the second wall:

- ``https://imp-assess.invalid/static/<path>``: a file found by the staticfiles finders (or
  in ``STATIC_ROOT``), without ``..`` and only for a few harmless types (CSS, fonts, images);
- ``https://imp-assess.invalid/figures/<name>``: a figure given to the fetcher in memory (its
  bytes, or a figure still being rendered, waited for here: ``figure_renderer.FigureJob``);
- ``data:`` URLs of raster images only (PNG, JPEG, GIF, WebP): Plotly's SVG embeds heatmaps
  and colour bars as ``data:image/png`` images. A raster image is inert (it cannot point to
  anything else); ``data:`` of any other type (SVG, CSS, HTML, …) is refused;
- every other URL is refused: ``http:``, ``https:`` to any other host, ``file:``, ``ftp:``.

Documents are laid out with ``base_url=DOCUMENT_BASE_URL``, so the templates write plain
``{% static %}`` paths (``/static/…``) and ``/figures/…``. The ``.invalid`` top-level domain
is reserved (RFC 2606) and can never resolve, so a URL that slipped past this fetcher still
could not reach a real host.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

DOCUMENT_HOST = "imp-assess.invalid"
DOCUMENT_BASE_URL = f"https://{DOCUMENT_HOST}/"
STATIC_PREFIX = "/static/"
FIGURE_PREFIX = "/figures/"
ALLOWED_DATA_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
MAX_DATA_URL_BYTES = 20 * 1024 * 1024
ALLOWED_STATIC_TYPES = {
    ".css": "text/css",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
}


class PendingFigure(Protocol):
    """A figure being rendered (``exports.figure_renderer.FigureJob``)."""

    def svg(self) -> bytes: ...


class URLRefused(ValueError):
    """The URL is not one of the project's own static files or figures."""


class StaticOnlyURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves static files and in-memory figures only."""

    def __init__(self, figures: Mapping[str, bytes | PendingFigure] | None = None):
        super().__init__(timeout=1, allowed_protocols={"https"}, allow_redirects=False)
        self.figures = dict(figures or {})
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            return self._serve(url)
        except URLRefused:
            self.refused.append(url)
            raise

    def _serve(self, url: str) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return _data_url(url)
        parts = urlsplit(url)
        if (
            parts.scheme.lower() != "https"
            or (parts.hostname or "").lower() != DOCUMENT_HOST
            or parts.port is not None
            or parts.username is not None
        ):
            raise URLRefused(f"refused: {url[:200]}")
        path = unquote(parts.path)
        if "\\" in path or "\x00" in path or ".." in path.split("/"):
            raise URLRefused(f"refused: {url[:200]}")
        if path.startswith(FIGURE_PREFIX):
            name = path.removeprefix(FIGURE_PREFIX)
            if name not in self.figures:
                raise URLRefused(f"refused (unknown figure): {url[:200]}")
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            figure = self.figures[name]
            body = figure if isinstance(figure, bytes) else figure.svg()
            return URLFetcherResponse(url, body, headers={"Content-Type": content_type})
        if path.startswith(STATIC_PREFIX):
            file = static_file(path.removeprefix(STATIC_PREFIX))
            content_type = ALLOWED_STATIC_TYPES[file.suffix.lower()]
            return URLFetcherResponse(
                url, file.read_bytes(), headers={"Content-Type": content_type}
            )
        raise URLRefused(f"refused: {url[:200]}")


def _data_url(url: str) -> URLFetcherResponse:
    """An inline raster image (``data:image/png;base64,…``); every other type is refused."""
    header, comma, payload = url[5:].partition(",")
    if not comma or len(payload) > MAX_DATA_URL_BYTES:
        raise URLRefused(f"refused: {url[:80]}")
    media_type, *params = header.split(";")
    media_type = media_type.strip().lower()
    if media_type not in ALLOWED_DATA_TYPES:
        raise URLRefused(f"refused (data: of type {media_type or 'text/plain'}): {url[:80]}")
    try:
        if "base64" in (p.strip().lower() for p in params):
            body = base64.b64decode(payload, validate=True)
        else:
            body = unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        raise URLRefused(f"refused (malformed data: URL): {url[:80]}") from None
    return URLFetcherResponse(url[:80], body, headers={"Content-Type": media_type})


def static_file(relative: str) -> Path:
    """The file behind a static path, found like ``{% static %}`` finds it, or refused."""
    relative = posixpath.normpath(relative)
    if relative.startswith(("/", "../")) or relative in (".", ".."):
        raise URLRefused(f"refused: /static/{relative}")
    if Path(relative).suffix.lower() not in ALLOWED_STATIC_TYPES:
        raise URLRefused(f"refused (file type): /static/{relative}")
    found = finders.find(relative)
    candidates = [Path(found)] if found else []
    if settings.STATIC_ROOT:
        candidates.append(Path(settings.STATIC_ROOT) / relative)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise URLRefused(f"refused (no such static file): /static/{relative}")
