from django.conf import settings
from django.http import HttpRequest

from missions.roles import user_is_administrator, user_is_analyst
from missions.selectors import mission_list_visible_to


def navigation(request: HttpRequest) -> dict:
    """Role flags for the navigation, the demo-data marker and the classification."""
    user = request.user
    return {
        "nav_is_analyst": user_is_analyst(user),
        "nav_is_administrator": user_is_administrator(user),
        "demo_data_shown": mission_list_visible_to(user=user).filter(is_demo=True).exists(),
        "classification_marking": settings.CLASSIFICATION_MARKING,
    }
