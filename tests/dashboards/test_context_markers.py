"""A change of a mission's context profile shows on its trends like a version change: a marker
on the trend figures, a column in their tables and CSVs, a line on the profile and compare
pages, each with the change and its reason (IMP-CORE v3: what is asked and the bands read
against follow the profile, so figures on either side may differ for that reason alone)."""

import dataclasses

import pytest
from django.urls import reverse
from django.utils import translation

from dashboards import figures
from dashboards.selectors import compare_series, mission_profile
from missions.context import DEFAULT_PROFILE
from missions.models import Period
from missions.services import context_profile_set
from tests.dashboards.test_method_v2 import _csv, v2_data  # noqa: F401  (the shared fixture)

pytestmark = pytest.mark.django_db

REASON = "Security Council resolution sets the drawdown timetable."


def _period(label):
    year, quarter = label.split("-Q")
    return Period.objects.get(year=int(year), quarter=int(quarter))


@pytest.fixture
def drawdown_from_q3(v2_data):  # noqa: F811
    """Mission A records its profile in 2025-Q1 (as the default, except the phase), then moves
    to drawdown in 2025-Q3 with a reason; mission B never records one."""
    mission = v2_data["a"]
    start = dataclasses.replace(DEFAULT_PROFILE, phase="consolidation")
    context_profile_set(
        mission=mission, period=_period("2025-Q1"), profile=start, reason="", by=None
    )
    context_profile_set(
        mission=mission,
        period=_period("2025-Q3"),
        profile=dataclasses.replace(start, phase="drawdown"),
        reason=REASON,
        by=None,
    )
    return v2_data


def test_profile_marks_the_quarter_where_the_context_changed(personas, drawdown_from_q3):
    profile = mission_profile(user=personas.analyst, mission_id=drawdown_from_q3["a"].pk)
    # The 2025-Q1 recording opens the trend (nothing before it to mark); 2025-Q3 is marked.
    assert [(c.period.label, c.changed, c.reason) for c in profile.context_changes] == [
        ("2025-Q3", (("phase", "drawdown"),), REASON)
    ]
    figure = figures.figure_alignment_trend(profile)
    context_lines = [s for s in figure.layout.shapes if s.line.dash == "dashdot"]
    assert [line.x0 for line in context_lines] == [1.5]  # before 2025-Q3, the third quarter
    notes = [n.text for n in figure.layout.annotations if n.text.startswith("◇")]
    assert len(notes) == 1 and notes[0].startswith("◇ From 2025-Q3: context profile changed (")
    # The version changes in the same history (method 2 from 2025-Q2, TEST v2 from 2025-Q3)
    # keep their own dotted markers.
    assert [s.x0 for s in figure.layout.shapes if s.line.dash == "dot"] == [0.5, 1.5]
    index_figure = figures.figure_index_trend(profile)
    assert [s.x0 for s in index_figure.layout.shapes if s.line.dash == "dashdot"] == [1.5]


def test_profile_page_and_csv_say_what_changed_and_why(client, personas, drawdown_from_q3):
    client.force_login(personas.focal_point_a)
    url = reverse("dashboards:profile", args=[drawdown_from_q3["a"].pk])
    page = client.get(url).content.decode()
    assert 'id="profile-context-changes"' in page
    assert "from 2025-Q3:" in page and REASON in page
    rows = _csv(client.get(url + "?format=csv&chart=alignment_trend"))
    column = rows[0].index("Context profile change")
    by_quarter = {row[0]: row[column] for row in rows[1:]}
    assert by_quarter["2025-Q2"] == ""
    assert by_quarter["2025-Q3"].startswith("From 2025-Q3: context profile changed (")


def test_a_mission_without_changes_has_no_marker_and_no_column(client, personas, v2_data):  # noqa: F811
    profile = mission_profile(user=personas.analyst, mission_id=v2_data["a"].pk)
    assert profile.context_changes == ()
    assert not [
        s for s in figures.figure_alignment_trend(profile).layout.shapes if s.line.dash == "dashdot"
    ]
    client.force_login(personas.analyst)
    url = reverse("dashboards:profile", args=[v2_data["a"].pk])
    assert 'id="profile-context-changes"' not in client.get(url).content.decode()
    rows = _csv(client.get(url + "?format=csv&chart=alignment_trend"))
    assert "Context profile change" not in rows[0]


def test_compare_names_the_mission_whose_context_changed(client, personas, drawdown_from_q3):
    a, b = drawdown_from_q3["a"], drawdown_from_q3["b"]
    comparison = compare_series(user=personas.analyst, mission_ids=[a.pk, b.pk], measure="index")
    assert [(c.mission_code, c.period.label) for c in comparison.context_changes] == [
        (a.code, "2025-Q3")
    ]
    figure = figures.figure_compare(comparison)
    notes = [n.text for n in figure.layout.annotations if n.text.startswith("◇")]
    assert notes == [notes[0]] and f"{a.code}'s context profile changed" in notes[0]
    client.force_login(personas.analyst)
    url = reverse("dashboards:compare") + f"?missions={a.pk}&missions={b.pk}&measure=index"
    page = client.get(url).content.decode()
    assert 'id="compare-context-changes"' in page and REASON in page
    rows = _csv(client.get(url + "&format=csv&chart=compare"))
    assert rows[0][-1] == "Context profile change"
    assert [row[-1] != "" for row in rows[1:]] == [row[0] == "2025-Q3" for row in rows[1:]]


def test_the_marker_reads_in_french(personas, drawdown_from_q3):
    profile = mission_profile(user=personas.analyst, mission_id=drawdown_from_q3["a"].pk)
    with translation.override("fr"):
        notes = [
            n.text
            for n in figures.figure_alignment_trend(profile).layout.annotations
            if n.text.startswith("◇")
        ]
    assert notes == [
        "◇ À partir de T3\u00a02025\u00a0: profil de contexte modifié (la mission est "
        "en phase de retrait ou de transition)"
    ]
