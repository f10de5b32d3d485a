"""Every GET page of the product, in a real browser, as the persona allowed to see it: no
serious or critical WCAG 2 A/AA violation (axe-core) and a clean console (no error, no CSP
violation). URLs are discovered from the URLconf, as in the access matrix: a new view fails
this test until it is given a visit (or a reason not to be visited) below.
"""

import datetime
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actions.services import action_create
from assessments.models import Assessment
from exports.models import ExportJob, ExportKind, ExportStatus
from notifications.models import NotificationKind
from notifications.services.recording import notification_record
from tests.assessments.conftest import assessment_a, current_period  # noqa: F401 (fixtures)
from tests.browser.conftest import log_in
from tests.dashboards import conftest as dashboard_data
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

questionnaire = dashboard_data.questionnaire
small = dashboard_data.small

# (url name, the persona who may see it, or None for anonymous), grouped by persona so each
# logs in once. Query strings the page needs to show something: QUERIES.
PAGES = [
    ("login", None),
    ("password_reset", None),
    ("password_reset_done", None),
    ("password_reset_complete", None),
    ("home", "respondent_a"),
    ("assessments:mine", "respondent_a"),
    ("assessments:response", "respondent_a"),  # redirects to the first dimension
    ("assessments:answer", "respondent_a"),
    ("assessments:complete", "respondent_a"),
    ("assessments:workbook", "respondent_a"),
    ("password_change", "respondent_a"),
    ("password_change_done", "respondent_a"),
    ("notifications:list", "respondent_a"),  # with a reminder in it
    ("notifications:preferences", "respondent_a"),
    ("dashboards:index", "respondent_a"),  # redirects to the mission list
    ("dashboards:missions", "respondent_a"),
    ("dashboards:profile", "respondent_a"),  # the mission's own view, peers anonymous
    ("assessments:board", "focal_point_a"),
    ("assessments:activity", "focal_point_a"),
    ("assessments:context_profile", "focal_point_a"),  # with the focal point's form
    ("assessments:not_applicable_confirm", "focal_point_a"),  # N/A on safeguards to confirm
    ("actions:create", "focal_point_a"),  # on an approved quarter (ARGUMENTS_FOR below)
    ("actions:detail", "focal_point_a"),  # with its edit and note forms
    ("actions:followup", "focal_point_a"),
    ("questionnaire_list", "analyst"),
    ("questionnaire_compare", "analyst"),
    ("questionnaire_detail", "analyst"),
    ("questionnaires:glossary", "analyst"),
    ("questionnaires:version_glossary", "analyst"),
    ("dashboards:portfolio", "analyst"),
    ("dashboards:compare", "analyst"),
    ("dashboards:barriers", "analyst"),
    ("dashboards:evidence", "analyst"),
    ("dashboards:actions", "analyst"),
    ("exports:index", "analyst"),
    ("exports:job", "analyst"),
    ("two_factor", "analyst"),
    ("account", "analyst"),
    ("password_confirm", "analyst"),
    ("api:tokens", "analyst"),
    ("api:docs", "analyst"),  # Swagger UI from drf-spectacular-sidecar's static files
]
QUERIES = {"dashboards:evidence": "?dimension=LEAD&tag=LEAD-B-ROLES"}

