from django.http import HttpRequest

from imp_assess.marking import classification_marking
from missions.roles import user_is_administrator, user_is_analyst, user_sees_all_missions
from missions.selectors import mission_list_visible_to, mission_memberships_for_user

# The navigation's sections: which one a page belongs to, from its URL's namespace and name.
NAV_SECTIONS = {
    "home": "home",
    "assessments": "assessments",
    "actions": "assessments",  # an action belongs to its mission's assessments
    "dashboards": "dashboards",
    "exports": "exports",
    "questionnaire_list": "reference",
    "questionnaire_compare": "reference",
    "questionnaire_detail": "reference",
    "questionnaires": "reference",
    "account": "account",
    "security": "account",
}


def _nav_section(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:
        return ""
    return NAV_SECTIONS.get(match.namespace or "", NAV_SECTIONS.get(match.url_name or "", ""))


def navigation(request: HttpRequest) -> dict:
    """Role flags for the navigation, the demo-data marker and the classification."""
    user = request.user
    # One row per membership: whether its mission is a demo one.
    member_of = list(
        mission_memberships_for_user(user=user).values_list("mission__is_demo", flat=True)
    )
    return {
        "nav_is_analyst": user_is_analyst(user),
        "nav_is_administrator": user_is_administrator(user),
        "nav_has_missions": bool(member_of),
        "nav_section": _nav_section(request),
        # Mission staff see only their missions: the membership query answers both questions.
        "demo_data_shown": (
            mission_list_visible_to(user=user).filter(is_demo=True).exists()
            if user_sees_all_missions(user)
            else any(member_of)
        ),
        "classification_marking": classification_marking(),
    }
