"""Method v3's critical findings lead the cross-mission summaries that have no per-mission
table: the barriers and enablers page and the evidence notes (analysts only), each saying how
many of the missions it covers have critical findings, in the critical style."""

import pytest
from django.urls import reverse

from scoring.headline import headline_summary
from scoring.models import ScoreSet
from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)
from tests.scoring.test_headline_surfaces import breached  # noqa: F401 (fixture)
from tests.scoring.test_method_v3_storage import assessment_v3  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _summary(page: str) -> str:
    start = page.index('id="headline-summary"')
    return page[start : page.index("</p>", start)]


@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboards:barriers"),
        reverse("dashboards:evidence") + "?dimension=LEAD&tag=LEAD-B-ROLES",
    ],
)
def test_critical_findings_lead_the_barriers_and_evidence_pages(client, personas, breached, url):  # noqa: F811
    client.force_login(personas.analyst)
    page = client.get(url).content.decode()
    summary = _summary(page)
    n = breached.critical_count
    assert n >= 1
    finding = "finding" if n == 1 else "findings"
    assert f"{n} critical {finding} in 1 of 1 mission" in summary
    assert 'class="flag-badge flag-critical"' in summary
    assert f'data-critical="{n}"' in summary
    assert f"?period={breached.period_id}&amp;sort=-critical" in summary
    assert breached.period.display in summary
    # It comes before the page's own table.
    assert page.index('id="headline-summary"') < page.index("<table")


def test_the_summary_counts_missions_and_findings_of_the_quarter(personas, breached):  # noqa: F811
    summary = headline_summary(
        missions=[personas.mission_a, personas.mission_b], period=breached.period
    )
    assert summary.missions == 1  # mission B has no method 3 result
    assert summary.critical_missions == 1
    assert summary.critical_findings == breached.critical_count
    ScoreSet.objects.filter(pk=breached.pk).update(critical_count=0, unverified_count=2)
    again = headline_summary(missions=[personas.mission_a], period=breached.period)
    assert (again.critical_missions, again.unverified_missions) == (0, 1)
    assert again.unverified_text == "2 safeguards unverified in 1 mission"


def test_a_filter_that_covers_no_scored_mission_shows_no_summary(client, personas, breached):  # noqa: F811
    client.force_login(personas.analyst)
    page = client.get(reverse("dashboards:barriers") + "?region=europe").content.decode()
    assert 'id="headline-summary"' not in page


def test_mission_staff_cannot_open_the_pages_that_carry_it(client, personas, breached):  # noqa: F811
    client.force_login(personas.focal_point_a)
    assert client.get(reverse("dashboards:barriers")).status_code == 403


def test_the_portfolio_leads_with_the_ten_most_critical_missions_and_links_to_the_rest(
    client, personas, questionnaire
):
    """With more missions than fit a summary, the ten with the most critical findings lead the
    portfolio; the others are one sort of the table away."""
    from django.utils import timezone

    from assessments.models import Assessment
    from tests.factories import MissionFactory, PeriodFactory

    period = PeriodFactory(year=2026, quarter=2)
    for n in range(12):
        mission = MissionFactory(code=f"MSN-{n:02d}")
        assessment = Assessment.objects.create(
            mission=mission, period=period, questionnaire=questionnaire
        )
        ScoreSet.objects.create(
            assessment=assessment,
            mission=mission,
            period=period,
            method_version="imp-score-3.0",
            computed_at=timezone.now(),
            completeness=1.0,
            sufficient=True,
            critical_count=n,
            unverified_count=0,
            contested_count=0,
            coverage=1.0,
            enough_answers=True,
            alignment=50.0 if n else 90.0,
            uncapped_alignment=90.0,
        )
    client.force_login(personas.analyst)
    page = client.get(reverse("dashboards:portfolio") + f"?period={period.pk}").content.decode()
    table = page[
        page.index('id="headlines-table"') : page.index(
            "</table>", page.index('id="headlines-table"')
        )
    ]
    assert table.count('class="headline"') == 10
    assert table.index("MSN-11") < table.index("MSN-10")  # most critical first
    assert "MSN-01" not in table and "MSN-00" not in table
    more = page[page.index('id="headlines-more"') :]
    assert "2 more missions with a headline" in more
    assert f"period={period.pk}&amp;sort=-critical" in more
