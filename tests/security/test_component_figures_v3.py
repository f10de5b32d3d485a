"""Issue 25, item 2, on method 3 (``imp-score-3.0``), now a checked method
(``scoring.confidentiality.CHECKED_METHODS``): a respondent cannot recover another component's
answer from any method-3 figure, and sees the method-3 figures the rule allows.

Mission A, questionnaire TEST v2 scored with method 3 (LEAD weight 1: LEAD-01, LEAD-02; HUM
weight 1.5: HUM-01 weight 0.5; MS weight 1: MS-01, MS-04), every indicator asked of every
component, five components answering (the political respondent and four others), step 3
unless a scenario says otherwise. Method 3's own channels, each attacked:

- **voice**: HUM-01 is a safeguard whose voice is the humanitarian component. Its value is the
  humanitarian's step alone (5 here), though five components counted it: the counted rule alone
  would show it to the political respondent, and the headline would solve for it too;
- **insufficient**: LEAD-01 answered with a step by the political respondent (3) and the
  military (4) only, "don't know" from the others. Too few answers for a finding, yet method 3's
  alignment reads it (the guaranteed reading moves with the military's step): method 2's
  "sufficient only" check of the aggregates would have let the headline through;
- **allowed**: HUM-01's voice (human rights) is not a component of the mission, and MS-04 is
  external context answered by two components only: its value is withheld, but external context
  is outside every alignment, so the respondent sees every dimension's, level's and the
  headline's alignment.

The exports and the API read each quarter's newest result: method 3's (the current method). The
board's drill-down is tested on the stored detail below (``detail_figures_shown``).
"""

import csv
import dataclasses
import io
import zipfile
from collections import defaultdict

import pytest
from django.urls import reverse

from assessments.board_views import _scores_readable_by
from assessments.services import (
    AnswerInput,
    response_answers_save,
    response_get_or_create,
    response_mark_complete,
    response_missing_indicators,
)
from exports.models import ExportJob
from questionnaires.models import Indicator
from scoring import method_v3
from scoring.confidentiality import (
    CHECKED_METHODS,
    EVERY_AGGREGATE,
    HEADLINE,
    aggregate_shown,
    coherence_values_shown,
    detail_aggregates_withheld,
    detail_figures_shown,
    indicator_values_shown,
)
from scoring.loader_v3 import scoring_inputs_v3
from scoring.models import CoherenceLevelScore, DimensionScore, IndicatorScore, ScoreSet
from scoring.selectors import AssessmentScores
from scoring.services import assessment_scores_compute
from tests.api.conftest import bearer, token_for
from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)
from tests.dashboards.test_disclosure import no_browser as no_browser  # the fixture
from tests.factories import MembershipFactory, UserFactory
from tests.security.test_headline_v3_reader import (
    _board_headline,
    _headline_html,
    _profile,
    _scorecard,
)

pytestmark = pytest.mark.django_db

V3 = method_v3.METHOD_LABEL
COMPONENTS = ("political", "military", "police", "humanitarian", "development")
OWN = "political"
DIMENSION_WEIGHTS = {"LEAD": 1.0, "HUM": 1.5, "MS": 1.0}
BANDS = {"LEAD-01": (3, 4), "LEAD-02": (2, 3), "HUM-01": (2, 3), "MS-01": (3, 4), "MS-04": (2, 3)}
LEVELS = {
    "LEAD-01": "policy_strategic",
    "LEAD-02": "administrative",
    "HUM-01": "operational_programmatic",
    "MS-01": "policy_strategic",
    "MS-04": "administrative",
}
HUMANITARIAN_STEP = 5
MILITARY_STEP = 4
READERS = ["focal_point_a", "analyst"]


