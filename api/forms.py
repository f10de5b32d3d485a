import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.permissions import TOKEN_MAX_DAYS


def _default_expiry() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=90)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Power BI portfolio report”."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        initial=_default_expiry,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most %(n)d days from today.") % {"n": TOKEN_MAX_DAYS},
    )
