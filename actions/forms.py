"""Forms for actions: they check types and offer the choices; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import (
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OWNER_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Action,
    ActionStatus,
)
from actions.selectors import FlaggedIndicator
from imp_assess.typography import labelled
from missions.periods import quarter_display, quarter_label, quarter_next, quarter_parse

# How far ahead a due quarter may be chosen.
DUE_QUARTERS_AHEAD = 8


def _due_choices(start: tuple[int, int], current: tuple[int, int] | None = None) -> list:
    quarters = [start]
    for _i in range(DUE_QUARTERS_AHEAD):
        quarters.append(quarter_next(*quarters[-1]))
    if current is not None and current not in quarters:
        quarters.append(current)
    return [(quarter_label(*q), quarter_display(*q)) for q in sorted(quarters)]


class _NamedErrors(forms.Form):
    """Every error names its field, also where the error is shown away from it."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = field.label
            field.error_messages["required"] = _("%(field)s: this is required.") % {"field": label}
            field.error_messages["invalid_choice"] = _(
                "%(field)s: choose one of the options offered."
            ) % {"field": label}
            if "invalid" in field.error_messages:
                field.error_messages["invalid"] = _("%(field)s: not a valid value.") % {
                    "field": label
                }


class _OwnerUserField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class _ActionFields(_NamedErrors):
    description = forms.CharField(
        label=_("What will be done"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = forms.CharField(
        label=_("Owner (office or post)"),
        max_length=OWNER_MAX_LENGTH,
        help_text=_("A named office or post, e.g. Office of the DSRSG/RC/HC."),
    )
    owner_user = _OwnerUserField(
        label=_("Owner (user of the mission)"),
        queryset=None,
        required=False,
        empty_label=_("Nobody in particular"),
    )
    due = forms.ChoiceField(label=_("Due quarter"))

    def __init__(self, *args: Any, members: Any, due_from: tuple[int, int], **kwargs: Any):
        current = kwargs.pop("current_due", None)
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = members  # type: ignore[attr-defined]
        self.fields["due"].choices = _due_choices(due_from, current)  # type: ignore[attr-defined]

    def due_quarter(self) -> tuple[int, int]:
        return quarter_parse(self.cleaned_data["due"])


class ActionCreateForm(_ActionFields):
    indicators = forms.MultipleChoiceField(
        label=_("Flagged indicators it addresses"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Indicators of one dimension; or leave them and choose a dimension."),
    )
    dimension = forms.ChoiceField(label=_("Or a dimension as a whole"), required=False)
    barriers = forms.MultipleChoiceField(
        label=_("Barriers it addresses (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["indicators", "dimension", "description", "barriers", "owner", "owner_user"]

    def __init__(
        self,
        *args: Any,
        flagged: list[FlaggedIndicator],
        dimensions: list[Any],
        barriers: list[Any],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [  # type: ignore[attr-defined]
            (f.code, f"{f.code} — {f.style.symbol} {f.style.label}") for f in flagged
        ]
        self.fields["dimension"].choices = [  # type: ignore[attr-defined]
            ("", _("(from the indicators chosen)")),
            *((d.code, f"{d.code} — {d.title}") for d in dimensions),
        ]
        self.fields["barriers"].choices = [  # type: ignore[attr-defined]
            (t.code, labelled(t.dimension.code, t.label)) for t in barriers
        ]


class ActionEditForm(_ActionFields):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    dropped_reason = forms.CharField(
        label=_("Reason for dropping"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the status is Dropped."),
    )

    @classmethod
    def for_action(cls, action: Action, *, members: Any, data: Any = None) -> ActionEditForm:
        period = action.assessment.period
        return cls(
            data,
            members=members,
            due_from=(period.year, period.quarter),
            current_due=(action.due_year, action.due_quarter),
            initial={
                "description": action.description,
                "owner": action.owner,
                "owner_user": action.owner_user_id,
                "due": action.due_label,
                "status": action.status,
                "dropped_reason": action.dropped_reason,
            },
        )


class ActionNoteForm(_NamedErrors):
    noted_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    text = forms.CharField(
        label=_("Progress note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
