from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from assessments.models import (
    EVIDENCE_MAX_LENGTH,
    HIGHLIGHTS_MAX_LENGTH,
    OTHER_TAGS_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Answer,
    AnswerChoice,
)
from assessments.quarter_services import BandInput
from assessments.services import AnswerInput
from assessments.workbook import MAX_UPLOAD_BYTES
from missions.models import MissionPhase
from questionnaires.models import Indicator, IntegrationStep


class AnswerForm(forms.Form):
    """One indicator on the answering page; the prefix is the indicator code."""

    choice = forms.ChoiceField(
        label=_("Answer"),
        choices=AnswerChoice.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(
        label=_("Evidence (what shows this?)"),
        required=False,
        max_length=EVIDENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tag_codes = forms.MultipleChoiceField(
        label=_("Barriers and enablers"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_tags = forms.CharField(
        label=_("Other barriers or enablers"), required=False, max_length=OTHER_TAGS_MAX_LENGTH
    )
    na_reason = forms.CharField(
        label=_("If not applicable: why not?"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 1}),
    )
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput, initial=0)

    def __init__(
        self,
        *args,
        indicator: Indicator,
        tags,
        answer: Answer | None = None,
        previous: Answer | None = None,
        **kwargs,
    ):
        kwargs.setdefault("prefix", indicator.code)
        if answer is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "choice": answer.choice,
                "evidence": answer.evidence,
                "tag_codes": answer.tag_codes,
                "other_tags": answer.other_tags,
                "na_reason": answer.na_reason,
                "revision": answer.revision,
            }
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.answer = answer
        self.previous = previous  # last quarter's answer, shown for reference
        cast(forms.ChoiceField, self.fields["tag_codes"]).choices = [
            (
                tag.code,
                pgettext("label suffix", "%(label)s: %(value)s")
                % {"label": tag.get_kind_display(), "value": tag.text("label")},
            )
            for tag in tags
        ]
        # Messages that name the indicator, so the error summary says where it is.
        self.fields["choice"].error_messages["invalid_choice"] = _(
            "%(code)s: select a valid answer."
        ) % {"code": indicator.code}
        self.fields["tag_codes"].error_messages["invalid_choice"] = _(
            "%(code)s: unknown barrier or enabler."
        ) % {"code": indicator.code}

    def rubric_options(self):
        """(value, mark, description, checked) for the five steps, N/A and don't know; the
        mark shown is the step's number, or the words for N/A and don't know."""
        current = self["choice"].value() or ""
        descriptions = {str(step): text for step, _name, text in self.indicator.rubric}
        options = []
        for step in IntegrationStep:
            value = str(step.value)
            options.append((value, value, descriptions[value], current == value))
        options.append(("na", _("Not applicable"), "", current == "na"))
        options.append(("dk", _("Don't know"), "", current == "dk"))
        return options

    def to_input(self) -> AnswerInput:
        data = self.cleaned_data
        return AnswerInput(
            indicator_code=self.indicator.code,
            choice=data["choice"] or "",
            evidence=data["evidence"],
            tag_codes=tuple(data["tag_codes"]),
            other_tags=data["other_tags"],
            base_revision=data["revision"] if data.get("revision") is not None else 0,
            na_reason=data.get("na_reason") or "",
        )


class TargetsForm(forms.Form):
    """A target step per dimension; field names are the dimension codes."""

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        for target in targets:
            self.fields[target.dimension.code] = forms.TypedChoiceField(
                label=f"{target.dimension.code} — {target.dimension.text('title')}",
                choices=IntegrationStep.choices,
                coerce=int,
                initial=target.target_step,
            )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SubmitForm(forms.Form):
    """One justification box per component that has not completed its response."""

    def __init__(self, *args, incomplete_components: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for component, label in incomplete_components:
            self.fields[f"justify_{component}"] = forms.CharField(
                label=_("Why is %(component)s missing?") % {"component": label},
                required=False,
                max_length=REASON_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def justifications(self) -> dict[str, str]:
        return {
            name.removeprefix("justify_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("justify_")
        }


class HighlightsForm(forms.Form):
    highlights = forms.CharField(
        label=_("Highlights of the quarter"),
        required=False,
        max_length=HIGHLIGHTS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Plain text, printed on the mission's scorecard."),
    )
    # The highlights revision the board was built on; a missing one counts as 0, so a
    # request that omits it can never skip the check.
    revision = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def clean_revision(self) -> int:
        return self.cleaned_data["revision"] or 0


def _parse_revisions(text: str) -> dict[str, int]:
    """``CODE:REV,CODE:REV`` as the board page wrote it when it was built."""
    revisions = {}
    for part in filter(None, (text or "").split(",")):
        code, _sep, revision = part.partition(":")
        if not revision.isdigit():
            raise forms.ValidationError(_("The page is damaged: reload it."))
        revisions[code.strip()] = int(revision)
    return revisions


def revisions_field_value(revisions: dict[str, int]) -> str:
    return ",".join(f"{code}:{revision}" for code, revision in revisions.items())


class _BandScopeMixin:
    cleaned_data: dict[str, Any]  # (a form's)
    """An ``indicator`` field naming one indicator or a whole dimension (``dimension:CODE``)."""

    def _scope_choices(self, dimensions) -> list:
        choices: list[tuple[str, Any]] = [("", _("Choose…"))]
        for dimension in dimensions:
            group = [
                (
                    f"dimension:{dimension.dimension.code}",
                    _("%(code)s — the whole dimension") % {"code": dimension.dimension.code},
                )
            ]
            group += [
                (band.indicator.code, f"{band.indicator.code} — {band.indicator.text('statement')}")
                for band in dimension.indicators
            ]
            choices.append(
                (f"{dimension.dimension.code} — {dimension.dimension.text('title')}", group)
            )
        self._codes_of = {
            f"dimension:{d.dimension.code}": [b.indicator.code for b in d.indicators]
            for d in dimensions
        }
        return choices

    def indicator_codes(self) -> list[str]:
        scope = self.cleaned_data["indicator"]
        return self._codes_of.get(scope, [scope])

    def clean_revisions(self) -> dict[str, int]:
        return _parse_revisions(self.cleaned_data.get("revisions", ""))


def _numbered_steps() -> list[tuple[int, str]]:
    return [(step.value, f"{step.value} — {step.label}") for step in IntegrationStep]


class BandOverrideForm(_BandScopeMixin, forms.Form):
    """Override the target band of one indicator, or of every indicator of a dimension, for
    this quarter only; a rationale is required and the mission's phase is recorded."""

    indicator = forms.ChoiceField(label=_("Indicator or dimension"))
    band_min = forms.TypedChoiceField(
        label=_("Target band from"), choices=_numbered_steps, coerce=int
    )
    band_max = forms.TypedChoiceField(
        label=_("Target band to"), choices=_numbered_steps, coerce=int
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a written rationale for overriding the target band.")},
        help_text=_("Required: why this band suits the mission this quarter."),
    )
    phase = forms.ChoiceField(
        label=_("Mission phase this quarter"),
        choices=[("", _("Choose…")), *MissionPhase.choices],
        error_messages={"required": _("Record the mission's phase with the override.")},
    )
    revisions = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, dimensions, **kwargs):
        kwargs.setdefault("auto_id", "band-%s")  # several board forms share field names
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = self._scope_choices(dimensions)

    def to_inputs(self) -> list[BandInput]:
        data = self.cleaned_data
        revisions = data["revisions"]
        return [
            BandInput(
                indicator_code=code,
                band_min=data["band_min"],
                band_max=data["band_max"],
                rationale=data["rationale"],
                base_revision=revisions.get(code, 0),
            )
            for code in self.indicator_codes()
        ]


class BandClearForm(_BandScopeMixin, forms.Form):
    """Return an indicator, or a whole dimension, to the questionnaire's default band."""

    indicator = forms.ChoiceField(label=_("Indicator or dimension"))
    revisions = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, dimensions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = self._scope_choices(dimensions)


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Mission phase this quarter"),
        choices=[("", _("Choose…")), *MissionPhase.choices],
        error_messages={"required": _("Choose the mission's phase this quarter.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "phase-%s")
        super().__init__(*args, **kwargs)


class NotApplicableForm(forms.Form):
    """Declare an indicator not applicable to the mission this quarter, with a reason."""

    indicator = forms.ChoiceField(label=_("Indicator"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Give the reason why this indicator does not apply to the mission.")
        },
        help_text=_(
            "E.g. no Peacebuilding Commission engagement, no protection-of-civilians mandate."
        ),
    )

    def __init__(self, *args, indicators, **kwargs):
        kwargs.setdefault("auto_id", "na-%s")
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("Choose…"))] + [
            (i.code, f"{i.code} — {i.text('statement')}") for i in indicators
        ]


class WithdrawNotApplicableForm(forms.Form):
    indicator = forms.CharField(max_length=20)


class CopyForwardForm(forms.Form):
    """The revisions the answering page shows, one hidden ``<code>-revision`` per indicator."""

    def __init__(self, *args, indicator_codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for code in indicator_codes:
            self.fields[f"{code}-revision"] = forms.IntegerField(min_value=0, required=False)

    def base_revisions(self) -> dict[str, int]:
        return {
            name.removesuffix("-revision"): value or 0 for name, value in self.cleaned_data.items()
        }


class WorkbookUploadForm(forms.Form):
    """A response's workbook filled offline; its size is counted from the bytes received."""

    workbook = forms.FileField(
        label=_("Filled workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(n)d MB.") % {"n": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        self._bytes = data
        return upload

    def file_bytes(self) -> bytes:
        return self._bytes
