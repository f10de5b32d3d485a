"""Who may do what with an assessment. The rules in one place, used by views and services.

Mission staff act only within their own mission: respondents answer for their
component, focal points manage the mission's assessment. HQ analysts read every
mission and change nothing. Administrators may do everything an analyst may,
approve submitted assessments and reopen approved ones.
"""

from assessments.models import Assessment, AssessmentStatus, Response
from missions.models import MISSION_WIDE, Membership, MembershipRole
from missions.roles import User, user_is_administrator, user_sees_all_missions
from missions.selectors import answer_components_readable_by


def _roles(user: User, mission_id: int) -> set[tuple[str, str]]:
    """(role, component) pairs of the user in the mission, cached on the user object."""
    if not (user.is_authenticated and user.is_active):
        return set()
    cache: dict[int, set[tuple[str, str]]] = user.__dict__.setdefault("_imp_mission_roles", {})
    if mission_id not in cache:
        cache[mission_id] = set(
            Membership.objects.filter(user=user, mission_id=mission_id).values_list(
                "role", "component"
            )
        )
    return cache[mission_id]


def is_focal_point(user: User, mission_id: int) -> bool:
    return any(role == MembershipRole.FOCAL_POINT for role, _ in _roles(user, mission_id))


def respondent_components(user: User, mission_id: int) -> set[str]:
    return {c for role, c in _roles(user, mission_id) if role == MembershipRole.RESPONDENT}


def can_view_assessment(user: User, assessment: Assessment) -> bool:
    return user_sees_all_missions(user) or bool(_roles(user, assessment.mission_id))


def readable_components(user: User, assessment: Assessment) -> frozenset[str] | None:
    """Whose answers and evidence the user may read (None: every component's), by the one
    component-confidentiality rule of ``missions.selectors``."""
    return answer_components_readable_by(user=user, mission_id=assessment.mission_id)


def can_view_response(user: User, assessment: Assessment, component: str) -> bool:
    readable = readable_components(user, assessment)
    return readable is None or component in readable


def accepts_answers(assessment: Assessment) -> bool:
    """Answers (and their changes) are taken while the assessment is open."""
    return assessment.status == AssessmentStatus.OPEN


def can_answer_component(user: User, assessment: Assessment, component: str) -> bool:
    """Answer for the component now, whether or not its response row exists yet.
    Respondents answer for their component; the focal point answers the indicators asked of
    the whole mission (the MISSION_WIDE response)."""
    if not accepts_answers(assessment):
        return False
    if component == MISSION_WIDE:
        return is_focal_point(user, assessment.mission_id)
    return component in respondent_components(user, assessment.mission_id)


def can_answer(user: User, response: Response) -> bool:
    return can_answer_component(user, response.assessment, response.component)


def can_manage(user: User, assessment: Assessment) -> bool:
    """Set targets, submit, reopen a submitted assessment: the mission's focal point."""
    return is_focal_point(user, assessment.mission_id) or user_is_administrator(user)


def can_set_targets(user: User, assessment: Assessment) -> bool:
    """Dimension targets (v1), target bands and the mission's phase: while open."""
    return assessment.status == AssessmentStatus.OPEN and can_manage(user, assessment)


def can_set_bands(user: User, assessment: Assessment) -> bool:
    return can_set_targets(user, assessment)


def can_declare_not_applicable(user: User, assessment: Assessment) -> bool:
    """Declare (or withdraw) an indicator not applicable to the mission: while open."""
    return assessment.status == AssessmentStatus.OPEN and can_manage(user, assessment)


def can_view_activity(user: User, assessment: Assessment) -> bool:
    return can_manage(user, assessment)


def can_submit(user: User, assessment: Assessment) -> bool:
    """Submit for approval: the focal point (or an administrator), while open."""
    return assessment.status == AssessmentStatus.OPEN and can_manage(user, assessment)


def can_edit_highlights(user: User, assessment: Assessment) -> bool:
    """The quarter's highlights: the focal point, until the assessment is approved."""
    return assessment.status != AssessmentStatus.APPROVED and can_manage(user, assessment)


def can_approve(user: User, assessment: Assessment) -> bool:
    return user_is_administrator(user)


def can_approve_now(user: User, assessment: Assessment) -> bool:
    """What the board offers: approval of a submitted assessment, by an administrator."""
    return assessment.status == AssessmentStatus.SUBMITTED and can_approve(user, assessment)


def can_reopen(user: User, assessment: Assessment) -> bool:
    if assessment.status == AssessmentStatus.SUBMITTED:
        return can_manage(user, assessment)
    if assessment.status == AssessmentStatus.APPROVED:
        return user_is_administrator(user)
    return False


def can_set_context_profile(user: User, assessment: Assessment) -> bool:
    """The mission's context profile from this quarter on: the focal point while the quarter
    is open; an administrator at any time (a correction, with a reason)."""
    if user_is_administrator(user):
        return True
    return assessment.status == AssessmentStatus.OPEN and is_focal_point(
        user, assessment.mission_id
    )