def _scored(personas, assessment, *, steps, applies_to=(), voice=(), external=()):
    """Answer TEST v2 as the scenario says (``steps``: code → component → choice; 3 otherwise)
    and score it with method 3; the stored method-3 result."""
    questionnaire = assessment.questionnaire
    indicators = Indicator.objects.filter(questionnaire=questionnaire)
    indicators.update(applies_to=[])
    for code, (low, high) in BANDS.items():
        indicators.filter(code=code).update(target_min=low, target_max=high)
    for code, components in dict(applies_to).items():
        indicators.filter(code=code).update(applies_to=list(components))
    for code, components in dict(voice).items():
        indicators.filter(code=code).update(safeguard=True, voice=list(components))
    indicators.filter(code__in=external).update(is_external=True)
    for component in COMPONENTS:
        user = personas.respondent_a
        if component != OWN:
            user = UserFactory(username=f"{component}_respondent_a")
            MembershipFactory(
                user=user, mission=personas.mission_a, role="respondent", component=component
            )
        response = response_get_or_create(assessment=assessment, component=component)
        answers = [
            AnswerInput(code, str(steps.get(code, {}).get(component, 3)))
            for code in response_missing_indicators(response=response)
        ]
        response_answers_save(response=response, by=user, answers=answers)
        response_mark_complete(response=response, by=user)
    # The current method's result too, as on completion (the pages' other figures read it).
    assessment_scores_compute(assessment_id=assessment.pk)
    score_set = assessment_scores_compute(assessment_id=assessment.pk, method=3)
    return ScoreSet.objects.get(pk=score_set.pk)


@pytest.fixture
def voice(personas, assessment_a_v2):
    return _scored(
        personas,
        assessment_a_v2,
        steps={"HUM-01": {"humanitarian": HUMANITARIAN_STEP}},
        voice={"HUM-01": ["humanitarian"]},
    )


@pytest.fixture
def insufficient(personas, assessment_a_v2):
    others = {c: "dk" for c in COMPONENTS if c not in (OWN, "military")}
    return _scored(
        personas,
        assessment_a_v2,
        steps={"LEAD-01": {**others, "military": MILITARY_STEP}},
        voice={"HUM-01": ["human_rights"]},  # (method 3 reads a questionnaire with safeguards)
    )


@pytest.fixture
def allowed(personas, assessment_a_v2):
    return _scored(
        personas,
        assessment_a_v2,
        steps={"MS-04": {"military": 2}},
        applies_to={"MS-04": [OWN, "military"]},
        voice={"HUM-01": ["human_rights"]},
        external=["MS-04"],
    )


@pytest.fixture
def v3_current():
    """Method 3 is the current method: the exports and the API read its results."""
    from scoring.method import METHOD_VERSION_LABEL

    assert METHOD_VERSION_LABEL == V3


# --- method 3's aggregates read exactly the stored rows the rule checks -----------------------


def _aggregates(result: method_v3.AssessmentResult) -> tuple:
    return (
        tuple(d.alignment for d in result.dimensions),
        tuple(c.alignment for c in result.coherence_levels),
        result.headline.alignment,
        result.headline.uncapped_alignment,
    )


def _checked(result: method_v3.AssessmentResult) -> set[str]:
    """The indicators the rule checks for the aggregates (``_in_v3_aggregates``)."""
    return {
        i.code for i in result.indicators if i.applicable and not i.external and i.value is not None
    }


@pytest.mark.parametrize("scenario", ["voice", "insufficient", "allowed"])
def test_method_3s_aggregates_move_with_an_answer_only_through_a_checked_indicators_value(
    request, scenario
):
    """Every step of every answer changed to every other step: where the aggregates (each
    dimension's and level's alignment, the headline shown and uncapped) move, the answer's
    indicator is one the rule checks and its stored value moved. So withholding a checked
    indicator's value and every aggregate holding it leaves no other way to the answer (a
    voice indicator's other components, external context and indicators without a value
    never move an aggregate)."""
    stored = request.getfixturevalue(scenario)
    data, _tags = scoring_inputs_v3([stored.assessment], {})[stored.assessment_id]
    base = method_v3.score_assessment(data)
    assert _aggregates(base)[3] == pytest.approx(stored.uncapped_alignment)
    values = {i.code: i.value for i in base.indicators}
    moved = 0
    for n, answer in enumerate(data.answers):
        if answer.step is None:
            continue
        for step in {1, 2, 3, 4, 5} - {answer.step}:
            answers = list(data.answers)
            answers[n] = dataclasses.replace(answer, step=step)
            changed = method_v3.score_assessment(dataclasses.replace(data, answers=tuple(answers)))
            if _aggregates(changed) != _aggregates(base):
                moved += 1
                assert answer.indicator_code in _checked(base)
                new_value = next(
                    i.value for i in changed.indicators if i.code == answer.indicator_code
                )
                assert new_value != values[answer.indicator_code]
    assert moved  # the aggregates do read answers


