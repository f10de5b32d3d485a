"""WeasyPrint may load the project's own static files and this document's figures, and
nothing else: no other host, no local file, no data: URL (server-side request forgery and
local file disclosure through a hostile highlights text)."""

import base64
import socket
import threading

import pytest
from weasyprint import HTML

from assessments.models import Assessment
from exports.fetcher import DOCUMENT_BASE_URL, StaticOnlyURLFetcher, URLRefused
from exports.pdf import scorecard_pdf_write
from tests.exports.test_pdf import _text

BASE = DOCUMENT_BASE_URL.rstrip("/")


@pytest.fixture
def listener():
    """A TCP port on 127.0.0.1 that records every connection made to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    connections: list = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _address = server.accept()
            except OSError:
                continue
            connections.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join(timeout=2)
    server.close()


def test_fetcher_serves_the_projects_static_files():
    fetcher = StaticOnlyURLFetcher()
    response = fetcher.fetch(f"{BASE}/static/exports/document.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()
    assert fetcher.fetch(f"{BASE}/static/css/imp.css").read()


def test_fetcher_serves_inline_raster_images_that_plotly_embeds_in_its_svg():
    png = b"\x89PNG\r\n\x1a\n"
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    response = StaticOnlyURLFetcher().fetch(url)
    assert response.content_type == "image/png"
    assert response.read() == png


def test_fetcher_serves_the_documents_figures_only():
    fetcher = StaticOnlyURLFetcher(figures={"radar-1.svg": b"<svg/>"})
    assert fetcher.fetch(f"{BASE}/figures/radar-1.svg").read() == b"<svg/>"
    with pytest.raises(URLRefused):
        fetcher.fetch(f"{BASE}/figures/radar-2.svg")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/static/css/imp.css",
        "http://imp-assess.invalid/static/css/imp.css",
        "https://imp-assess.invalid:8443/static/css/imp.css",
        "https://user@imp-assess.invalid/static/css/imp.css",
        "file:///etc/passwd",
        "file:///work/main/static/css/imp.css",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "data:text/css,body{}",
        "data:text/html,<img src=x>",
        "data:,plain",
        "data:image/png;base64,not base64!",
        "ftp://127.0.0.1/x",
        f"{BASE}/static/../../../../etc/passwd",
        f"{BASE}/static/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE}/static/..%2f..%2fetc/passwd",
        f"{BASE}/static/js/autosave.js",  # not a type a document needs
        f"{BASE}/static/no/such/file.css",
        f"{BASE}/etc/passwd",
        f"{BASE}/admin/",
    ],
)
def test_fetcher_refuses_every_other_url(url):
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(URLRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_weasyprint_with_the_fetcher_never_reaches_out(listener, tmp_path):
    port, connections = listener
    fetcher = StaticOnlyURLFetcher()
    html = f"""<html><head>
      <link rel="stylesheet" href="http://127.0.0.1:{port}/evil.css">
      <style>body {{ background: url("http://127.0.0.1:{port}/bg.png"); }}</style>
      </head><body>
      <img src="http://127.0.0.1:{port}/x.png"><img src="file:///etc/passwd">
      <p>text</p></body></html>"""
    pdf = HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=fetcher).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert connections == []
    assert f"http://127.0.0.1:{port}/x.png" in fetcher.refused
    assert "file:///etc/passwd" in fetcher.refused
    assert b"root:x:0:0" not in pdf


@pytest.mark.django_db
@pytest.mark.usefixtures("requires_chromium")
def test_hostile_highlights_are_printed_as_text_and_never_fetched(
    known_data, tmp_path, listener, monkeypatch
):
    port, connections = listener
    hostile = (
        f'<img src="http://127.0.0.1:{port}/x.png"> and <img src="file:///etc/passwd"> '
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">'
    )
    Assessment.objects.filter(pk=known_data.assessment("A", "current").pk).update(
        highlights=hostile
    )
    asked: list[str] = []
    original = StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyURLFetcher, "fetch", spy)
    path = tmp_path / "scorecard.pdf"
    scorecard_pdf_write(
        path=path,
        user=known_data.personas.analyst,
        mission_id=known_data.personas.mission_a.pk,
        period_id=known_data.current_period.pk,
    )
    text = " ".join(_text(path).split())
    # Escaped by the template: the markup is shown, not followed.
    assert f'<img src="http://127.0.0.1:{port}/x.png">' in text
    assert '<img src="file:///etc/passwd">' in text
    assert "root:x:0:0" not in text
    assert connections == []
    # WeasyPrint asked for the stylesheet and the figures, nothing from the highlights.
    assert all(url.startswith(DOCUMENT_BASE_URL) for url in asked), asked
