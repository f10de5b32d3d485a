"""Issue 25, item 2: a figure shown to a respondent never gives another component's answer
back (``scoring.confidentiality``).

The attack: mission A's political respondent answered LEAD-01 with step 2, and only the
military answered it besides (step 5). The stored value is their mean, 3.5, so
``2 × value − own step`` = 5 is the military's answer. It is replayed through the API, the
profile's indicator CSV and a downloaded data export; the analyst and the focal point still
read the full figures.
"""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from assessments.services import (
    AnswerInput,
    response_answers_save,
    response_get_or_create,
    response_mark_complete,
    response_missing_indicators,
)
from exports.models import ExportJob
from scoring.confidentiality import MIN_OTHER_COMPONENTS, aggregate_shown
from scoring.models import DimensionScore, IndicatorScore
from scoring.services import assessment_scores_compute
from tests.api.conftest import token_for
from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)

pytestmark = pytest.mark.django_db

OWN_STEP = 2
MILITARY_STEP = 5


@pytest.fixture
def two_components_answered(personas, assessment_a_v2, military_respondent_a):
    for component, user, step in (
        ("political", personas.respondent_a, OWN_STEP),
        ("military", military_respondent_a, MILITARY_STEP),
    ):
        response = response_get_or_create(assessment=assessment_a_v2, component=component)
        asked = response_missing_indicators(response=response)
        response_answers_save(
            response=response,
            by=user,
            answers=[AnswerInput(code, str(step if code == "LEAD-01" else 3)) for code in asked],
        )
        response_mark_complete(response=response, by=user)
    assessment_scores_compute(assessment_id=assessment_a_v2.pk)
    stored = IndicatorScore.objects.get(
        score_set__assessment=assessment_a_v2, indicator_code="LEAD-01"
    )
    # The figure the attack needs is stored: two components, mean 3.5.
    assert (stored.counted, stored.value) == (2, 3.5)
    assert 2 * stored.value - OWN_STEP == MILITARY_STEP
    return assessment_a_v2


def _reconstructed(value: str) -> float | None:
    return 2 * float(value) - OWN_STEP if value else None


def _api_rows(user, path: str, client) -> list[dict]:
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    assert response.status_code == 200
    return response.json()["results"]


def test_the_api_no_longer_gives_the_other_components_answer(
    personas, two_components_answered, client
):
    rows = _api_rows(personas.respondent_a, "/api/v1/scores/indicators/", client)
    lead = next(row for row in rows if row["indicator"] == "LEAD-01")
    assert lead["value"] is None and lead["spread"] is None and lead["distance"] is None
    assert lead["flag"]  # the finding is still there, without the value
    dimensions = _api_rows(personas.respondent_a, "/api/v1/scores/dimensions/", client)
    lead_dimension = next(row for row in dimensions if row["dimension"] == "LEAD")
    assert lead_dimension["score"] is None and lead_dimension["divergence"] is None


def test_the_profile_indicator_csv_no_longer_gives_the_other_components_answer(
    personas, two_components_answered, client
):
    client.force_login(personas.respondent_a)
    url = reverse("dashboards:profile", args=[personas.mission_a.pk])
    text = client.get(url + "?format=csv&chart=indicator_flags").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][2] == "Value"
    lead = next(row for row in rows[1:] if row[0] == "LEAD-01")
    assert _reconstructed(lead[2]) is None and lead[4] == ""  # no value, no distance
    assert lead[5]  # the flag is kept
    components = client.get(url + "?format=csv&chart=components")
    assert components.status_code == 200
    assert "Political" in components.content.decode()  # their own component's profile
    assert "Military" not in components.content.decode()  # never another component's


def test_a_downloaded_data_export_no_longer_gives_the_other_components_answer(
    personas, two_components_answered, client, django_capture_on_commit_callbacks
):
    client.force_login(personas.respondent_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:data"), {"data-format": "csv"})
    assert response.status_code == 302
    job = ExportJob.objects.get(created_by=personas.respondent_a)
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content) if download.streaming else download.content
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("indicator_scores.csv").decode())))
        dimensions = list(
            csv.DictReader(io.StringIO(archive.read("dimension_scores.csv").decode()))
        )
    lead = next(row for row in rows if row["indicator"] == "LEAD-01")
    assert _reconstructed(lead["value"]) is None and lead["spread"] == ""
    assert next(row for row in dimensions if row["dimension"] == "LEAD")["score"] == ""


@pytest.mark.parametrize("persona", ["analyst", "focal_point_a"])
def test_analysts_and_focal_points_still_read_the_full_figures(
    personas, two_components_answered, client, persona
):
    user = getattr(personas, persona)
    rows = _api_rows(user, "/api/v1/scores/indicators/", client)
    lead = next(row for row in rows if row["indicator"] == "LEAD-01")
    assert lead["value"] == 3.5 and lead["spread"] == 3
    client.force_login(user)
    url = reverse("dashboards:profile", args=[personas.mission_a.pk])
    text = client.get(url + "?format=csv&chart=indicator_flags").content.decode()
    lead_csv = next(row for row in csv.reader(io.StringIO(text)) if row[0] == "LEAD-01")
    assert lead_csv[2] == "3.5"
    components = client.get(url + "?format=csv&chart=components").content.decode()
    assert "Military" in components
    stored = DimensionScore.objects.get(
        score_set__assessment=two_components_answered, dimension_code="LEAD"
    )
    dimensions = _api_rows(user, "/api/v1/scores/dimensions/", client)
    assert next(row for row in dimensions if row["dimension"] == "LEAD")["score"] == pytest.approx(
        stored.score
    )


def test_an_aggregate_needs_three_components_besides_the_readers():
    assert not aggregate_shown(counted=3, own_components={"political"})
    assert aggregate_shown(counted=1 + MIN_OTHER_COMPONENTS, own_components={"political"})
    assert not aggregate_shown(counted=4, own_components={"political", "police"})
    assert aggregate_shown(counted=2, own_components=None)  # reads every answer anyway
