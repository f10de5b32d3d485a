"""Every page of the URLconf, as each persona (and anonymous), in French: no English string of
the catalogue that has a French translation may show, so a string that was not passed
through translation (or a translation not compiled) fails here.

The pages and their arguments come from tests/browser/test_every_page.py (PAGES, discovered
from the URLconf: a new view fails there until it is listed). Texts that come from the data
(questionnaire content, mission names, answers) are removed before checking: they stay in the
language they were written in.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from actions.services import action_create
from assessments.models import Assessment
from exports.models import ExportJob, ExportKind, ExportStatus
from imp_assess.messages import translations
from tests.assessments.conftest import assessment_a, current_period  # noqa: F401 (fixtures)
from tests.browser.test_every_page import PAGES, QUERIES, _url_patterns
from tests.dashboards import conftest as dashboard_data

pytestmark = pytest.mark.django_db

questionnaire = dashboard_data.questionnaire
small = dashboard_data.small

PERSONAS = [None, "respondent_a", "focal_point_a", "respondent_b", "focal_point_b", "analyst"]
PERSONAS += ["admin"]
# Attributes whose text a person reads (or hears, with a screen reader).
READ_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}
# Apps whose rows hold content typed by people (kept in its own language).
DATA_APPS = {"missions", "questionnaires", "assessments", "scoring", "exports", "actions", "auth"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


class _VisibleText(HTMLParser):
    """Text nodes and read attributes, outside <script>/<style> and outside elements in
    another language (the switcher's "English" option)."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in READ_ATTRIBUTES & attributes.keys():
            self.chunks.append(attributes[name] or "")
        if tag in ("script", "style") or attributes.get("lang", "fr") != "fr":
            self._skip.append(tag)

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(data)


def _pattern(msgid: str) -> tuple[re.Pattern, bool] | None:
    """A regex for the msgid as rendered, and whether it may be found inside a longer text
    (several words of literal text) or must be a whole text node (a single word)."""
    if "<" in msgid:
        return None  # holds markup: its text is split over several nodes
    literal = _PLACEHOLDER.sub(" ", msgid)
    words = re.findall(r"[A-Za-z]{2,}", literal)
    if not words:
        return None
    parts = _PLACEHOLDER.split(msgid)
    # split() interleaves the captured names: keep the literal parts only
    literals = parts[::2]
    regex = r"\s*.+?\s*".join(re.escape(" ".join(part.split())) for part in literals)
    return re.compile(regex), len(words) >= 2


@pytest.fixture(scope="module")
def english_strings() -> list[tuple[str, re.Pattern, bool]]:
    found = []
    for msgid, msgstr in translations("fr").items():
        if msgid.strip().lower() == msgstr.strip().lower():
            continue  # the same in both languages ("Missions", "Score")
        compiled = _pattern(msgid)
        if compiled:
            found.append((msgid, *compiled))
    return found


def _data_texts() -> list[str]:
    texts: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in DATA_APPS:
            continue
        fields = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            texts.update(
                " ".join(value.split())
                for value in row
                if isinstance(value, str) and len(value) > 2
            )
    return sorted(texts, key=len, reverse=True)


def _untranslated(html: str, english, data_texts) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    hits = []
    for chunk in parser.chunks:
        text = " ".join(chunk.split())
        for data_text in data_texts:
            if data_text in text:
                text = text.replace(data_text, " ")
        text = text.strip(" :;,.·—–()")
        if not text:
            continue
        for msgid, pattern, inside in english:
            match = pattern.search(text) if inside else pattern.fullmatch(text)
            if match and (not inside or _whole_words(text, match)):
                hits.append(f"{msgid!r} in {chunk.strip()[:120]!r}")
    return hits


_QUARTER_CODE = re.compile(r"\b20\d\d-Q[1-4]\b")


def _quarter_codes(html: str) -> list[str]:
    """Quarter codes ("2026-Q3") in the text a person reads; French shows "T3 2026" (the code
    stays in URLs, file names and form values, which are not read text)."""
    parser = _VisibleText()
    parser.feed(html)
    return [chunk.strip()[:120] for chunk in parser.chunks if _QUARTER_CODE.search(chunk)]


def _whole_words(text: str, match: re.Match) -> bool:
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return not (before.isalnum() or after.isalnum())


@pytest.mark.django_db
def test_every_page_shows_no_english_string_in_french(
    client,
    personas,
    small,
    assessment_a,  # noqa: F811
    english_strings,
):
    # Actions are agreed on a submitted or approved quarter (as in test_every_page).
    approved = Assessment.objects.filter(mission=small.a, status="approved").first()
    action = action_create(
        assessment=approved,
        by=personas.focal_point_a,
        description="Joint planning cell",
        owner="Chief of Staff",
        dimension_code="LEAD",
        due=(2099, 1),
    )
    job = ExportJob.objects.create(
        kind=ExportKind.DATA_CSV,
        description="Data export",
        created_by=personas.analyst,
        status=ExportStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
    )
    arguments = {
        "assessment_id": assessment_a.pk,
        "component": "political",
        "dimension_code": "LEAD",
        "mission_id": small.a.pk,
        "pk": assessment_a.questionnaire_id,
        "job_id": job.pk,
        "action_id": action.pk,
    }
    arguments_for = {"actions:create": {"assessment_id": approved.pk}}
    data_texts = _data_texts()
    patterns = _url_patterns()
    everyone = personas.all()
    problems = []
    pages_checked = 0
    for persona in PERSONAS:
        client.logout()
        if persona:
            client.force_login(everyone[persona])
        for name, _allowed in PAGES:
            kwargs = {key: arguments[key] for key in patterns[name]}
            kwargs.update(arguments_for.get(name, {}))
            url = reverse(name, kwargs=kwargs) + QUERIES.get(name, "")
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
            if response.status_code != 200 or "html" not in response["Content-Type"]:
                continue
            html = response.content.decode()
            assert '<html lang="fr" dir="ltr">' in html, (persona, name)
            pages_checked += 1
            problems += [
                f"{persona or 'anonymous'} {name}: {hit}"
                for hit in _untranslated(html, english_strings, data_texts)
            ]
            problems += [
                f"{persona or 'anonymous'} {name}: quarter code {hit!r} (French says T3 2026)"
                for hit in _quarter_codes(html)
            ]
    assert pages_checked >= len(PAGES), pages_checked
    assert not problems, "English on French pages:\n" + "\n".join(sorted(set(problems)))


def test_the_check_finds_a_quarter_code_in_read_text():
    html = (
        '<html lang="fr"><body><p>Évaluation 2026-Q3</p><p>T3 2026</p>'
        '<a href="/x/2026-Q3/">T3 2026</a><option value="2026-Q2">T2 2026</option></body></html>'
    )
    assert _quarter_codes(html) == ["Évaluation 2026-Q3"]


def test_the_check_finds_an_english_string():
    english = [("Save and continue", *_pattern("Save and continue"))]
    english.append(("%(n)d answers copied", *_pattern("%(n)d answers copied")))
    english.append(("Submit", *_pattern("Submit")))
    html = (
        '<html lang="fr"><body><button>Save and continue</button><p>Soumettre</p>'
        "<p>3 answers copied</p><p>Submitted</p>"
        '<option lang="en">Submit</option><script>"Submit"</script></body></html>'
    )
    hits = _untranslated(html, english, [])
    assert len(hits) == 2
    assert "Save and continue" in hits[0] and "answers copied" in hits[1]