@pytest.mark.parametrize("scenario", ["voice", "insufficient", "allowed"])
def test_method_3s_stored_rows_are_its_indicators_and_its_aggregates_are_theirs(request, scenario):
    """One stored row per indicator (external and not applicable ones too), with the method's
    value and count; each stored dimension and level alignment is the weighted mean of its
    checked indicators' alignments (settled ones at 100), the headline's uncapped alignment
    the dimension-weighted mean of the dimensions', capped at 50 when gated."""
    stored = request.getfixturevalue(scenario)
    detail = stored.detail
    indicators = {i["code"]: i for i in detail["indicators"]}
    rows = {r.indicator_code: r for r in IndicatorScore.objects.filter(score_set=stored)}
    assert set(rows) == set(indicators)
    for code, row in rows.items():
        assert (row.value, row.counted, row.applicable) == (
            indicators[code]["value"],
            indicators[code]["counted"],
            indicators[code]["applicable"],
        )
    members: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for i in indicators.values():
        if i["applicable"] and not i["external"]:
            members["dimension", i["dimension_code"]].append(i)
            members["level", i["coherence_level"]].append(i)

    def mean(group: list[dict]) -> float:
        weight = sum(i["weight"] for i in group)
        return (
            sum(i["weight"] * (100.0 if i["settled"] else i["alignment"]) for i in group) / weight
        )

    dimensions = {
        d.dimension_code: d.alignment for d in DimensionScore.objects.filter(score_set=stored)
    }
    assert set(dimensions) == {key for kind, key in members if kind == "dimension"}
    for code, alignment in dimensions.items():
        assert alignment == pytest.approx(mean(members["dimension", code]))
    for level in CoherenceLevelScore.objects.filter(score_set=stored):
        assert level.alignment == pytest.approx(mean(members["level", level.level]))
    uncapped = sum(DIMENSION_WEIGHTS[d] * a for d, a in dimensions.items()) / sum(
        DIMENSION_WEIGHTS[d] for d in dimensions
    )
    assert stored.uncapped_alignment == pytest.approx(uncapped)
    gated = bool(stored.critical_count or stored.unverified_count)
    assert stored.alignment == pytest.approx(min(uncapped, 50.0) if gated else uncapped)
    assert V3 in CHECKED_METHODS


# --- before: what the respondent could have read -----------------------------------------------


def test_the_voice_value_is_the_voice_components_answer_though_five_counted_it(voice):
    hum = IndicatorScore.objects.get(score_set=voice, indicator_code="HUM-01")
    assert hum.value == HUMANITARIAN_STEP and hum.counted == 5
    assert aggregate_shown(counted=hum.counted, own_components={OWN})  # the counted rule alone
    # And the headline solves for it: every other dimension is in band (alignment 100).
    hum_alignment = (sum(DIMENSION_WEIGHTS.values()) * voice.uncapped_alignment - 200) / 1.5
    distance = (100 - hum_alignment) / method_v3.POINTS_PER_STEP
    assert BANDS["HUM-01"][1] + distance == HUMANITARIAN_STEP  # (over the band: its flag)


