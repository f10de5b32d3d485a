"""The briefing deck (PowerPoint): read back with python-pptx, its charts compared with the
dashboards' selectors, its marking, notes and scope; the job flow through HTTP; the corporate
template; and LibreOffice Impress opening the file (headless conversion to PDF)."""

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from dashboards.selectors import mission_profile, portfolio
from exports import deck as deck_module
from exports.deck import briefing_deck_write, deck_slide_count
from exports.deck_template import TEMPLATE_MAIN
from exports.models import DeckTemplate, ExportJob, ExportKind, ExportStatus
from exports.services.running import requester_language
from missions.models import Membership, MembershipRole, Mission
from scoring.flags import flag_style
from security.models import UserProfile

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"


def _write(known_data, tmp_path, *, user, missions=("A", "B")) -> Path:
    personas = known_data.personas
    ids = {"A": personas.mission_a.pk, "B": personas.mission_b.pk}
    path = tmp_path / "deck.pptx"
    briefing_deck_write(
        path=path,
        user=user,
        mission_ids=[ids[m] for m in missions],
        period_id=known_data.current_period.pk,
    )
    return path


def _texts(slide) -> list[str]:
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return texts


def _charts(presentation) -> dict:
    return {
        shape.name: shape.chart
        for slide in presentation.slides
        for shape in slide.shapes
        if shape.has_chart
    }


def _values(chart) -> dict[str, tuple]:
    return {series.name: tuple(series.values) for series in chart.plots[0].series}


@pytest.fixture
def analyst_deck(known_data, tmp_path):
    Mission.objects.filter(pk=known_data.personas.mission_a.pk).update(is_demo=True)
    return _write(known_data, tmp_path, user=known_data.personas.analyst)


@pytest.mark.parametrize(
    ("missions", "heat_rows"), [(("A",), 12), (("A", "B"), 12), (("A", "B"), 1)]
)
def test_slide_count_for_n_missions(known_data, tmp_path, monkeypatch, missions, heat_rows):
    monkeypatch.setattr(deck_module, "HEAT_ROWS", heat_rows)
    path = _write(known_data, tmp_path, user=known_data.personas.analyst, missions=missions)
    slides = len(Presentation(str(path)).slides)
    assert slides == deck_slide_count(len(missions))
    assert slides == 1 + (len(missions) if heat_rows == 1 else 1) + 4 * len(missions)


