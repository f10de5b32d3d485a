"""The notifications list, the unread count in the header, mark as read, e-mail choices."""

import datetime

import pytest
from django.urls import reverse

from notifications.models import EmailOptOut, Notification, NotificationKind
from notifications.services.recording import notification_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def reopened(personas, q3_a):
    return notification_record(
        kind=NotificationKind.REOPENED,
        user=personas.respondent_a,
        assessment=q3_a,
        on_date=datetime.date(2026, 9, 20),
        data={
            "mission": "MSN-A",
            "period": "2026-Q3",
            "reason": "Wrong quarter's figures.",
            "component": "political",
        },
    )


def test_the_header_shows_the_unread_count_and_the_list_the_notification(
    client, personas, reopened
):
    client.force_login(personas.respondent_a)
    html = client.get(reverse("home")).content.decode()
    assert (
        'Notifications <span class="badge text-bg-light">1<span class="visually-hidden"> '
        "unread</span></span>" in html
    )
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Reopened: MSN-A 2026-Q3" in html
    assert "Reason given: Wrong quarter&#x27;s figures." in html
    assert "New</span>" in html


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(
    client, personas, q3_a, reopened
):
    client.force_login(personas.respondent_a)
    response = client.post(reverse("notifications:read", args=[reopened.pk]), {"open": "1"})
    assert response.status_code == 302
    assert response.url == reverse("assessments:response", args=[q3_a.pk, "political"])
    reopened.refresh_from_db()
    first_read = reopened.read_at
    assert first_read is not None
    assert "badge text-bg-light" not in client.get(reverse("home")).content.decode()
    client.post(reverse("notifications:read", args=[reopened.pk]))
    reopened.refresh_from_db()
    assert reopened.read_at == first_read


def test_mark_all_as_read(client, personas, reopened):
    client.force_login(personas.respondent_a)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "1 notification marked as read." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_reads_or_marks_another_users_notification(client, personas, reopened):
    client.force_login(personas.focal_point_a)
    assert client.post(reverse("notifications:read", args=[reopened.pk])).status_code == 404
    assert "Reopened" not in client.get(reverse("notifications:list")).content.decode()
    client.post(reverse("notifications:read_all"))
    reopened.refresh_from_db()
    assert reopened.read_at is None


def test_a_user_turns_e_mail_kinds_off_and_on_again(client, personas):
    client.force_login(personas.focal_point_a)
    url = reverse("notifications:preferences")
    html = client.get(url).content.decode()
    assert 'value="reminder"' in html and 'value="complete"' in html
    assert 'value="overdue"' not in html  # always sent to focal points
    assert html.count("checked") == 4
    response = client.post(url, {"kinds": ["reminder", "digest"]})
    assert response.status_code == 302
    assert set(
        EmailOptOut.objects.filter(user=personas.focal_point_a).values_list("kind", flat=True)
    ) == {"complete", "reopened"}
    assert client.get(url).content.decode().count("checked") == 2
    client.post(url, {"kinds": ["reminder", "digest", "complete", "reopened"]})
    assert not EmailOptOut.objects.exists()


def test_the_overdue_notice_cannot_be_turned_off(client, personas):
    client.force_login(personas.focal_point_a)
    response = client.post(reverse("notifications:preferences"), {"kinds": ["overdue"]})
    assert response.status_code == 400
    assert not EmailOptOut.objects.exists()


def test_the_digest_notification_lists_assessments_with_links(client, personas, q3_a):
    notification_record(
        kind=NotificationKind.DIGEST,
        user=personas.analyst,
        assessment=None,
        on_date=datetime.date(2026, 10, 5),
        data={
            "week_of": "2026-10-05",
            "submitted": [[q3_a.pk, "MSN-A 2026-Q3"]],
            "approved": [],
            "overdue": [],
            "actions_overdue": [],
        },
    )
    client.force_login(personas.analyst)
    html = client.get(reverse("notifications:list")).content.decode()
    assert f'<a href="/assessments/{q3_a.pk}/">MSN-A 2026-Q3</a>' in html
    assert html.count("None.") == 3
