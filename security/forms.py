from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

_CODE_ATTRS = {"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}


class TokenForm(forms.Form):
    """A code from the authenticator app (six digits) or a recovery code."""

    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app, or a recovery code"),
        regex=r"^\s*(\d{6}|[A-Za-z2-7]{4}[-\s]?[A-Za-z2-7]{4})\s*$",
        error_messages={
            "invalid": _(
                "Enter the six digits shown in your authenticator app, or a recovery code."
            )
        },
        widget=forms.TextInput(attrs=_CODE_ATTRS),
    )

    def cleaned_token(self) -> str:
        return self.cleaned_data["token"].strip()


class EnrolmentTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits shown in your authenticator app.")},
        widget=forms.TextInput(attrs={**_CODE_ATTRS, "inputmode": "numeric"}),
    )

    def cleaned_token(self) -> str:
        return self.cleaned_data["token"].strip()


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # Through authenticate(), so that django-axes counts wrong guesses here as well.
        user = authenticate(
            self.request, username=self.request.user.get_username(), password=password
        )
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError(_("That is not your password."), code="invalid")
        return password


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