def test_every_chart_is_a_native_chart_part_with_the_selectors_values(analyst_deck, known_data):
    presentation = Presentation(str(analyst_deck))
    personas = known_data.personas
    charts = _charts(presentation)
    pictures = [
        shape
        for slide in presentation.slides
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert not pictures  # nothing is an image
    for chart in charts.values():
        assert chart.part.content_type == CHART_CONTENT_TYPE
        assert chart.part.chart_workbook.xlsx_part is not None  # editable data
    for mission in (personas.mission_a, personas.mission_b):
        profile = mission_profile(
            user=personas.analyst, mission_id=mission.pk, period_id=known_data.current_period.pk
        )
        code = mission.code
        dims = profile.dimensions
        values = _values(charts[f"profile-{code}"])
        assert list(charts[f"profile-{code}"].plots[0].categories) == [d.code for d in dims]
        assert values["This quarter"] == tuple(d.score for d in dims)
        assert values["Target"] == tuple(float(d.target) for d in dims)
        assert values[f"Previous quarter ({known_data.previous_period.label})"] == tuple(
            d.previous_score for d in dims
        )
        flags = _values(charts[f"flags-{code}"])
        assert flags["shortfall"] == tuple(float(d.shortfall_count) for d in dims)
        assert flags["over-integration"] == tuple(float(d.over_integration_count) for d in dims)
        trend = charts[f"trend-{code}"]
        assert list(trend.plots[0].categories) == [p.label for p in profile.periods]
        trend_values = _values(trend)
        assert trend_values["Integration level (higher is not better)"] == profile.index_trend
        assert trend_values["Target alignment"] == profile.alignment_trend
        # Two missions are too few for a peer median under the disclosure rule: no series.
        assert all(point.median is None for point in profile.peer)
        assert not any(name.startswith("Peer median") for name in trend_values)
        barriers = charts[f"barriers-{code}"]
        assert list(barriers.plots[0].categories) == [t.label for t in profile.top_barriers]
        assert _values(barriers)["Times tagged"] == tuple(
            float(t.count) for t in profile.top_barriers
        )
    enablers = charts[f"enablers-{personas.mission_a.code}"]
    profile_a = mission_profile(
        user=personas.analyst,
        mission_id=personas.mission_a.pk,
        period_id=known_data.current_period.pk,
    )
    assert _values(enablers)["Times tagged"] == tuple(
        float(t.count) for t in profile_a.top_enablers
    )
    assert f"enablers-{personas.mission_b.code}" not in charts  # none tagged: said in text


def test_the_peer_median_follows_the_disclosure_rule(known_data, tmp_path, monkeypatch):
    """With the analysts' threshold lowered to one peer, the median shows, with the selector's
    values; a focal point, under the mission staff's rule, gets no median from two missions."""
    from dashboards import disclosure

    monkeypatch.setattr(
        disclosure, "ANALYSTS", disclosure.PeerRule("analysts", 1, 1, True, False), raising=True
    )
    path = _write(known_data, tmp_path, user=known_data.personas.analyst)
    profile = mission_profile(
        user=known_data.personas.analyst,
        mission_id=known_data.personas.mission_a.pk,
        period_id=known_data.current_period.pk,
    )
    medians = tuple(point.median for point in profile.peer)
    assert any(value is not None for value in medians)
    trend = _values(_charts(Presentation(str(path)))["trend-MSN-A"])
    assert trend["Peer median, integration level (comparable missions, anonymous)"] == medians
    alignment_medians = tuple(point.median for point in profile.alignment_peer)
    assert (
        trend["Peer median, target alignment (comparable missions, anonymous)"] == alignment_medians
    )
    staff = _write(known_data, tmp_path, user=known_data.personas.focal_point_a, missions=("A",))
    trend = _values(_charts(Presentation(str(staff)))["trend-MSN-A"])
    assert not any(name.startswith("Peer median") for name in trend)


def test_heat_table_shows_the_portfolio_selector_in_the_flag_colours(analyst_deck, known_data):
    presentation = Presentation(str(analyst_deck))
    personas = known_data.personas
    chosen = portfolio(user=personas.analyst, period_id=known_data.current_period.pk)
    table = next(
        shape.table
        for shape in presentation.slides[1].shapes
        if shape.has_table and shape.name == "Portfolio heat table"
    )
    header = [cell.text for cell in table.rows[0].cells]
    assert header[: 1 + len(chosen.dimensions)] == ["Mission", *[d.code for d in chosen.dimensions]]
    for position, row in enumerate(chosen.rows, start=1):
        cells = table.rows[position].cells
        assert cells[0].text == row.mission.label
        for column, cell in enumerate(row.cells, start=1):
            assert cells[column].text.startswith(f"{cell.score:.1f}")
            style = flag_style(cell.flag)
            assert cells[column].text.endswith(style.symbol)
            assert str(cells[column].fill.fore_color.rgb) == style.colour.lstrip("#")
        after = len(row.cells) + 1
        assert cells[after].text == f"{row.alignment:.0f}"
        assert cells[after + 1].text == f"{row.shortfall:.0f} ({row.shortfall_count})"
        assert cells[after + 2].text == (
            f"{row.over_integration:.0f} ({row.over_integration_count})"
        )
        if row.over_integration_count:
            assert str(cells[after + 2].fill.fore_color.rgb) == "0072B2"


def test_marking_on_every_slide_demo_where_shown_and_notes_with_provenance(
    analyst_deck, known_data, settings
):
    presentation = Presentation(str(analyst_deck))
    marking = settings.CLASSIFICATION_MARKING
    for number, slide in enumerate(presentation.slides, start=1):
        footer = next(s for s in slide.shapes if s.name == "Classification marking")
        assert footer.text_frame.text.startswith(marking), number
        assert footer.top + footer.height <= presentation.slide_height
        assert footer.top > presentation.slide_height - Emu(914400)  # in the last inch
        notes = slide.notes_slide.notes_text_frame.text
        assert f"Classification: {marking}" in notes
        assert "Questionnaire version: TEST v1" in notes
        # The method that scored the quarter: 2, the test questionnaire having no safeguards.
        assert "Scoring method version: imp-score-2.0" in notes
        assert "Completeness: 100 %" in notes
        assert "Data extracted: " in notes
        title = slide.shapes.title.text_frame.text
        shows_a = number <= 2 or title.startswith("MSN-A")
        assert ("DEMO DATA" in footer.text_frame.text) == shows_a, title
    headline = next(
        s for s in presentation.slides[2].shapes if s.name == "Target alignment"
    ).text_frame.text
    profile = mission_profile(
        user=known_data.personas.analyst,
        mission_id=known_data.personas.mission_a.pk,
        period_id=known_data.current_period.pk,
    )
    assert headline == f"Target alignment: {profile.alignment:.0f} / 100"
    over = next(s for s in presentation.slides[2].shapes if s.name == "Over-integration")
    assert str(over.fill.fore_color.rgb) == "0072B2"
    assert over.text_frame.text.startswith("▲ over-integration: ")


def _package_text(path: Path) -> str:
    """Every XML part of the file (slides, notes, charts) and each chart's workbook cells."""
    parts = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            data = package.read(name)
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(data)) as workbook:
                    parts.extend(workbook.read(n).decode() for n in workbook.namelist())
            elif name.endswith((".xml", ".rels")):
                parts.append(data.decode())
    return "\n".join(parts)


