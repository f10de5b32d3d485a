"""The language a person reads the application in: one home for the choice.

Pages follow the profile's choice, or the browser (Accept-Language, Django's LocaleMiddleware)
while nothing is chosen. Mail and exports, made outside the person's request, call
``user_language(user)`` and wrap their work in ``translation.override(...)``.
"""

from django.conf import settings
from django.utils import translation

from missions.roles import User
from security.models import UserProfile

# The profile's choice, kept in the session at login so pages need no query to find it
# ("" when the person has not chosen).
SESSION_LANGUAGE = "imp_language"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def user_chosen_language(user: User) -> str:
    """The language the user chose on their profile, or "" if they never chose."""
    if not user.is_authenticated:
        return ""
    language = (
        UserProfile.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    )
    return language if language in language_codes() else ""


def user_language(user: User | None) -> str:
    """The language to write to this user in (mail, exports): their choice, else the
    site's default. ``None`` (the system) gets the default."""
    if user is None:
        return settings.LANGUAGE_CODE
    return user_chosen_language(user) or settings.LANGUAGE_CODE


def language_is_bidi(language: str) -> bool:
    try:
        return bool(translation.get_language_info(language)["bidi"])
    except KeyError:
        return False
