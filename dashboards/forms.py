"""Dashboard filters: GET parameters validated here, so a bad value is a message, not a 500."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboards.selectors import compare_measures, compare_peer_groups, portfolio_sort_keys
from dashboards.types import DimensionInfo
from missions.labels import demo_marked
from missions.models import Mission, MissionKind, Period, Region
from missions.selectors import period_list_newest_first
from questionnaires.models import DimensionTag, TagKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

UNKNOWN_QUARTER = _("Unknown quarter: choose one from the list.")
OUTPUTS = [("", _("Page")), ("csv", "CSV")]


class QuarterField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", _("Latest scored quarter"))
        super().__init__(
            queryset=period_list_newest_first(),
            error_messages={"invalid_choice": UNKNOWN_QUARTER},
            **kwargs,
        )

    def label_from_instance(self, obj: Period) -> str:
        return obj.display


def _kind_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Mission kind"),
        required=False,
        choices=[("", _("All kinds")), *MissionKind.choices],
    )


def _region_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("All regions")), *Region.choices]
    )


class DashboardForm(forms.Form):
    """Every dashboard form: the output (page or CSV of one chart) and its chart key."""

    format = forms.ChoiceField(required=False, choices=OUTPUTS, widget=forms.HiddenInput)
    chart = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select | forms.SelectMultiple):
                field.widget.attrs.setdefault("class", "form-select")
            elif not field.widget.is_hidden:
                field.widget.attrs.setdefault("class", "form-control")

    def visible_filters(self):
        return [field for field in self if not field.is_hidden]


class PortfolioForm(DashboardForm):
    period = QuarterField(label=_("Quarter"))
    measure = forms.ChoiceField(
        label=_("Colour by"),
        required=False,
        choices=[
            ("alignment", _("Target alignment")),
            ("flags", _("Flags (shortfall / over-integration)")),
            ("score", _("Score")),
            ("gap", _("Gap to target")),
        ],
    )
    kind = _kind_field()
    region = _region_field()
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    cycle = QuarterField(label=_("Cycle board quarter"), empty_label=_("Current quarter"))

    def __init__(self, *args, dimensions: tuple[DimensionInfo, ...], **kwargs):
        super().__init__(*args, **kwargs)
        titles: dict[str, StrOrPromise] = {d.code: f"{d.code} — {d.title}" for d in dimensions}
        titles.update(
            {
                "mission": _("Mission code"),
                "critical": _("Critical findings"),
                "index": _("Integration level"),
                "alignment": _("Target alignment"),
            }
        )
        choices = []
        for key in portfolio_sort_keys(dimensions):
            column = key.removeprefix("-")
            direction = _("high to low") if key.startswith("-") else _("low to high")
            if column == "mission":
                direction = _("Z to A") if key.startswith("-") else _("A to Z")
            choices.append((key, f"{titles[column]} ({direction})"))
        cast(forms.ChoiceField, self.fields["sort"]).choices = [
            ("", _("Mission code (A to Z)")),
            *choices,
        ]


class ProfileForm(DashboardForm):
    period = QuarterField(label=_("Quarter"))


class CompareForm(DashboardForm):
    missions = forms.ModelMultipleChoiceField(
        label=_("Missions"),
        required=False,
        queryset=Mission.objects.order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={
            "invalid_choice": _("Unknown mission: choose from the list."),
            "invalid_pk_value": _("Unknown mission: choose from the list."),
        },
    )
    measure = forms.ChoiceField(label=_("Measure"), required=False)
    peer = forms.ChoiceField(label=_("Peer group"), required=False)
    quarters = forms.TypedChoiceField(
        label=_("Quarters"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All")), ("4", "4"), ("8", "8"), ("12", "12"), ("20", "20")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = compare_measures()
        self.fields["peer"].choices = compare_peer_groups()
        self.fields["missions"].label_from_instance = _mission_option

    def clean_measure(self) -> str:
        return self.cleaned_data["measure"] or "alignment"

    def clean_peer(self) -> str:
        return self.cleaned_data["peer"] or "all"


def _mission_option(mission: Mission) -> str:
    return f"{demo_marked(mission.code, is_demo=mission.is_demo)} — {mission.name}"


class BarrierForm(DashboardForm):
    period_from = QuarterField(label=_("From quarter"), empty_label=_("First quarter"))
    period_to = QuarterField(label=_("To quarter"), empty_label=_("Latest quarter"))
    kind = _kind_field()
    region = _region_field()
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)
    tag_kind = forms.ChoiceField(
        label=_("Barriers or enablers"),
        required=False,
        choices=[("", _("Both")), *TagKind.choices],
    )

    def __init__(self, *args, dimensions: tuple[DimensionInfo, ...], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["dimension"]).choices = [("", _("All dimensions"))] + [
            (d.code, f"{d.code} — {d.title}") for d in dimensions
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and (start.year, start.quarter) > (end.year, end.quarter):
            raise forms.ValidationError(_("The first quarter must not come after the last one."))
        return data


class EvidenceForm(BarrierForm):
    tag = forms.CharField(label=_("Tag"), max_length=40)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].required = True

    def clean(self):
        data = super().clean()
        dimension, tag = data.get("dimension"), data.get("tag")
        if dimension and tag:
            known = DimensionTag.objects.filter(code=tag, dimension__code=dimension).exists()
            if not known:
                self.add_error("tag", _("No such barrier or enabler on this dimension."))
        return data


class _MissionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Mission) -> str:
        return _mission_option(obj)


class ActionsForm(DashboardForm):
    """Filters of the actions view: every one optional, all in the URL."""

    mission = _MissionField(
        label=_("Mission"),
        required=False,
        queryset=Mission.objects.order_by("code"),
        empty_label=_("All missions"),
        error_messages={"invalid_choice": _("Unknown mission: choose from the list.")},
    )
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)
    barrier = forms.ChoiceField(label=_("Barrier addressed"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        required=False,
        choices=[("", _("Overdue or not")), ("1", _("Overdue only"))],
    )

    def __init__(self, *args, dimensions: tuple[DimensionInfo, ...], barriers, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["dimension"]).choices = [
            ("", _("All dimensions")),
            *((d.code, f"{d.code} — {d.title}") for d in dimensions),
        ]
        cast(forms.ChoiceField, self.fields["barrier"]).choices = [
            ("", _("Any barrier")),
            *barriers,
        ]
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("Any status")), *statuses]