def test_a_focal_points_deck_through_http_holds_no_other_mission(
    client, known_data, django_capture_on_commit_callbacks, tmp_path
):
    personas = known_data.personas
    client.force_login(personas.focal_point_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exports:briefing_deck"),
            {"deck-period": known_data.current_period.pk, "deck-missions": [personas.mission_a.pk]},
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "exports:job", args=[job.pk]
    )
    assert job.kind == ExportKind.BRIEFING_DECK and job.status == ExportStatus.DONE
    assert (
        job.progress == 100
        and job.filename == f"briefing-deck-{known_data.current_period.label}.pptx"
    )
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].endswith("presentationml.presentation")
    path = tmp_path / "downloaded.pptx"
    path.write_bytes(b"".join(download.streaming_content))
    assert len(Presentation(str(path)).slides) == deck_slide_count(1)
    text = _package_text(path)
    assert "MSN-A" in text
    for other in ("MSN-B", "Mission B"):
        assert other not in text
    # The export log lists it for administrators.
    client.force_login(personas.admin)
    assert job in client.get(reverse("exports:index")).context["log"]


def test_the_exports_page_offers_focal_points_only_their_mission(client, known_data):
    personas = known_data.personas
    client.force_login(personas.focal_point_a)
    form = client.get(reverse("exports:index")).context["deck_form"]
    assert list(form.fields["missions"].queryset) == [personas.mission_a]
    client.force_login(personas.respondent_a)
    assert client.get(reverse("exports:index")).context["deck_form"] is None


def test_a_focal_point_who_became_a_respondent_cannot_download_the_deck(
    client, known_data, django_capture_on_commit_callbacks
):
    personas = known_data.personas
    client.force_login(personas.focal_point_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exports:briefing_deck"),
            {"deck-period": known_data.current_period.pk, "deck-missions": [personas.mission_a.pk]},
        )
    job = ExportJob.objects.get()
    Membership.objects.filter(user=personas.focal_point_a).update(
        role=MembershipRole.RESPONDENT, component="political"
    )
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 403


def test_the_file_is_written_in_the_requesters_language(known_data, settings):
    user = known_data.personas.analyst
    assert requester_language(user) == settings.LANGUAGE_CODE
    UserProfile.objects.create(user=user, language="fr")
    assert requester_language(user) == "fr"


# --- the corporate template --------------------------------------------------------------------