def test_an_insufficient_indicator_carries_the_other_answer_into_the_alignment(insufficient):
    lead = IndicatorScore.objects.get(score_set=insufficient, indicator_code="LEAD-01")
    assert not lead.sufficient and lead.counted == 2  # method 2's check skipped such a row
    data, _tags = scoring_inputs_v3([insufficient.assessment], {})[insufficient.assessment_id]
    alignments = set()
    for step in (1, 2, 3, 4, 5):
        answers = tuple(
            dataclasses.replace(a, step=step)
            if (a.indicator_code, a.component) == ("LEAD-01", "military")
            else a
            for a in data.answers
        )
        result = method_v3.score_assessment(dataclasses.replace(data, answers=answers))
        alignments.add(result.headline.uncapped_alignment)
    assert len(alignments) > 1  # the headline moves with the military's step


# --- after: the data export and the API, as the respondent --------------------------------------


def _export(client, user, capture) -> dict[str, list[dict]]:
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("exports:data"), {"data-format": "csv"})
    assert response.status_code == 302
    job = ExportJob.objects.filter(created_by=user).latest("pk")
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content) if download.streaming else download.content
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {
            name: list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))
            for name in ("index", "dimension_scores", "indicator_scores")
        }


def _api(client, user, path: str) -> list[dict]:
    response = client.get(path, **bearer(token_for(user, second_factor_verified=True)))
    assert response.status_code == 200
    return response.json()["results"]


def _by(rows, key: str) -> dict[str, dict]:
    return {row[key]: row for row in rows}


def _figures_api(client, user, stored) -> tuple[dict, dict, dict]:
    indicators = _by(_api(client, user, "/api/v1/scores/indicators/"), "indicator")
    dimensions = _by(_api(client, user, "/api/v1/scores/dimensions/"), "dimension")
    (assessment,) = [
        r for r in _api(client, user, reverse("api:assessments")) if r["id"] == stored.assessment_id
    ]
    return indicators, dimensions, assessment


def _figures_export(client, user, capture) -> tuple[dict, dict, dict]:
    tables = _export(client, user, capture)
    (index,) = tables["index"]
    return (
        _by(tables["indicator_scores"], "indicator"),
        _by(tables["dimension_scores"], "dimension"),
        index,
    )


def _blank(value) -> bool:
    return value in (None, "")


SURFACES = ["api", "export"]


def _figures(surface, client, user, stored, capture):
    if surface == "api":
        return _figures_api(client, user, stored)
    return _figures_export(client, user, capture)


@pytest.mark.parametrize("surface", SURFACES)
def test_the_respondent_gets_no_figure_giving_the_voice_answer_back(
    client, personas, voice, v3_current, surface, django_capture_on_commit_callbacks
):
    indicators, dimensions, headline = _figures(
        surface, client, personas.respondent_a, voice, django_capture_on_commit_callbacks
    )
    hum = indicators["HUM-01"]
    assert all(_blank(hum[k]) for k in ("value", "distance", "spread"))
    assert hum["status"] == "critical"  # the alarm reaches them
    assert _blank(dimensions["HUM"]["alignment"])  # HUM-01's alignment alone
    assert _blank(headline["alignment_shown"]) and _blank(headline["alignment_uncapped"])
    assert str(headline["critical_findings"]) == "1"
    # No other figure shows the humanitarian's step: the others' values are the mean of five.
    assert float(indicators["LEAD-02"]["value"]) == 3.0
    assert float(dimensions["LEAD"]["alignment"]) == 100.0
    # And no row carries a component's own step.
    assert not set(hum) & set(COMPONENTS)


@pytest.mark.parametrize("surface", SURFACES)
def test_the_respondent_gets_no_aggregate_over_an_insufficient_withheld_indicator(
    client, personas, insufficient, v3_current, surface, django_capture_on_commit_callbacks
):
    indicators, dimensions, headline = _figures(
        surface, client, personas.respondent_a, insufficient, django_capture_on_commit_callbacks
    )
    assert _blank(indicators["LEAD-01"]["value"])
    assert _blank(dimensions["LEAD"]["alignment"])
    assert _blank(headline["alignment_shown"]) and _blank(headline["alignment_uncapped"])
    assert float(dimensions["HUM"]["alignment"]) == 100.0  # no withheld indicator in it
    assert not _blank(headline["coverage"])


