"""Issue 25, item 2, on method v3's gated headline: a component-level reader (a respondent)
sees no v3 alignment figure, shown or uncapped, on any surface (home page, mission profile,
board, scorecard PDF, data export, API), where an indicator in it is withheld from them
(``scoring.confidentiality``: here every indicator, since only the respondent's own
component answered); the counts (critical findings) and the coverage still reach them. The
focal point and the analyst read every answer and still see the exact alignment. Where the
rule lets a respondent see the v3 alignment: ``test_component_figures_v3``."""

import csv
import io
import re
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from exports.models import ExportJob
from scoring.confidentiality import headline_for_reader
from scoring.headline import headline_of
from scoring.models import ScoreSet
from scoring.services import assessment_scores_compute
from tests.api.conftest import bearer, token_for
from tests.assessments.conftest import current_period as current_period  # the fixture
from tests.dashboards.test_disclosure import no_browser as no_browser  # the fixture
from tests.scoring.test_method_v3_storage import (  # noqa: F401 (fixture)
    _answer_all,
    _complete,
    assessment_v3,
)

pytestmark = pytest.mark.django_db

READERS = ["focal_point_a", "analyst"]


@pytest.fixture
def breached(personas, assessment_v3, django_capture_on_commit_callbacks):  # noqa: F811
    """Mission A's quarter scored with method 3: HUM-02 at 5, a critical finding, and an
    alignment figure (enough answers)."""
    response = _answer_all(assessment_v3, personas.respondent_a, HUM_02="5")
    _complete(response, personas.respondent_a, django_capture_on_commit_callbacks)
    score_set = assessment_scores_compute(assessment_id=assessment_v3.pk, method=3)
    stored = ScoreSet.objects.get(pk=score_set.pk)
    assert stored.critical_count >= 1
    assert stored.alignment is not None and stored.uncapped_alignment is not None
    return stored


def _headline_html(page: str) -> str:
    match = re.search(r'<div class="headline".*?</div>', page, re.DOTALL)
    assert match, "no headline on the page"
    return match.group(0)


def _withheld(html: str, stored: ScoreSet) -> None:
    assert "alignment not shown" in html and 'data-withheld="alignment"' in html
    assert f"alignment {stored.alignment:.0f}" not in html
    assert "uncapped" not in html
    assert f'data-critical="{stored.critical_count}"' in html
    assert f"{stored.critical_count} critical finding" in html
    assert f"coverage {round(stored.coverage * 100)} %" in html


def _shown(html: str, stored: ScoreSet) -> None:
    assert "alignment not shown" not in html
    assert f"alignment {stored.alignment:.0f}" in html
    assert f"{stored.critical_count} critical finding" in html


def test_the_rule_blanks_the_alignment_and_keeps_the_counts(breached):
    headline = headline_of(breached)
    assert headline is not None
    assert headline_for_reader(headline, withheld=False) == headline
    shown = headline_for_reader(headline, withheld=True)
    assert shown.alignment is None and shown.uncapped_alignment is None
    assert shown.alignment_withheld and shown.alignment_text == "alignment not shown"
    assert shown.critical_count == headline.critical_count
    assert shown.unverified_count == headline.unverified_count
    assert shown.contested_count == headline.contested_count
    assert shown.coverage == headline.coverage
    assert shown.text.startswith(f"◆ {headline.critical_count} critical finding")
    assert f"{headline.alignment:.0f}" not in shown.text.split("·", 1)[1]


def test_the_respondents_home_page_shows_no_v3_alignment(client, personas, breached):
    client.force_login(personas.respondent_a)
    _withheld(_headline_html(client.get(reverse("home")).content.decode()), breached)


@pytest.mark.parametrize("persona", READERS)
def test_readers_of_every_answer_see_the_alignment_at_home(client, personas, breached, persona):
    client.force_login(getattr(personas, persona))
    _shown(_headline_html(client.get(reverse("home")).content.decode()), breached)


def _profile(client, user, stored) -> str:
    client.force_login(user)
    url = reverse("dashboards:profile", args=[stored.mission_id])
    response = client.get(url + f"?period={stored.period_id}")
    assert response.status_code == 200
    return _headline_html(response.content.decode())


def test_the_respondents_profile_shows_no_v3_alignment(client, personas, breached):
    _withheld(_profile(client, personas.respondent_a, breached), breached)


