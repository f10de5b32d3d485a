"""Filters, cursor pagination, ETag/Last-Modified, CSV, and the content of the lists."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from missions.models import Mission
from tests.api.conftest import FORMULA_RATIONALE, bearer, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_key(personas):
    return token_for(personas.analyst)


def _rows(client, url, key, **params):
    response = client.get(url, params, **bearer(key))
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_cursor_pagination_walks_every_row_once(client, small, analyst_key):
    url = reverse("api:dimension_scores")
    everything = _rows(client, url, analyst_key)
    seen, next_url = [], url + "?page_size=2"
    while next_url:
        response = client.get(next_url, **bearer(analyst_key))
        page = response.json()
        assert len(page["results"]) <= 2
        seen += page["results"]
        next_url = page["next"]
        if next_url:
            assert response["Link"] == f'<{next_url}>; rel="next"'
    assert seen == everything and len(seen) == 8  # A Q3+Q4, B Q4, C Q4: two dimensions each


def test_filters(client, small, analyst_key):
    url = reverse("api:dimension_scores")
    rows = _rows(client, url, analyst_key, quarter_from="2024-Q4", dimension="LEAD")
    assert {(r["mission"], r["quarter"], r["dimension"]) for r in rows} == {
        ("MSN-A", "2024-Q4", "LEAD"),
        ("MSN-B", "2024-Q4", "LEAD"),
        ("MSN-C", "2024-Q4", "LEAD"),
    }
    rows = _rows(client, url, analyst_key, mission="MSN-A", quarter_to="2024-Q3")
    assert {(r["quarter"], r["dimension"], r["score"]) for r in rows} == {
        ("2024-Q3", "LEAD", 2.5),
        ("2024-Q3", "HUM", 2.0),
    }
    assert _rows(client, url, analyst_key, kind="spm") == [
        r for r in _rows(client, url, analyst_key) if r["mission"] == "MSN-C"
    ]
    assert _rows(client, url, analyst_key, method_version="no-such-method") == []
    missions = _rows(client, reverse("api:missions"), analyst_key, demo="true")
    assert [m["code"] for m in missions] == ["MSN-C"] and missions[0]["demo_data"] is True
    statuses = _rows(client, reverse("api:assessments"), analyst_key, status="submitted")
    assert [(a["mission"], a["quarter"]) for a in statuses] == [("MSN-B", "2024-Q4")]


def test_invalid_parameters_are_400(client, small, analyst_key):
    url = reverse("api:dimension_scores")
    for params in ({"quarter_from": "2024-Q5"}, {"cursor": "nope"}, {"page_size": 1001}):
        response = client.get(url, params, **bearer(analyst_key))
        assert response.status_code == 400, params


def test_assessments_list_status_dates_and_completeness(client, small, analyst_key):
    rows = _rows(client, reverse("api:assessments"), analyst_key, mission="MSN-A")
    assert [(r["quarter"], r["status"], r["completeness"], r["sufficient"]) for r in rows] == [
        ("2024-Q2", "approved", 0.3, False),
        ("2024-Q3", "approved", 1.0, True),
        ("2024-Q4", "approved", 1.0, True),
    ]
    assert all(r["opened_at"].endswith("Z") for r in rows)


def test_questionnaire_definition_is_complete(client, small, analyst_key):
    listed = _rows(client, reverse("api:questionnaires"), analyst_key)
    assert len(listed) == 1
    definition = client.get(
        reverse("api:questionnaire", args=[listed[0]["id"]]), **bearer(analyst_key)
    ).json()
    lead = next(d for d in definition["dimensions"] if d["code"] == "LEAD")
    indicator = lead["indicators"][0]
    assert set(indicator["rubric"]) == {"1", "2", "3", "4", "5"}
    assert {"statement", "coherence_level", "source"} <= set(indicator)
    assert {t["code"] for t in lead["barrier_tags"]} == {"LEAD-B-ROLES"}
    missing = client.get(reverse("api:questionnaire", args=[99999]), **bearer(analyst_key))
    assert missing.status_code == 404


def test_etag_and_last_modified_give_304(client, small, analyst_key):
    url = reverse("api:dimension_scores")
    first = client.get(url, **bearer(analyst_key))
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    again = client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer(analyst_key))
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    # A date alone never gives a 304: rows can leave the reader's view without anything newer.
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=modified, **bearer(analyst_key))
    assert since.status_code == 200
    other = client.get(url, HTTP_IF_NONE_MATCH='"other"', **bearer(analyst_key))
    assert other.status_code == 200
    # Another user's view of the same URL is another representation.
    staff = client.get(
        url, HTTP_IF_NONE_MATCH=etag, **bearer(token_for(small.a.memberships.first().user))
    )
    assert staff.status_code == 200


def test_csv_by_format_or_accept_header_with_formulas_neutralised(client, small, analyst_key):
    url = reverse("api:indicator_scores")
    by_format = client.get(url, {"format": "csv"}, **bearer(analyst_key))
    by_accept = client.get(url, HTTP_ACCEPT="text/csv", **bearer(analyst_key))
    assert by_format["Content-Type"].startswith("text/csv")
    assert by_accept.content == by_format.content
    table = list(csv.reader(io.StringIO(by_format.content.decode())))
    header, rows = table[0], table[1:]
    assert header[:5] == ["mission", "quarter", "method_version", "dimension", "indicator"]
    rationales = {row[header.index("rationale")] for row in rows}
    assert "'" + FORMULA_RATIONALE in rationales and FORMULA_RATIONALE not in rationales
    assert {row[header.index("sufficient")] for row in rows} == {"TRUE"}

    Mission.objects.filter(code="MSN-D").update(name="+SUM(1,2)")
    missions = client.get(reverse("api:missions"), {"format": "csv"}, **bearer(analyst_key))
    assert "'+SUM(1,2)" in missions.content.decode()


def test_an_empty_csv_page_still_has_its_header(client, small, analyst_key):
    response = client.get(
        reverse("api:coherence_scores"),
        {"format": "csv", "mission": "NONE"},
        **bearer(analyst_key),
    )
    assert response.content.decode().strip() == (
        "mission,quarter,method_version,coherence_level,score,completeness,sufficient"
    )


def test_only_get_is_allowed(client, small, analyst_key):
    url = reverse("api:missions")
    assert client.post(url, **bearer(analyst_key)).status_code == 405
    assert client.delete(url, **bearer(analyst_key)).status_code == 405


def test_actions_list_is_the_data_exports_actions_table(client, small, analyst_key):
    rows = _rows(client, reverse("api:actions"), analyst_key)
    assert [(r["mission"], r["agreed_in"], r["due"], r["overdue"]) for r in rows] == [
        ("MSN-A", "2024-Q4", "2025-Q2", True),
        ("MSN-B", "2024-Q4", "2025-Q2", True),
    ]
    assert [
        r["mission"] for r in _rows(client, reverse("api:actions"), analyst_key, mission="MSN-B")
    ] == ["MSN-B"]
    first = client.get(reverse("api:actions"), {"page_size": 1}, **bearer(analyst_key)).json()
    assert len(first["results"]) == 1 and first["next"]
    second = client.get(first["next"], **bearer(analyst_key)).json()
    assert [r["mission"] for r in second["results"]] == ["MSN-B"] and second["next"] is None


def test_questionnaire_definition_carries_the_v3_context_fields(client, small, analyst_key):
    v3 = Path(__file__).resolve().parents[2] / "questionnaires/data/imp-core-v3.yaml"
    call_command("questionnaire_load", str(v3), "--publish")
    listed = _rows(client, reverse("api:questionnaires"), analyst_key)
    version = next(row for row in listed if row.get("version") == 3)
    definition = client.get(
        reverse("api:questionnaire", args=[version["id"]]), **bearer(analyst_key)
    ).json()
    indicators = {i["code"]: i for d in definition["dimensions"] for i in d["indicators"]}
    assert indicators["LEAD-02"]["applies_when"] == {"leadership": "triple_hatted"}
    assert indicators["HUM-01"]["safeguard"] is True
    assert indicators["HUM-01"]["voice"] == ["humanitarian"]
    assert indicators["HUM-01"]["band_when"][0]["when"] == {"host_state_party": True}
    assert indicators["HUM-01"]["band_source"]["basis"] == "report"
    assert indicators["MS-01"]["context"] == "external"
    assert "start_up" in indicators["PLAN-01"]["target_by_phase"]
