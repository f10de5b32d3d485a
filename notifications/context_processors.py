from django.http import HttpRequest

from notifications.selectors import notifications_unread_count


def unread(request: HttpRequest) -> dict[str, int]:
    """The unread count shown in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": notifications_unread_count(user=user)}
