"""The questionnaire reads in the respondent's language (issue 16): IMP-CORE v2 in French when
the browser or the language cookie asks for it; IMP-CORE v1 too since it has its French
(issue 28), so quarters answered on v1 read in French."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from assessments.services import assessment_open
from questionnaires.models import Dimension, DimensionTag, GlossaryTerm, Indicator, Questionnaire

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "questionnaires/data"


@pytest.fixture
def shipped(db) -> tuple[Questionnaire, Questionnaire]:
    for version in (1, 2):
        call_command("questionnaire_load", str(DATA / f"imp-core-v{version}.yaml"), "--publish")
    return (
        Questionnaire.objects.get(code="IMP-CORE", version=1),
        Questionnaire.objects.get(code="IMP-CORE", version=2),
    )


def _answer_url(assessment, component: str, dimension: str) -> str:
    return reverse("assessments:answer", args=[assessment.pk, component, dimension])


def _fr(item, field: str) -> str:
    return escape(item.translations["fr"][field])


def test_answer_page_in_french_shows_the_french_statement_guidance_rubric_and_tags(
    client, personas, shipped, current_period
):
    _v1, v2 = shipped
    assessment = assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=v2
    )
    client.force_login(personas.respondent_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get(_answer_url(assessment, "political", "LEAD")).content.decode()

    lead01 = Indicator.objects.get(questionnaire=v2, code="LEAD-01")
    # French puts a no-break space before the colon (docs/i18n.md, typography).
    assert f"LEAD-01\u00a0: {_fr(lead01, 'statement')}" in html
    assert _fr(lead01, "guidance") in html
    for step in range(1, 6):
        assert _fr(lead01, f"rubric_{step}") in html
    assert "Collaboration / planification conjointe\u00a0: l’équipe de direction" in html
    assert escape(lead01.statement) not in html and escape(lead01.rubric_4) not in html
    lead = Dimension.objects.get(questionnaire=v2, code="LEAD")
    assert _fr(lead, "title") in html and _fr(lead, "description") in html
    tag = DimensionTag.objects.get(dimension=lead, code="LEAD-B-HQCONTROL")
    assert _fr(tag, "label") == "Décisions essentielles gardées au Siège"
    assert _fr(tag, "label") in html
    assert escape(tag.label) not in html


def test_answer_page_follows_the_browser_language_and_english_stays_english(
    client, personas, shipped, current_period
):
    _v1, v2 = shipped
    assessment = assessment_open(
        mission=personas.mission_a, period=current_period, questionnaire=v2
    )
    client.force_login(personas.respondent_a)
    hum = Indicator.objects.get(questionnaire=v2, code="HUM-04")
    url = _answer_url(assessment, "political", "HUM")

    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert _fr(hum, "statement") in french and _fr(hum, "rubric_5") in french

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert escape(hum.statement) in english and escape(hum.rubric_5) in english
    assert _fr(hum, "statement") not in english


def test_imp_core_v1_reads_in_french_for_a_french_reader(client, personas, shipped, current_period):
    v1, _v2 = shipped
    assessment = assessment_open(
        mission=personas.mission_b, period=current_period, questionnaire=v1
    )
    client.force_login(personas.respondent_b)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    component = personas.respondent_b.mission_memberships.get().component
    html = client.get(_answer_url(assessment, component, "LEAD")).content.decode()
    lead02 = Indicator.objects.get(questionnaire=v1, code="LEAD-02")
    # v1's own wording (not v2's), in French
    assert lead02.translations["fr"]["rubric_5"].startswith(
        "Intégration complète\u00a0: les rôles, les pouvoirs et les liens hiérarchiques forment "
        "une structure de gestion unique et claire"
    )
    assert _fr(lead02, "statement") in html and _fr(lead02, "rubric_5") in html
    assert escape(lead02.statement) not in html and escape(lead02.rubric_5) not in html
    lead = Dimension.objects.get(questionnaire=v1, code="LEAD")
    assert _fr(lead, "title") == "Direction et gestion" and _fr(lead, "title") in html
    tors = DimensionTag.objects.get(dimension=lead, code="LEAD-E-TORS")
    assert _fr(tors, "label") in html and escape(tors.label) not in html

    detail = client.get(reverse("questionnaire_detail", args=[v1.pk])).content.decode()
    assert _fr(v1, "title") in detail and _fr(v1, "description") in detail
    ms = Dimension.objects.get(questionnaire=v1, code="MS")
    assert _fr(ms, "description") in detail and escape(ms.description) not in detail


def test_glossary_and_questionnaire_pages_read_in_french(client, personas, shipped):
    _v1, v2 = shipped
    client.force_login(personas.analyst)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    glossary = client.get(reverse("questionnaires:version_glossary", args=[v2.pk]))
    html = glossary.content.decode()
    srsg = GlossaryTerm.objects.get(questionnaire=v2, term="SRSG")
    assert srsg.translations["fr"]["term"] == "RSSG"
    assert _fr(srsg, "term") in html and _fr(srsg, "definition") in html
    assert escape(srsg.quote) in html  # the report's words stay in English: a citation

    detail = client.get(reverse("questionnaire_detail", args=[v2.pk])).content.decode()
    assert _fr(v2, "title") in detail
    pol05 = Indicator.objects.get(questionnaire=v2, code="POL-05")
    assert _fr(pol05, "statement") in detail and _fr(pol05, "rubric_3") in detail