@pytest.mark.parametrize("surface", SURFACES)
def test_the_respondent_sees_the_method_3_figures_the_rule_allows(
    client, personas, allowed, v3_current, surface, django_capture_on_commit_callbacks
):
    indicators, dimensions, headline = _figures(
        surface, client, personas.respondent_a, allowed, django_capture_on_commit_callbacks
    )
    assert _blank(indicators["MS-04"]["value"])  # external, two components
    for code in ("LEAD-01", "LEAD-02", "HUM-01", "MS-01"):
        assert float(indicators[code]["value"]) == 3.0
    stored = {
        d.dimension_code: d.alignment for d in DimensionScore.objects.filter(score_set=allowed)
    }
    for code, alignment in stored.items():
        assert float(dimensions[code]["alignment"]) == pytest.approx(alignment)
    assert float(headline["alignment_shown"]) == pytest.approx(allowed.alignment)
    assert float(headline["alignment_uncapped"]) == pytest.approx(allowed.uncapped_alignment)


@pytest.mark.parametrize("persona", READERS)
@pytest.mark.parametrize("surface", SURFACES)
def test_readers_of_every_answer_read_every_method_3_figure(
    client, personas, voice, v3_current, surface, persona, django_capture_on_commit_callbacks
):
    indicators, dimensions, headline = _figures(
        surface, client, getattr(personas, persona), voice, django_capture_on_commit_callbacks
    )
    assert float(indicators["HUM-01"]["value"]) == HUMANITARIAN_STEP
    assert float(dimensions["HUM"]["alignment"]) == 50.0
    assert float(headline["alignment_uncapped"]) == pytest.approx(voice.uncapped_alignment)


@pytest.mark.parametrize(
    ("scenario", "withheld"),
    [
        ("voice", {"operational_programmatic"}),  # HUM-01
        ("insufficient", {"policy_strategic"}),  # LEAD-01
        ("allowed", set()),  # MS-04 (administrative) is external context
    ],
)
def test_a_coherence_level_is_withheld_where_a_checked_indicator_is(
    request, personas, scenario, withheld
):
    stored = request.getfixturevalue(scenario)
    rows = coherence_values_shown(
        CoherenceLevelScore.objects.filter(score_set=stored), {personas.mission_a.pk: 1}
    )
    shown = {row.level: row.shown_alignment for row in rows}
    assert {level for level, alignment in shown.items() if alignment is None} == withheld
    for row in rows:
        if row.level not in withheld:
            assert row.shown_alignment == pytest.approx(row.alignment)


# --- the gated headline on the pages and the scorecard ------------------------------------------


def _headline_on(surface: str, client, user, stored) -> str:
    """The v3 headline as ``user`` reads it on ``surface``, as text."""
    if surface == "home":
        client.force_login(user)
        return _headline_html(client.get(reverse("home")).content.decode())
    if surface == "profile":
        return _profile(client, user, stored)
    if surface == "scorecard":
        return _scorecard(client, user, stored)
    headline = _board_headline(client, user, stored)
    return headline.text + (' data-withheld="alignment"' if headline.alignment_withheld else "")


HEADLINE_SURFACES = ["home", "profile", "board", "scorecard"]


@pytest.mark.parametrize("surface", HEADLINE_SURFACES)
def test_the_respondent_reads_no_v3_alignment_holding_the_voice_answer(
    client, personas, voice, surface, no_browser
):
    text = _headline_on(surface, client, personas.respondent_a, voice)
    assert "alignment not shown" in text
    assert f"alignment {voice.alignment:.0f}" not in text and "uncapped" not in text
    assert f"{voice.critical_count} critical finding" in text


@pytest.mark.parametrize("surface", HEADLINE_SURFACES)
def test_the_respondent_reads_the_v3_alignment_where_no_indicator_in_it_is_withheld(
    client, personas, allowed, surface, no_browser
):
    text = _headline_on(surface, client, personas.respondent_a, allowed)
    assert "alignment not shown" not in text
    assert f"alignment {allowed.alignment:.0f}" in text