def _corporate_template(*, potx: bool) -> bytes:
    """python-pptx's default template with its layouts renamed, saved as .potx or .pptx."""
    presentation = Presentation()
    for layout in presentation.slide_layouts:
        layout.name = f"Corporate {layout.name}"
    presentation.slides.add_slide(presentation.slide_layouts[0])  # dropped by the deck
    buffer = io.BytesIO()
    presentation.save(buffer)
    if not potx:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"presentationml.presentation.main+xml", b"presentationml.template.main+xml"
                )
                assert TEMPLATE_MAIN in content
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize("potx", [True, False])
def test_an_uploaded_template_gives_the_deck_its_layouts(client, known_data, tmp_path, potx):
    personas = known_data.personas
    client.force_login(personas.admin)
    extension = "potx" if potx else "pptx"
    response = client.post(
        reverse("admin:exports_decktemplate_add"),
        {
            "name": "House style",
            "file": SimpleUploadedFile(f"house.{extension}", _corporate_template(potx=potx)),
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    template = DeckTemplate.objects.get()
    assert template.uploaded_by == personas.admin and template.is_active
    assert template.file.name.startswith("deck-templates/")
    path = _write(known_data, tmp_path, user=personas.analyst)
    presentation = Presentation(str(path))
    assert len(presentation.slides) == deck_slide_count(2)  # the template's slide is gone
    layouts = {slide.slide_layout.name for slide in presentation.slides}
    assert layouts == {"Corporate Title Slide", "Corporate Title Only"}


def test_a_new_active_template_replaces_the_old_one_and_bad_files_are_refused(client, known_data):
    client.force_login(known_data.personas.admin)
    url = reverse("admin:exports_decktemplate_add")
    for name in ("First", "Second"):
        client.post(
            url,
            {
                "name": name,
                "file": SimpleUploadedFile("t.pptx", _corporate_template(potx=False)),
                "is_active": "on",
            },
        )
    assert list(DeckTemplate.objects.filter(is_active=True).values_list("name", flat=True)) == [
        "Second"
    ]
    refused = client.post(
        url, {"name": "Bad", "file": SimpleUploadedFile("t.pptx", b"not a zip"), "is_active": "on"}
    )
    assert refused.status_code == 200
    assert "This is not a valid PowerPoint (.pptx, .potx) file." in refused.content.decode()
    wrong = client.post(
        url, {"name": "Bad", "file": SimpleUploadedFile("t.txt", b"text"), "is_active": "on"}
    )
    assert "Upload a .potx or .pptx file." in wrong.content.decode()
    assert DeckTemplate.objects.count() == 2


def test_deleting_a_template_deletes_its_file_and_the_default_applies(
    client, known_data, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(known_data.personas.admin)
    client.post(
        reverse("admin:exports_decktemplate_add"),
        {
            "name": "House style",
            "file": SimpleUploadedFile("t.pptx", _corporate_template(potx=False)),
            "is_active": "on",
        },
    )
    template = DeckTemplate.objects.get()
    storage, name = template.file.storage, template.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:exports_decktemplate_delete", args=[template.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not DeckTemplate.objects.exists() and not storage.exists(name)
    path = _write(known_data, tmp_path, user=known_data.personas.analyst)
    layouts = {slide.slide_layout.name for slide in Presentation(str(path)).slides}
    assert layouts == {"Title Slide", "Title Only"}  # python-pptx's default template


# --- LibreOffice Impress -----------------------------------------------------------------------


@pytest.mark.usefixtures("requires_soffice")
def test_libreoffice_impress_opens_the_deck_and_the_first_slides_render(analyst_deck, tmp_path):
    """A headless conversion to PDF: a file LibreOffice must repair does not convert cleanly
    (or loses slides). The first slides are rendered to PNG for the docs."""
    result = subprocess.run(
        [
            shutil.which("soffice"),
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(analyst_deck),
        ],
        capture_output=True,
        text=True,
        timeout=600,  # a generous bound: LibreOffice starts slowly on a busy machine
        check=False,
    )
    pdf = tmp_path / "deck.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    assert "repair" not in (result.stdout + result.stderr).lower()
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) == deck_slide_count(2)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "UN CONFIDENTIAL" in text and "Target alignment" in text
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        for old in ARTIFACTS.glob("deck-*.png"):
            old.unlink()
        first_five = ["-f", "1", "-l", "5"]
        subprocess.run(
            ["pdftoppm", "-png", "-r", "96", *first_five, str(pdf), str(ARTIFACTS / "deck")],
            check=True,
        )
        # pdftoppm pads the page number to the width of the page count (deck-1 or deck-01).
        pngs = sorted(ARTIFACTS.glob("deck-*.png"))
        assert len(pngs) == 5 and all(png.stat().st_size > 5_000 for png in pngs)
