from django.conf import settings
from django.http import HttpRequest

from missions.roles import user_is_administrator, user_is_analyst
from missions.selectors import mission_list_visible_to, mission_memberships_for_user

# The navigation's sections: which one a page belongs to, from its URL's namespace and name.
NAV_SECTIONS = {
    "home": "home",
    "assessments": "assessments",
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
    return {
        "nav_is_analyst": user_is_analyst(user),
        "nav_is_administrator": user_is_administrator(user),
        "nav_has_missions": mission_memberships_for_user(user=user).exists(),
        "nav_section": _nav_section(request),
        "demo_data_shown": mission_list_visible_to(user=user).filter(is_demo=True).exists(),
        "classification_marking": settings.CLASSIFICATION_MARKING,
    }
