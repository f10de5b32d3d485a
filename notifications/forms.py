from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.selectors import email_kinds_choosable


class EmailPreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Send me an e-mail for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Notifications still appear in the app. Focal points always receive the overdue notice."
        ),
    )

    def __init__(self, *args: object, turned_off: set[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(kind.value, kind.label) for kind in email_kinds_choosable()]
        field = cast(forms.MultipleChoiceField, self.fields["kinds"])
        field.choices = choices
        field.initial = [value for value, _label in choices if value not in turned_off]
