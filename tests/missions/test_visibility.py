"""Who sees which missions: the one rule every mission-scoped view relies on."""

import pytest

from missions.selectors import mission_list_visible_to, mission_memberships_for_user
from tests.factories import MembershipFactory, MissionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("respondent_a", {"MSN-A"}),
        ("focal_point_a", {"MSN-A"}),
        ("respondent_b", {"MSN-B"}),
        ("focal_point_b", {"MSN-B"}),
        ("analyst", {"MSN-A", "MSN-B", "MSN-C"}),
        ("admin", {"MSN-A", "MSN-B", "MSN-C"}),
    ],
)
def test_each_persona_sees_exactly_the_allowed_missions(personas, persona, expected):
    MissionFactory(code="MSN-C")  # nobody's mission: only HQ roles see it
    user = personas.all()[persona]
    assert set(mission_list_visible_to(user=user).values_list("code", flat=True)) == expected


def test_anonymous_user_sees_no_mission(personas):
    from django.contrib.auth.models import AnonymousUser

    assert not mission_list_visible_to(user=AnonymousUser()).exists()


def test_deactivated_staff_member_sees_no_mission(personas):
    personas.respondent_a.is_active = False
    personas.respondent_a.save()
    assert not mission_list_visible_to(user=personas.respondent_a).exists()


def test_member_of_two_components_sees_the_mission_once(personas):
    MembershipFactory(user=personas.respondent_a, mission=personas.mission_a, component="police")
    assert list(mission_list_visible_to(user=personas.respondent_a)) == [personas.mission_a]


def test_memberships_list_only_the_users_own(personas):
    roles = [
        (m.mission.code, m.role) for m in mission_memberships_for_user(user=personas.focal_point_b)
    ]
    assert roles == [("MSN-B", "focal_point")]


def test_respondent_membership_requires_a_component(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        MembershipFactory(user=UserFactory(), component="")
