"""Method v3's gated headline on the summary surfaces: critical findings first, the capped
alignment with coverage beside it, "not enough answers" below the threshold. Through HTTP (home,
portfolio), the API (rows and schema) and the data export (CSV and XLSX)."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exports.csv_zip import data_csv_zip_write
from exports.tables import DataScope
from exports.xlsx import data_xlsx_write
from scoring.headline import headline_of
from scoring.models import ScoreSet
from scoring.services import assessment_scores_compute
from tests.api.conftest import bearer, token_for
from tests.scoring.test_method_v3_storage import (  # noqa: F401 (fixture)
    _answer_all,
    _complete,
    assessment_v3,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def breached(personas, assessment_v3, django_capture_on_commit_callbacks):  # noqa: F811
    """Mission A's quarter scored with method 3: HUM-02 at 5, a critical finding."""
    response = _answer_all(assessment_v3, personas.respondent_a, HUM_02="5")
    _complete(response, personas.respondent_a, django_capture_on_commit_callbacks)
    score_set = assessment_scores_compute(assessment_id=assessment_v3.pk, method=3)
    return ScoreSet.objects.get(pk=score_set.pk)


def test_the_headline_reads_critical_findings_first_and_caps_the_alignment(breached):
    headline = headline_of(breached)
    assert headline is not None and headline.gated
    assert headline.text.startswith(f"◆ {headline.critical_count} critical finding")
    if headline.enough_answers:
        assert headline.alignment <= 50
        assert "alignment" in headline.text
    else:
        assert "not enough answers" in headline.text
    assert f"coverage {round(headline.coverage * 100)} %" in headline.text


def test_a_v2_result_has_no_v3_headline(breached):
    v2 = assessment_scores_compute(assessment_id=breached.assessment_id, method=2)
    assert v2 is not None and v2.method_version == "imp-score-2.0"
    assert headline_of(v2) is None


@pytest.mark.parametrize("persona", ["respondent_a", "focal_point_a", "analyst", "admin"])
def test_every_role_home_shows_the_headline(client, personas, breached, persona):
    client.force_login(getattr(personas, persona))
    page = client.get(reverse("home")).content.decode()
    assert 'id="mission-headlines"' in page
    assert f'data-critical="{breached.critical_count}"' in page
    assert "critical finding" in page and "flag-critical" in page


def test_other_missions_staff_do_not_see_the_headline(client, personas, breached):
    client.force_login(personas.respondent_b)
    page = client.get(reverse("home")).content.decode()
    assert 'id="mission-headlines"' not in page


def test_the_portfolio_shows_the_headline_and_sorts_by_critical_findings(
    client, personas, breached
):
    client.force_login(personas.analyst)
    url = reverse("dashboards:portfolio") + f"?period={breached.period_id}&sort=-critical"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="headlines-table"' in html and "flag-critical" in html
    rows = list(csv.reader(io.StringIO(client.get(url + "&format=csv&chart=heatmap").text)))
    assert rows[0][1] == "Critical findings"
    assert rows[1][0].startswith("MSN-A")  # the mission with critical findings first
    assert rows[1][1].startswith("◆ ")
    assert all(row[1] == "—" for row in rows[2:])


def test_the_api_gives_the_headline_fields_and_documents_them(client, personas, breached):
    key = token_for(personas.analyst)
    body = client.get(reverse("api:assessments"), **bearer(key)).json()
    (row,) = [r for r in body["results"] if r["id"] == breached.assessment_id]
    assert row["critical_findings"] == breached.critical_count >= 1
    assert row["coverage"] == pytest.approx(breached.coverage)
    assert row["alignment_uncapped"] == pytest.approx(breached.uncapped_alignment)
    assert row["enough_answers"] is breached.enough_answers
    schema = client.get(reverse("api:schema") + "?format=json", **bearer(key))
    document = json.loads(schema.content)
    fields = document["components"]["schemas"]["Assessment"]["properties"]
    assert "integer" in fields["critical_findings"]["type"]
    assert "critical findings" in fields["critical_findings"]["description"]
    assert "boolean" in fields["enough_answers"]["type"]


def test_the_data_export_index_carries_the_headline(breached, tmp_path):
    data_csv_zip_write(path=tmp_path / "data.zip", scope=DataScope())
    with zipfile.ZipFile(tmp_path / "data.zip") as archive:
        text = io.TextIOWrapper(archive.open("index.csv"), encoding="utf-8", newline="")
        header, *rows = list(csv.reader(text))
    record = dict(zip(header, rows[0], strict=True))
    assert record["critical_findings"] == str(breached.critical_count)
    data_xlsx_write(path=tmp_path / "data.xlsx", scope=DataScope())
    sheet = load_workbook(tmp_path / "data.xlsx", read_only=True)["index"]
    header, first = [tuple(c.value for c in row) for row in sheet.iter_rows(max_row=2)]
    assert dict(zip(header, first, strict=False))["critical_findings"] == breached.critical_count