# Views that are not pages: what they answer instead (their own tests check them).
NOT_PAGES = {
    "healthz": "plain-text health check",
    "favicon": "a redirect to an image (checked below)",
    "logout": "POST only",
    "oidc_start": "a redirect to the organisation's provider; 404 unless it is configured "
    "(tests/security/test_oidc.py, tests/browser/test_oidc.py)",
    "oidc_callback": "back from the provider (tests/security/test_oidc.py)",
    "oidc_no_access": "needs an organisation sign-in without a role; axe runs on it in "
    "tests/browser/test_oidc.py",
    "language_set": "POST only, the header's language switcher (tests/i18n)",
    "javascript_catalog": "a script, the JavaScript translation catalogue (tests/i18n)",
    "assessments:targets": "POST only",
    "assessments:bands": "POST only",
    "assessments:bands_clear": "POST only",
    "assessments:phase": "POST only",
    "assessments:not_applicable": "POST only",
    "assessments:not_applicable_withdraw": "POST only",
    "password_reset_confirm": "needs the token of a reset e-mail (tests/security)",
    "two_factor_setup": "redirects to password_confirm until the password is typed again",
    "recovery_codes": "shown once after enrolment with a verified second factor "
    "(tests/security/test_second_factor.py)",
    "assessments:submit": "POST only",
    "assessments:reopen": "POST only",
    "assessments:approve": "POST only",
    "assessments:highlights": "POST only",
    "assessments:autosave": "POST only (JSON)",
    "assessments:copy_forward": "POST only",
    "assessments:workbook_download": "an .xlsx download (tests/assessments/test_workbook.py)",
    "assessments:workbook_resolve": "POST only",
    "exports:scorecard": "POST only (a PDF download)",
    "exports:mission_scorecard": "a PDF download",
    "exports:briefing_pack": "POST only",
    "exports:briefing_deck": "POST only (tests/exports/test_deck.py)",
    "exports:data": "POST only",
    "exports:status": "JSON polled by the job page",
    "exports:download": "a file download",
    "exports:retry": "POST only",
    "api:token_revoke": "POST only",
    "api:schema": "the OpenAPI document (YAML or JSON), read by the API reference page",
    "api:missions": "JSON/CSV API (tests/api)",
    "api:mission_peers": "JSON/CSV API (tests/api)",
    "api:periods": "JSON/CSV API (tests/api)",
    "api:questionnaires": "JSON/CSV API (tests/api)",
    "api:questionnaire": "JSON API (tests/api)",
    "api:assessments": "JSON/CSV API (tests/api)",
    "api:dimension_scores": "JSON/CSV API (tests/api)",
    "api:indicator_scores": "JSON/CSV API (tests/api)",
    "api:coherence_scores": "JSON/CSV API (tests/api)",
    "api:barriers": "JSON/CSV API (tests/api)",
    "api:actions": "JSON/CSV API (tests/api)",
    "actions:note_add": "POST only",
    "notifications:read": "POST only",
    "notifications:read_all": "POST only",
}


def _url_patterns() -> dict[str, set[str]]:
    """Every named URL outside Django's admin, with the keyword arguments it takes."""
    found: dict[str, set[str]] = {}

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # Django's own pages; tests/e2e walks the ones the product uses
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[f"{namespace}{pattern.name}"] = set(pattern.pattern.converters)

    walk(get_resolver().url_patterns)
    return found


def test_every_url_is_visited_or_has_a_reason_not_to_be():
    visited = {name for name, _persona in PAGES}
    unknown = sorted(set(_url_patterns()) - visited - set(NOT_PAGES))
    assert not unknown, f"visit these in test_every_page (or say why not, NOT_PAGES): {unknown}"


@pytest.mark.service
@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe_with_a_clean_console(
    page,
    page_watch,
    personas,
    small,
    assessment_a,  # noqa: F811
):
    cache.clear()
    # Actions are agreed on a submitted or approved quarter: the dashboards' data has them.
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
    notification_record(
        kind=NotificationKind.REMINDER,
        user=personas.respondent_a,
        assessment=assessment_a,
        on_date=assessment_a.period.closes_on - datetime.timedelta(days=7),
        data={
            "mission": "MSN-A",
            "period": assessment_a.period.label,
            "due_on": assessment_a.period.closes_on.isoformat(),
            "days_left": 7,
            "components": [["political", 3]],
        },
    )
    arguments_for = {"actions:create": {"assessment_id": approved.pk}}
    patterns = _url_patterns()
    current = None
    landed = set()
    for name, persona in PAGES:
        if persona != current:
            page.context.clear_cookies()
            if persona:
                log_in(page, persona, PASSWORD)
            current = persona
        kwargs = {key: arguments[key] for key in patterns[name]}
        kwargs.update(arguments_for.get(name, {}))
        url = reverse(name, kwargs=kwargs) + QUERIES.get(name, "")
        response = page.goto(url)
        assert response.status == 200, (name, persona, url, response.status)
        landed.add(urlsplit(page.url).path)

    favicon = page.request.get("/favicon.ico")
    assert favicon.status == 200 and favicon.headers["content-type"].startswith("image/")
    assert page.request.get("/favicon.ico", max_redirects=0).status == 301

    page_watch.assert_clean()
    assert landed <= page_watch.checked, landed - page_watch.checked
