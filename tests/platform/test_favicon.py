"""/favicon.ico, which browsers request on every page, answers (it was a 404 everywhere)."""

import io
from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from PIL import Image

from imp_assess.favicon import favicon_svg


def test_favicon_ico_redirects_permanently_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.ico")


def test_static_icons_are_the_generated_ones(client):
    ico = Image.open(io.BytesIO(Path(finders.find("favicon.ico")).read_bytes()))
    assert ico.format == "ICO" and (32, 32) in ico.info["sizes"]
    with open(finders.find("favicon.svg"), encoding="utf-8") as svg:
        assert svg.read() == favicon_svg()


def test_every_page_links_its_icons(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert f'rel="icon" href="{static("favicon.svg")}"' in page
    assert f'rel="icon" href="{static("favicon.ico")}"' in page
