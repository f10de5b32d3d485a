"""A small known data set for the export tests.

Missions A and B (from the personas), two quarters, the small TEST questionnaire (LEAD with
LEAD-01 and LEAD-02, HUM with HUM-01). Each mission has one answering component (A:
political, B: military), every indicator answered, responses complete and scored. Some
evidence texts are formula-injection attempts.
"""

import os
from dataclasses import dataclass

import pytest

from assessments.models import Answer, Assessment, Response, ResponseStatus
from assessments.services import assessment_open
from questionnaires.models import Indicator
from scoring.services import assessment_scores_compute
from tests.assessments.conftest import (  # noqa: F401 (fixtures re-used here)
    current_period,
    previous_period,
    questionnaire,
)

HOSTILE_EVIDENCE = [
    "=1+1",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(1)",
    "\tleading tab",
    "\rleading carriage return",
    "{=A1}",
]

# (mission, quarter) -> answers per indicator: (choice, evidence, tags)
ANSWERS = {
    ("A", "previous"): {
        "LEAD-01": ("2", "Minutes of the SLT meeting.", ["LEAD-B-ROLES"]),
        "LEAD-02": ("3", "=1+1", []),
        "HUM-01": ("2", "+SUM(A1:A9)", []),
    },
    ("A", "current"): {
        "LEAD-01": ("4", "-2+3", ["LEAD-E-RETREAT"]),
        "LEAD-02": ("na", "@SUM(1)", []),
        "HUM-01": ("3", "\tleading tab", []),
    },
    ("B", "previous"): {
        "LEAD-01": ("1", "\rleading carriage return", []),
        "LEAD-02": ("dk", "{=A1}", []),
        "HUM-01": ("5", "Plain evidence, with a - inside.", []),
    },
    ("B", "current"): {
        "LEAD-01": ("5", "", ["LEAD-B-ROLES"]),
        "LEAD-02": ("4", "Joint workplan.", []),
        "HUM-01": ("1", "", []),
    },
}


@dataclass
class KnownData:
    personas: object
    previous_period: object
    current_period: object
    assessments: dict

    def assessment(self, mission: str, quarter: str) -> Assessment:
        return self.assessments[(mission, quarter)]


def build_known_data(personas, previous, current) -> KnownData:
    missions = {"A": personas.mission_a, "B": personas.mission_b}
    periods = {"previous": previous, "current": current}
    indicators = {i.code: i for i in Indicator.objects.filter(questionnaire__code="TEST")}
    assessments = {}
    for (mission_key, quarter_key), answers in ANSWERS.items():
        assessment = assessment_open(mission=missions[mission_key], period=periods[quarter_key])
        response = Response.objects.get(assessment=assessment)
        Answer.objects.bulk_create(
            Answer(
                response=response,
                indicator=indicators[code],
                choice=choice,
                evidence=evidence,
                tag_codes=tags,
            )
            for code, (choice, evidence, tags) in answers.items()
        )
        Response.objects.filter(pk=response.pk).update(status=ResponseStatus.COMPLETE)
        assessment_scores_compute(assessment_id=assessment.pk)
        assessments[(mission_key, quarter_key)] = assessment
    return KnownData(personas, previous, current, assessments)


@pytest.fixture
def known_data(personas, questionnaire, previous_period, current_period) -> KnownData:  # noqa: F811
    return build_known_data(personas, previous_period, current_period)


@pytest.fixture(autouse=True)
def _exports_root(settings, tmp_path):
    settings.EXPORTS_ROOT = tmp_path / "exports"
    return settings.EXPORTS_ROOT


@pytest.fixture
def requires_chromium():
    """PDF tests draw real figures: without chromium they are skipped with the reason, unless
    REQUIRE_SERVICE_TESTS=1 (CI), where a missing browser is a failure."""
    from exports.figure_renderer import browser_path, missing_browser_message

    if browser_path() is None:
        reason = missing_browser_message()
        if os.environ.get("REQUIRE_SERVICE_TESTS") == "1":
            pytest.fail(f"REQUIRE_SERVICE_TESTS=1: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _stop_figure_renderer_at_the_end():
    """The figure renderer (chromium) stays warm across tests; stop it while pytest still
    captures output, rather than at interpreter exit."""
    yield
    from exports.figure_renderer import figure_server_stop

    figure_server_stop()


@pytest.fixture
def requires_soffice():
    """The deck's LibreOffice check needs Debian's libreoffice-impress: skipped without it,
    unless REQUIRE_SERVICE_TESTS=1 (CI), where a missing soffice is a failure."""
    import shutil

    if shutil.which("soffice") is None:
        reason = "the deck test needs LibreOffice Impress: apt-get install libreoffice-impress"
        if os.environ.get("REQUIRE_SERVICE_TESTS") == "1":
            pytest.fail(f"REQUIRE_SERVICE_TESTS=1: {reason}")
        pytest.skip(reason)
