"""Admin forms for draft content: an edit is checked by the rules of the file format.

Each form builds the item's spec (``questionnaires.spec``) from what was typed, so an
indicator, tag or glossary term saved in the admin obeys exactly the rules a file
would (band, applicability, report quote or practice note), and the error appears on
the field that holds it. File-wide rules come from the rest of the version
(``questionnaire_file_rules``); the whole version is checked again on publishing.
"""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ValidationError

from missions.models import RESPONSE_SCOPE_CHOICES, Component
from questionnaires.models import DimensionTag, GlossaryTerm, Indicator, Questionnaire
from questionnaires.selectors import questionnaire_file_rules
from questionnaires.spec import GlossarySpec, IndicatorSpec, TagSpec

SOURCING_FIELDS = ["basis", "source", "quote", "basis_note"]
# Spec keys that are named differently in the model.
_MODEL_FIELD = {
    "note": "basis_note",
    "rubric": None,
    "applies_when": "rules",
    "band_source": "rules",
    "target_by_phase": "rules",
    "band_when": "rules",
    "context": "is_external",
}


class _SpecCheckedForm(forms.ModelForm):
    spec_class: type[BaseModel]

    def _questionnaire(self) -> Questionnaire | None:
        raise NotImplementedError

    def _spec_data(self, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())  # (a ModelForm's cleaned_data)
        if self.errors:  # field errors first; the spec would repeat them
            return cleaned
        questionnaire = self._questionnaire()
        rules = questionnaire_file_rules(questionnaire=questionnaire, exclude=self.instance)
        try:
            self.spec_class.model_validate(self._spec_data(cleaned), context=rules)
        except ValidationError as exc:
            for error in exc.errors():
                self._add_spec_error(error["loc"], error["msg"].removeprefix("Value error, "))
        return cleaned

    def _add_spec_error(self, loc: tuple, message: str) -> None:
        name = str(loc[0]) if loc else None
        field = _MODEL_FIELD.get(name, name) if name is not None else None
        if field == "target":
            field = f"target_{loc[1]}" if len(loc) > 1 else None
        self.add_error(field if field in self.fields else None, message)


def _sourcing(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "basis": data.get("basis") or "report",
        "source": data.get("source") or "",
        "quote": data.get("quote") or "",
        "note": data.get("basis_note") or "",
    }


class IndicatorAdminForm(_SpecCheckedForm):
    spec_class = IndicatorSpec
    applies_to = forms.MultipleChoiceField(
        label=_("answered by"),
        choices=RESPONSE_SCOPE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "None ticked: every component (as in v1). “Whole mission” alone: answered once "
            "by the focal point."
        ),
    )

    class Meta:
        model = Indicator
        fields = [
            "dimension",
            "code",
            "order",
            "coherence_level",
            "weight",
            "applies_to",
            "target_min",
            "target_max",
            "statement",
            "guidance",
            *SOURCING_FIELDS,
            *(f"rubric_{step}" for step in range(1, 6)),
            "rules",
            "safeguard",
            "voice",
            "voice_rationale",
            "is_external",
        ]
        help_texts = {
            "rules": _(
                "IMP-CORE v3 context rules as JSON: applies_when, band_source, target_by_phase, "
                "band_when (docs/questionnaire.md)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "source" in self.fields:
            # A practice indicator may have no report source; the spec's rules decide.
            self.fields["source"].required = False

    def _questionnaire(self) -> Questionnaire | None:
        dimension = self.cleaned_data.get("dimension") or getattr(self.instance, "dimension", None)
        return dimension.questionnaire if dimension is not None else None

    voice = forms.MultipleChoiceField(
        label=_("components whose view decides"),
        choices=Component.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a safeguard: the components whose view decides over-integration."),
    )

    def clean_voice(self) -> list[str]:
        ticked = set(self.cleaned_data["voice"])
        return [code for code, _label in Component.choices if code in ticked]

    def clean_applies_to(self) -> list[str]:
        # Keep the order of the choices, not of the ticks, so equal lists compare equal.
        ticked = set(self.cleaned_data["applies_to"])
        return [code for code, _label in RESPONSE_SCOPE_CHOICES if code in ticked]

    def _spec_data(self, data: dict[str, Any]) -> dict[str, Any]:
        low, high = data.get("target_min"), data.get("target_max")
        if (low is None) != (high is None):
            self.add_error(
                "target_max" if high is None else "target_min",
                _("Give both ends of the target band, or neither."),
            )
        return {
            "code": data.get("code"),
            "coherence_level": data.get("coherence_level"),
            "weight": data.get("weight"),
            "applies_to": data.get("applies_to") or [],
            "target": None if low is None or high is None else {"min": low, "max": high},
            "statement": data.get("statement"),
            "guidance": data.get("guidance"),
            "rubric": {step: data.get(f"rubric_{step}") for step in range(1, 6)},
            **_sourcing(data),
            **self._context_data(data),
        }

    def _context_data(self, data: dict[str, Any]) -> dict[str, Any]:
        rules = data.get("rules") or {}
        if not isinstance(rules, dict):
            self.add_error("rules", _("Give the context rules as a JSON object."))
            rules = {}
        safeguard = bool(data.get("safeguard"))
        if safeguard and not (data.get("voice") and data.get("voice_rationale")):
            self.add_error(
                "voice", _("A safeguard names the components whose view decides, and why.")
            )
        return {
            **rules,
            "safeguard": safeguard,
            "voice": data.get("voice") or [],
            "voice_rationale": data.get("voice_rationale") or "",
            "context": "external" if data.get("is_external") else None,
        }


class DimensionTagAdminForm(_SpecCheckedForm):
    spec_class = TagSpec

    class Meta:
        model = DimensionTag
        fields = ["kind", "code", "label", "order", *SOURCING_FIELDS]

    def _questionnaire(self) -> Questionnaire | None:
        dimension = getattr(self.instance, "dimension", None)
        return dimension.questionnaire if dimension is not None else None

    def _spec_data(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"code": data.get("code"), "label": data.get("label"), **_sourcing(data)}


class GlossaryTermAdminForm(_SpecCheckedForm):
    spec_class = GlossarySpec

    class Meta:
        model = GlossaryTerm
        fields = ["term", "definition", "order", *SOURCING_FIELDS]

    def _questionnaire(self) -> Questionnaire | None:
        return getattr(self.instance, "questionnaire", None)

    def _spec_data(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"term": data.get("term"), "definition": data.get("definition"), **_sourcing(data)}
