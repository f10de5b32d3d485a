"""Who may do what with a mission's actions. The rules in one place, used by views,
selectors (for ``can_*`` flags) and services.

Mission staff see only their own mission's actions: respondents read them, the focal point
records and edits them. HQ analysts read every mission's actions and change nothing.
Administrators may do what a focal point may, as for the assessment itself
(``assessments.permissions.can_manage``).
"""

from actions.models import Action
from assessments.models import Assessment, AssessmentStatus
from assessments.permissions import is_focal_point, respondent_components
from missions.roles import User, user_is_administrator, user_is_analyst, user_sees_all_missions

# Actions are agreed once the quarter's findings are in: after submission, and while approved.
RECORDING_STATUSES = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)


def can_view_mission_actions(user: User, mission_id: int) -> bool:
    if user_sees_all_missions(user):
        return True
    return is_focal_point(user, mission_id) or bool(respondent_components(user, mission_id))


def can_edit_mission_actions(user: User, mission_id: int) -> bool:
    """Record actions, change them and add progress notes: the mission's focal point (and
    administrators)."""
    return is_focal_point(user, mission_id) or user_is_administrator(user)


def can_record_action(user: User, assessment: Assessment) -> bool:
    """Agree a new action in this quarter: once submitted, and while approved."""
    return assessment.status in RECORDING_STATUSES and can_edit_mission_actions(
        user, assessment.mission_id
    )


def can_view_action(user: User, action: Action) -> bool:
    return can_view_mission_actions(user, action.mission_id)


def can_edit_action(user: User, action: Action) -> bool:
    return can_edit_mission_actions(user, action.mission_id)


def can_view_portfolio(user: User) -> bool:
    """The cross-mission actions view: HQ analysts and administrators."""
    return user_is_administrator(user) or user_is_analyst(user)