def test_the_scorecard_pdf_leads_with_the_headline(personas, breached, tmp_path):
    from exports.pdf import scorecard_pdf_write
    from tests.exports.test_pdf import _text

    path = tmp_path / "scorecard.pdf"
    scorecard_pdf_write(
        path=path,
        user=personas.analyst,
        mission_id=breached.mission_id,
        period_id=breached.period_id,
    )
    text = " ".join(_text(path).split())
    count = breached.critical_count
    assert f"{count} critical finding" in text
    assert "coverage" in text
    # Critical findings come before the rest of the card's figures.
    assert text.index(f"{count} critical finding") < text.index("coverage")


def test_the_scoring_finished_webhook_carries_the_headline(
    personas, breached, settings, django_capture_on_commit_callbacks
):
    from webhooks.models import Webhook, WebhookDelivery
    from webhooks.services import webhook_scores_stored

    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    settings.WEBHOOK_INTERNAL_RECEIVERS = ["127.0.0.1/32"]
    Webhook.objects.create(name="UN system", url="http://127.0.0.1:9/hook")
    with django_capture_on_commit_callbacks(execute=False):  # record the delivery, do not send
        webhook_scores_stored(assessment_id=breached.assessment_id)
    payloads = [d.payload for d in WebhookDelivery.objects.all()]
    scored = next(p for p in payloads if p["type"] == "scoring.finished")
    headline = scored["data"]["headline"]
    assert headline["critical_findings"] >= 1
    assert set(headline) == {
        "critical_findings",
        "unverified_safeguards",
        "contested_indicators",
        "enough_answers",
        "alignment_shown",
        "alignment_uncapped",
        "coverage",
    }


def test_the_mission_profile_leads_with_the_headline(client, personas, breached):
    client.force_login(personas.focal_point_a)
    url = reverse("dashboards:profile", args=[breached.mission_id])
    page = client.get(url + f"?period={breached.period_id}").content.decode()
    assert 'id="profile-headline"' in page
    assert f'data-critical="{breached.critical_count}"' in page
    assert page.index('id="profile-headline"') < page.index('id="profile-alignment"')


def test_the_briefing_packs_portfolio_page_leads_with_critical_findings(
    personas, breached, tmp_path
):
    from exports.pdf import briefing_pack_pdf_write
    from tests.exports.test_pdf import _text

    path = tmp_path / "pack.pdf"
    briefing_pack_pdf_write(
        path=path,
        user=personas.analyst,
        mission_ids=[breached.mission_id],
        period_id=breached.period_id,
    )
    first_page = " ".join(_text(path).split("\f")[0].split())
    assert "Critical findings" in first_page
    assert f"{breached.critical_count} critical finding" in first_page


def test_the_decks_heat_table_marks_critical_findings_under_the_mission(
    personas, breached, tmp_path
):
    from pptx import Presentation

    from exports.deck import briefing_deck_write

    path = tmp_path / "deck.pptx"
    briefing_deck_write(
        path=path,
        user=personas.analyst,
        mission_ids=[breached.mission_id],
        period_id=breached.period_id,
    )
    table = next(
        shape.table
        for slide in Presentation(str(path)).slides
        for shape in slide.shapes
        if shape.has_table and shape.name == "Portfolio heat table"
    )
    mission_cell = table.rows[1].cells[0]
    assert mission_cell.text.endswith(f"◆ {breached.critical_count}")
    assert str(mission_cell.fill.fore_color.rgb) == "D55E00"


def test_indicator_scores_carry_the_v3_finding(client, personas, breached):
    # Method 3 is current: each indicator row of its result says its finding, whether it is
    # contested and why its band applied.
    key = token_for(personas.analyst)
    body = client.get(reverse("api:indicator_scores"), {"page_size": 500}, **bearer(key)).json()
    hum_02 = next(r for r in body["results"] if r["indicator"] == "HUM-02")
    assert hum_02["method_version"] == "imp-score-3.0"
    assert hum_02["status"] == "critical"
    assert hum_02["band_reason"]
    assert hum_02["contested"] in (True, False)


def test_the_compare_dashboard_lists_each_missions_headline(client, personas, breached):
    client.force_login(personas.analyst)
    url = reverse("dashboards:compare") + (
        f"?missions={personas.mission_a.pk}&missions={personas.mission_b.pk}"
    )
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="headlines-table"' in html
    assert f'data-critical="{breached.critical_count}"' in html


def test_the_boards_scores_carry_the_headline_for_its_template(client, personas, breached):
    # board.html includes "scoring/_headline.html" with ``scores.headline`` (the lead places
    # it); the board's context already has it.
    client.force_login(personas.focal_point_a)
    response = client.get(reverse("assessments:board", args=[breached.assessment_id]))
    assert response.status_code == 200
    headline = response.context["scores"].headline
    assert headline is not None and headline.critical_count == breached.critical_count


def test_the_decks_mission_slide_leads_with_the_headline(personas, breached, tmp_path):
    from pptx import Presentation

    from exports.deck import briefing_deck_write

    path = tmp_path / "deck.pptx"
    briefing_deck_write(
        path=path,
        user=personas.analyst,
        mission_ids=[breached.mission_id],
        period_id=breached.period_id,
    )
    boxes = [
        shape
        for slide in Presentation(str(path)).slides
        for shape in slide.shapes
        if shape.name == "Critical findings"
    ]
    assert len(boxes) == 1
    assert boxes[0].text_frame.text.startswith(f"◆ {breached.critical_count} critical finding")