@pytest.mark.parametrize("persona", READERS)
def test_readers_of_every_answer_see_the_alignment_on_the_profile(
    client, personas, breached, persona
):
    _shown(_profile(client, getattr(personas, persona), breached), breached)


def _board_headline(client, user, stored):
    client.force_login(user)
    response = client.get(reverse("assessments:board", args=[stored.assessment_id]))
    assert response.status_code == 200
    return response.context["scores"].headline


def test_the_respondents_board_carries_no_v3_alignment(client, personas, breached):
    headline = _board_headline(client, personas.respondent_a, breached)
    assert headline.alignment is None and headline.uncapped_alignment is None
    assert headline.alignment_withheld
    assert headline.critical_count == breached.critical_count


@pytest.mark.parametrize("persona", READERS)
def test_readers_of_every_answer_see_the_alignment_on_the_board(
    client, personas, breached, persona
):
    headline = _board_headline(client, getattr(personas, persona), breached)
    assert headline.alignment == pytest.approx(breached.alignment)
    assert not headline.alignment_withheld


def _api_row(client, user, stored) -> dict:
    key = token_for(user, second_factor_verified=True)
    response = client.get(reverse("api:assessments"), **bearer(key))
    assert response.status_code == 200
    (row,) = [r for r in response.json()["results"] if r["id"] == stored.assessment_id]
    return row


def test_the_api_gives_the_respondent_no_v3_alignment(client, personas, breached):
    row = _api_row(client, personas.respondent_a, breached)
    assert row["alignment_shown"] is None and row["alignment_uncapped"] is None
    assert row["critical_findings"] == breached.critical_count
    assert row["coverage"] == pytest.approx(breached.coverage)


@pytest.mark.parametrize("persona", READERS)
def test_the_api_gives_readers_of_every_answer_the_alignment(client, personas, breached, persona):
    row = _api_row(client, getattr(personas, persona), breached)
    assert row["alignment_shown"] == pytest.approx(breached.alignment)
    assert row["alignment_uncapped"] == pytest.approx(breached.uncapped_alignment)


def _index(client, user, capture, stored) -> dict:
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("exports:data"), {"data-format": "csv"})
    assert response.status_code == 302
    job = ExportJob.objects.filter(created_by=user).latest("pk")
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content) if download.streaming else download.content
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
    (row,) = [r for r in rows if r["critical_findings"]]
    return row


def test_the_data_export_gives_the_respondent_no_v3_alignment(
    client, personas, breached, django_capture_on_commit_callbacks
):
    row = _index(client, personas.respondent_a, django_capture_on_commit_callbacks, breached)
    assert row["alignment_shown"] == "" and row["alignment_uncapped"] == ""
    assert row["critical_findings"] == str(breached.critical_count)
    assert float(row["coverage"]) == pytest.approx(breached.coverage)


@pytest.mark.parametrize("persona", READERS)
def test_the_data_export_gives_readers_of_every_answer_the_alignment(
    client, personas, breached, persona, django_capture_on_commit_callbacks
):
    user = getattr(personas, persona)
    row = _index(client, user, django_capture_on_commit_callbacks, breached)
    assert float(row["alignment_shown"]) == pytest.approx(breached.alignment)
    assert float(row["alignment_uncapped"]) == pytest.approx(breached.uncapped_alignment)


def _scorecard(client, user, stored) -> str:
    client.force_login(user)
    args = [stored.mission_id, stored.period_id]
    response = client.post(reverse("exports:mission_scorecard", args=args))
    assert response.status_code == 302
    download = client.get(response["Location"])
    body = b"".join(download.streaming_content)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    return " ".join(text.split())


def test_the_respondents_scorecard_pdf_shows_no_v3_alignment(
    client, personas, breached, no_browser
):
    text = _scorecard(client, personas.respondent_a, breached)
    assert "alignment not shown" in text
    assert f"alignment {breached.alignment:.0f}" not in text
    assert "uncapped" not in text
    assert f"{breached.critical_count} critical finding" in text


@pytest.mark.parametrize("persona", READERS)
def test_readers_of_every_answer_see_the_alignment_on_the_scorecard(
    client, personas, breached, persona, no_browser
):
    text = _scorecard(client, getattr(personas, persona), breached)
    assert "alignment not shown" not in text
    assert f"alignment {breached.alignment:.0f}" in text
