"""What the load test's virtual users do: seeded logins and the pages they open.

Imported by run.py after Django is set up on the load test's own database.
"""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

from django.urls import NoReverseMatch, URLPattern, URLResolver, reverse

from assessments.models import Assessment, AssessmentStatus
from assessments.services import (
    AnswerInput,
    response_answers_save,
    response_get_or_create,
    response_missing_indicators,
)
from demo.services import DEMO_PASSWORD, demo_seed
from missions.models import Membership, MembershipRole, Mission, Period
from questionnaires.models import DimensionTag

# Past quarters to seed before the current (open) one: enough history for the dashboards.
QUARTERS = 2
# Mission-specific analyst pages rotate through this many missions.
PAGES_PER_LABEL = 20


def build_plan(*, missions: int) -> dict:
    """Seed the demo data; return the plan locustfile.py reads (see its docstring)."""
    demo_seed(missions=missions, quarters=QUARTERS)
    current = Period.objects.order_by("-year", "-quarter").first()
    open_assessments = {
        a.mission_id: a
        for a in Assessment.objects.filter(
            period=current, status=AssessmentStatus.OPEN
        ).select_related("mission", "questionnaire")
    }
    memberships = (
        Membership.objects.filter(
            role=MembershipRole.RESPONDENT, mission_id__in=open_assessments, mission__is_demo=True
        )
        .select_related("user")
        # Political respondents first: one per mission before any mission gets a second.
        .order_by("-component", "mission__code")
    )
    dimensions_of = {}
    respondents = []
    for membership in memberships:
        assessment = open_assessments[membership.mission_id]
        _answer_the_rest(assessment, membership)
        if assessment.questionnaire_id not in dimensions_of:
            dimensions_of[assessment.questionnaire_id] = list(
                assessment.questionnaire.dimensions.order_by("order").values_list("code", flat=True)
            )
        respondents.append(
            {
                "username": membership.user.get_username(),
                "assessment_id": assessment.pk,
                "component": membership.component,
                "dimensions": dimensions_of[assessment.questionnaire_id],
            }
        )
    return {
        "respondents": respondents,
        "analyst": "analyst",
        "password": DEMO_PASSWORD,
        "analyst_pages": _analyst_pages(list(open_assessments.values()), current),
    }


def _answer_the_rest(assessment: Assessment, membership: Membership) -> None:
    """Answer what the demo data left blank, so a virtual respondent can mark its response
    complete (which sends it to be scored by the worker) and every save keeps it so."""
    response = response_get_or_create(assessment=assessment, component=membership.component)
    missing = response_missing_indicators(response=response)
    if missing:
        response_answers_save(
            response=response,
            by=membership.user,
            answers=[
                AnswerInput(code, choice=str(1 + n % 5), evidence="Answered before the load test.")
                for n, code in enumerate(missing)
            ],
        )


def _analyst_pages(assessments: list[Assessment], current: Period) -> dict[str, list[str]]:
    sample = sorted(assessments, key=lambda a: a.mission.code)[:PAGES_PER_LABEL]
    questionnaire = sample[0].questionnaire
    pages = {
        "home": [reverse("home")],
        "questionnaire": [reverse("questionnaire_detail", args=[questionnaire.pk])],
        "assessment board": [reverse("assessments:board", args=[a.pk]) for a in sample],
    }
    pages.update(_dashboard_pages([a.mission for a in sample], current))
    return pages


def _dashboard_pages(missions: list[Mission], period: Period) -> dict[str, list[str]]:
    """Every named page of the dashboards app that can be addressed with what we know
    (a mission's id or code, a period), labelled by its URL name."""
    import dashboards.urls

    pages = {}
    for pattern in _flatten(dashboards.urls.urlpatterns):
        converters = getattr(pattern.pattern, "converters", {})
        paths = []
        for mission in missions if _mentions_mission(converters) else missions[:1]:
            kwargs = {
                name: _guess(name, converter, mission, period)
                for name, converter in converters.items()
            }
            if None in kwargs.values():
                break
            try:
                paths.append(reverse(f"dashboards:{pattern.name}", kwargs=kwargs))
            except NoReverseMatch:
                break
        if paths and pattern.name in QUERIES:
            paths = [path + query for path in paths[:1] for query in QUERIES[pattern.name]()]
        if paths:
            pages[f"dashboards {pattern.name.replace('_', ' ')}"] = sorted(set(paths))
    return pages


def _evidence_queries() -> list[str]:
    """The barrier evidence list needs a dimension and one of its tags, as the barriers
    page links to it."""
    tags = DimensionTag.objects.select_related("dimension").order_by("dimension__order", "code")
    return [
        "?" + urllib.parse.urlencode({"dimension": tag.dimension.code, "tag": tag.code})
        for tag in tags[:PAGES_PER_LABEL]
    ]


# Dashboard pages that need query parameters to show anything, by URL name.
QUERIES = {"evidence": _evidence_queries}


def _flatten(patterns) -> list[URLPattern]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _flatten(entry.url_patterns)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append(entry)
    return found


def _mentions_mission(converters: dict) -> bool:
    return any("mission" in name for name in converters)


def _guess(name: str, converter, mission: Mission, period: Period):
    numeric = converter.regex == "[0-9]+"
    if "mission" in name:
        return mission.pk if numeric else mission.code
    if name == "year":
        return period.year
    if name == "quarter":
        return period.quarter
    if "period" in name:
        return period.pk if numeric else period.label
    return None


class AnalystBrowser:
    """A logged-in analyst for checking which pages exist before the run (no redirects
    followed, so a page that sends the analyst elsewhere shows as its 3xx)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect
        )
        login = self._open("/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
        ).encode()
        if self.status("/accounts/login/", body) != 302:
            raise RuntimeError(f"{username} could not log in")

    def _open(self, path: str, body: bytes | None = None):
        return self.opener.open(f"{self.base}{path}", data=body, timeout=60)

    def status(self, path: str, body: bytes | None = None) -> int:
        try:
            with self._open(path, body) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code