@pytest.mark.parametrize("persona", READERS)
@pytest.mark.parametrize("surface", HEADLINE_SURFACES)
def test_readers_of_every_answer_read_the_v3_alignment_holding_the_voice_answer(
    client, personas, voice, surface, persona, no_browser
):
    text = _headline_on(surface, client, getattr(personas, persona), voice)
    assert "alignment not shown" not in text
    assert f"alignment {voice.alignment:.0f}" in text


# --- the drill-down: a stored method-3 result's detail ------------------------------------------


def _drilldown(stored) -> list[dict]:
    """The stored detail's indicators under their dimensions, as the board's drill-down
    carries method 2's (``detail_figures_shown``)."""
    by_dimension: dict[str, list[dict]] = defaultdict(list)
    for ind in stored.detail["indicators"]:
        by_dimension[ind["dimension_code"]].append(ind)
    return [
        {"code": code, **{"alignment": 1.0}, "indicators": inds}
        for code, inds in by_dimension.items()
    ]


@pytest.mark.parametrize(
    ("scenario", "indicators", "dimensions", "aggregates"),
    [
        ("voice", {"HUM-01"}, {"HUM"}, {"operational_programmatic", HEADLINE}),
        ("insufficient", {"LEAD-01"}, {"LEAD"}, {"policy_strategic", HEADLINE}),
        ("allowed", {"MS-04"}, set(), set()),  # external context: in no aggregate
    ],
)
def test_the_method_3_drilldown_withholds_what_the_sql_rule_withholds(
    request, personas, scenario, indicators, dimensions, aggregates
):
    stored = request.getfixturevalue(scenario)
    drilldown = _drilldown(stored)
    # Every dimension with enough component profiles, to isolate the indicator rule (the
    # profile rule, the same for methods 2 and 3, is tested with method 2's figures).
    plenty = {dim["code"]: 99 for dim in drilldown}
    shown = detail_figures_shown(drilldown, own_components={OWN}, profiles=plenty, method=3)
    withheld = {i["code"] for d in shown for i in d["indicators"] if i.get("withheld")}
    assert withheld == indicators
    for dim in shown:
        for ind in dim["indicators"]:
            if ind["code"] in withheld:
                assert ind["value"] is None and ind["distance"] is None
                assert ind["alignment"] is None
            assert ind["status"]  # the finding stays
    assert {d["code"] for d in shown if d.get("withheld")} == dimensions
    assert detail_aggregates_withheld(shown, own_components={OWN}, method=3) == aggregates
    # The same indicators as the SQL rule of the export and the API.
    rows = indicator_values_shown(
        IndicatorScore.objects.filter(score_set=stored), {personas.mission_a.pk: 1}
    )
    assert {row.indicator_code for row in rows if row.shown_value is None} == indicators


def test_a_reader_of_every_answer_gets_the_whole_method_3_drilldown(voice):
    dimensions = _drilldown(voice)
    assert detail_figures_shown(dimensions, own_components=None, profiles={}, method=3) == (
        dimensions
    )
    assert detail_aggregates_withheld(dimensions, own_components=None, method=3) == frozenset()
    assert detail_aggregates_withheld(dimensions, own_components={OWN}, method=1) == {
        EVERY_AGGREGATE
    }


def test_the_boards_cut_leaves_a_respondent_only_their_own_steps_of_a_contested_indicator(voice):
    detail = IndicatorScore.objects.get(score_set=voice, indicator_code="HUM-01")
    assert detail.contested  # the humanitarian's 5 against the others' 3
    scores = AssessmentScores(voice, False, _drilldown(voice), [], method=3)
    cut = _scores_readable_by(scores, frozenset({OWN}))
    for dim in cut.dimensions:
        for ind in dim["indicators"]:
            assert set(ind["per_component"]) <= {OWN}
            assert [label for label, _step in ind["answers"]] in ([], ["Political"])
