"""The focal point's form for the mission's context profile."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from missions.context import ContextProfile
from missions.models import Leadership, MissionPhase, MissionType

_YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label: Any, help_text: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=_YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class ContextProfileForm(forms.Form):
    mission_type = forms.ChoiceField(label=_("Mission type"), choices=MissionType.choices)
    leadership = forms.ChoiceField(
        label=_("Integrated leadership"),
        choices=Leadership.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Whether a deputy SRSG is also Resident Coordinator and Humanitarian Coordinator."
        ),
    )
    poc_mandate = _yes_no(
        _("Protection of civilians in the mandate"),
        _("The Security Council mandate includes the protection of civilians."),
    )
    human_rights_mandate = _yes_no(
        _("Human rights reporting in the mandate"),
        _("The mandate includes human rights monitoring and reporting."),
    )
    humanitarian_operation = _yes_no(
        _("Active humanitarian operation"),
        _("There is an active humanitarian operation with a humanitarian country team."),
    )
    country_team = _yes_no(
        _("UN country team present"), _("UN agencies, funds and programmes work in the country.")
    )
    host_state_party = _yes_no(
        _("Host state a party to the conflict"),
        _("The host state's forces are a party to the armed conflict."),
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=MissionPhase.choices)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed when the profile changes; shown with the change on the profile and trend pages."
        ),
    )

    @classmethod
    def initial_of(cls, profile: ContextProfile) -> dict[str, Any]:
        data: dict[str, Any] = profile.as_dict()
        for key, value in data.items():
            if isinstance(value, bool):
                data[key] = "yes" if value else "no"
        return data

    def profile(self) -> ContextProfile:
        data = self.cleaned_data
        return ContextProfile.from_dict({key: data[key] for key in data if key != "reason"})
