"""Every mission-scoped URL × the six personas.

URLs are discovered from the URLconf: a new view with an ``assessment_id`` is
checked automatically for the other mission's staff (404, nothing changes), and
must be given its rules in EXPECTED or this test fails.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import (
    Answer,
    Assessment,
    DimensionTarget,
    IndicatorBandOverride,
    IndicatorNotApplicable,
    Response,
)
from missions.models import MissionContextProfile
from questionnaires.services import questionnaire_clone

pytestmark = pytest.mark.django_db

KWARGS = {"assessment_id": None, "component": "political", "dimension_code": "LEAD"}
PERSONAS = ["respondent_a", "focal_point_a", "respondent_b", "focal_point_b", "analyst", "admin"]

# Status codes for mission A's URLs: (GET, POST) per persona, in PERSONAS order.
# Mission B's staff always get 404. Where the action is allowed, the code is what the
# tampering POST below gets: 302 when it was done, 400 when the service refused it (an
# incomplete response or assessment), 200 for the autosave's JSON. What the actions do is
# tested elsewhere.
EXPECTED = {
    "board": {"GET": [200, 200, 404, 404, 200, 200], "POST": [405, 405, 404, 404, 405, 405]},
    "activity": {"GET": [403, 200, 404, 404, 403, 200], "POST": [405, 405, 404, 404, 405, 405]},
    "targets": {"GET": [405, 405, 404, 404, 405, 405], "POST": [403, 302, 404, 404, 403, 302]},
    "submit": {"GET": [405, 405, 404, 404, 405, 405], "POST": [403, 400, 404, 404, 403, 400]},
    "reopen": {"GET": [405, 405, 404, 404, 405, 405], "POST": [403, 403, 404, 404, 403, 403]},
    "approve": {"GET": [405, 405, 404, 404, 405, 405], "POST": [403, 403, 404, 404, 403, 302]},
    "highlights": {"GET": [405, 405, 404, 404, 405, 405], "POST": [403, 302, 404, 404, 403, 302]},
    "response": {"GET": [302, 302, 404, 404, 302, 302], "POST": [405, 405, 404, 404, 405, 405]},
    "complete": {"GET": [200, 200, 404, 404, 200, 200], "POST": [400, 403, 404, 404, 403, 403]},
    "answer": {"GET": [200, 200, 404, 404, 200, 200], "POST": [302, 403, 404, 404, 403, 403]},
    "autosave": {"GET": [405, 405, 404, 404, 405, 405], "POST": [200, 403, 404, 404, 403, 403]},
    "copy_forward": {
        "GET": [405, 405, 404, 404, 405, 405],
        "POST": [302, 403, 404, 404, 403, 403],
    },
    # The focal point's settings for the quarter; the tampering POST lacks their fields (400).
    "bands": {"GET": [405, 405, 404, 404, 405, 405], "POST": [403, 400, 404, 404, 403, 400]},
    "bands_clear": {
        "GET": [405, 405, 404, 404, 405, 405],
        "POST": [403, 400, 404, 404, 403, 400],
    },
    "phase": {"GET": [405, 405, 404, 404, 405, 405], "POST": [403, 400, 404, 404, 403, 400]},
    # The mission's context profile: read by all who see the mission; recorded by the focal
    # point (while open) and the administrator; the tampering POST lacks its fields (400).
    "context_profile": {
        "GET": [200, 200, 404, 404, 200, 200],
        "POST": [403, 400, 404, 404, 403, 400],
    },
    "not_applicable": {
        "GET": [405, 405, 404, 404, 405, 405],
        "POST": [403, 400, 404, 404, 403, 400],
    },
    # Respondents' N/A on safeguards: read by all who see the mission, confirmed by the
    # focal point and the administrator while open; the tampering POST names no answer (400).
    "not_applicable_confirm": {
        "GET": [200, 200, 404, 404, 200, 200],
        "POST": [403, 400, 404, 404, 403, 400],
    },
    "not_applicable_withdraw": {
        "GET": [405, 405, 404, 404, 405, 405],
        "POST": [403, 400, 404, 404, 403, 400],
    },
    # The offline workbook of a response: only who may answer it; the tampering POST sends
    # no file (400) and no conflict choice (400).
    "workbook": {"GET": [200, 403, 404, 404, 403, 403], "POST": [400, 403, 404, 404, 403, 403]},
    "workbook_download": {
        "GET": [200, 403, 404, 404, 403, 403],
        "POST": [405, 405, 404, 404, 405, 405],
    },
    "workbook_resolve": {
        "GET": [405, 405, 404, 404, 405, 405],
        "POST": [400, 403, 404, 404, 403, 403],
    },
    # actions:create, recording an action: only once the assessment is submitted (this one is
    # open); tests/actions/test_access.py has the matrix on a submitted one.
    "create": {"GET": [403, 403, 404, 404, 403, 403], "POST": [403, 403, 404, 404, 403, 403]},
}


def _mission_scoped_url_names() -> list[str]:
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and "assessment_id" in pattern.pattern.converters:
                names.append(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


URL_NAMES = _mission_scoped_url_names()


def test_every_mission_scoped_url_has_access_rules():
    assert URL_NAMES, "no mission-scoped URL discovered"
    unknown = [name for name in URL_NAMES if name.split(":")[-1] not in EXPECTED]
    assert not unknown, f"give these views their access rules in EXPECTED: {unknown}"


def _url(name: str, assessment: Assessment) -> str:
    pattern_kwargs = {
        key: (assessment.pk if key == "assessment_id" else value) for key, value in KWARGS.items()
    }
    for candidate in (
        pattern_kwargs,
        {k: v for k, v in pattern_kwargs.items() if k != "dimension_code"},
        {"assessment_id": assessment.pk},
    ):
        try:
            return reverse(name, kwargs=candidate)
        except Exception:  # noqa: S112 - try the next shape of kwargs
            continue
    raise AssertionError(f"cannot build a URL for {name}")


def _state() -> tuple:
    return (
        list(Assessment.objects.order_by("pk").values_list("status", "status_reason")),
        list(Answer.objects.order_by("pk").values_list("choice", "evidence", "revision")),
        list(DimensionTarget.objects.order_by("pk").values_list("target_step")),
        list(Response.objects.order_by("pk").values_list("status")),
        list(Assessment.objects.order_by("pk").values_list("phase")),
        list(IndicatorBandOverride.objects.order_by("pk").values_list("band_min", "revision")),
        list(IndicatorNotApplicable.objects.order_by("pk").values_list("indicator_id", "reason")),
        list(MissionContextProfile.objects.order_by("pk").values_list("phase", "reason")),
    )


TAMPERING_POST = {
    "LEAD-01-choice": "5",
    "LEAD-01-revision": "0",
    "LEAD-02-choice": "na",
    "LEAD-02-revision": "0",
    "LEAD": "1",
    "HUM": "5",
    "reason": "tampering",
    "justify_political": "tampering",
    "go": "stay",
}


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_access_matrix(client, personas, assessment_a, assessment_b, name, persona_index, method):
    persona = PERSONAS[persona_index]
    client.force_login(personas.all()[persona])
    expected = EXPECTED[name.split(":")[-1]][method][persona_index]
    before = _state()
    url = _url(name, assessment_a)
    response = client.get(url) if method == "GET" else client.post(url, TAMPERING_POST)
    assert response.status_code == expected, (persona, name, method, response.status_code)
    if method == "POST" and expected in (400, 403, 404, 405):
        assert _state() == before, f"{persona} changed data through {name}"


def test_respondent_cannot_open_the_other_missions_assessment(client, personas, assessment_b):
    client.force_login(personas.respondent_a)
    assert client.get(reverse("assessments:board", args=[assessment_b.pk])).status_code == 404
    url = reverse("assessments:answer", args=[assessment_b.pk, "military", "LEAD"])
    assert client.get(url).status_code == 404


def test_respondent_cannot_open_another_component_of_their_own_mission(
    client, personas, assessment_a
):
    client.force_login(personas.respondent_a)
    url = reverse("assessments:answer", args=[assessment_a.pk, "military", "LEAD"])
    assert client.get(url).status_code == 404
    assert client.post(url, TAMPERING_POST).status_code == 404


def test_unknown_component_or_dimension_is_404(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    assert (
        client.get(
            reverse("assessments:answer", args=[assessment_a.pk, "navy", "LEAD"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("assessments:answer", args=[assessment_a.pk, "political", "ZZZ"])
        ).status_code
        == 404
    )


# Questionnaire pages are not mission-scoped: every logged-in persona reads the published
# versions and their glossary; drafts are for administrators and the version comparison for
# HQ. Every URL of questionnaires.views is discovered and must be given its rules here:
# (GET, POST) per persona in PERSONAS order, for a published version and for a draft.
QUESTIONNAIRE_EXPECTED = {
    ("questionnaire_list", None): {"GET": [200] * 6, "POST": [405] * 6},
    ("questionnaire_compare", None): {
        "GET": [404, 404, 404, 404, 200, 200],
        "POST": [405] * 6,
    },
    ("questionnaire_detail", "published"): {"GET": [200] * 6, "POST": [405] * 6},
    ("questionnaire_detail", "draft"): {"GET": [404] * 5 + [200], "POST": [405] * 6},
    ("questionnaires:glossary", None): {"GET": [200] * 6, "POST": [405] * 6},
    ("questionnaires:version_glossary", "published"): {"GET": [200] * 6, "POST": [405] * 6},
    ("questionnaires:version_glossary", "draft"): {"GET": [404] * 5 + [200], "POST": [405] * 6},
}


def _questionnaire_url_names() -> list[str]:
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.callback.__module__ == "questionnaires.views"
            ):
                names.append(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def test_every_questionnaire_url_has_access_rules():
    names = _questionnaire_url_names()
    assert names, "no questionnaire URL discovered"
    known = {name for name, _version in QUESTIONNAIRE_EXPECTED}
    assert not [name for name in names if name not in known], "give them QUESTIONNAIRE_EXPECTED"


@pytest.mark.parametrize(("name", "version"), list(QUESTIONNAIRE_EXPECTED), ids=str)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_questionnaire_access_matrix(client, personas, questionnaire, name, version, method):
    draft = questionnaire_clone(questionnaire=questionnaire)
    target = {"published": questionnaire, "draft": draft}.get(version)
    url = reverse(name, args=[target.pk] if target else [])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for persona_index, persona in enumerate(PERSONAS):
        client.force_login(personas.all()[persona])
        response = client.get(url) if method == "GET" else client.post(url, {"title": "x"})
        expected = QUESTIONNAIRE_EXPECTED[(name, version)][method][persona_index]
        assert response.status_code == expected, (persona, name, version, method)


MISSION_WIDE_EXPECTED = {
    # (GET, POST) of the focal point's mission-level answering page, per persona.
    "respondent_a": (404, 404),
    "military_a": (404, 404),
    "focal_point_a": (200, 302),
    "respondent_b": (404, 404),
    "focal_point_b": (404, 404),
    "analyst": (200, 403),
    "admin": (200, 403),
}


@pytest.mark.parametrize("persona", list(MISSION_WIDE_EXPECTED))
def test_mission_level_answering_page_is_the_focal_points(
    client, personas, military_respondent_a, assessment_a_v2, persona
):
    user = military_respondent_a if persona == "military_a" else personas.all()[persona]
    client.force_login(user)
    url = reverse("assessments:answer", args=[assessment_a_v2.pk, "mission", "MS"])
    get_status, post_status = MISSION_WIDE_EXPECTED[persona]
    assert client.get(url).status_code == get_status
    before = _state()
    data = {"MS-01-choice": "3", "MS-01-revision": "0", "MS-04-revision": "0", "go": "stay"}
    assert client.post(url, data).status_code == post_status
    if post_status != 302:
        assert _state() == before
    else:
        assert Answer.objects.get(indicator__code="MS-01").choice == "3"


def test_the_mission_wide_scope_does_not_exist_on_a_v1_assessment(client, personas, assessment_a):
    client.force_login(personas.focal_point_a)
    url = reverse("assessments:answer", args=[assessment_a.pk, "mission", "LEAD"])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("assessments:response", args=[assessment_a.pk, "mission"])).status_code
        == 404
    )
