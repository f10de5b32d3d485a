"""Forms of the exports page. Choices are limited to what the user may export."""

from django import forms
from django.utils.translation import gettext_lazy as _

from missions.labels import demo_marked
from missions.models import Mission, Period
from missions.selectors import period_list_newest_first


class MissionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, mission: Mission) -> str:
        return f"{mission.code} — {demo_marked(mission.name, is_demo=mission.is_demo)}"


class MissionMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, mission: Mission) -> str:
        return f"{mission.code} — {demo_marked(mission.name, is_demo=mission.is_demo)}"


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, period: Period) -> str:
        return period.display


class ScorecardForm(forms.Form):
    prefix = "scorecard"  # three forms share the page: field ids must differ
    mission = MissionChoiceField(label=_("Mission"), queryset=Mission.objects.none())
    period = PeriodChoiceField(label=_("Quarter"), queryset=period_list_newest_first())

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions
        self.fields["period"].queryset = period_list_newest_first()


class BriefingPackForm(forms.Form):
    prefix = "briefing"
    period = PeriodChoiceField(label=_("Quarter"), queryset=period_list_newest_first())
    missions = MissionMultipleChoiceField(
        label=_("Missions"),
        queryset=Mission.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("One scorecard per mission follows the portfolio page."),
    )

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missions"].queryset = missions
        self.fields["period"].queryset = period_list_newest_first()


class DataExportForm(forms.Form):
    prefix = "data"
    FORMAT_CHOICES = [
        ("xlsx", _("XLSX workbook (one sheet per table)")),
        ("csv", _("CSV files, one per table, zipped")),
    ]
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="xlsx")
    missions = MissionMultipleChoiceField(
        label=_("Missions"),
        queryset=Mission.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Leave empty for every mission you can see."),
    )

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missions"].queryset = missions


class BriefingDeckForm(BriefingPackForm):
    """The briefing pack's form for the deck: a quarter and missions, the missions limited
    to ``exports.permissions.deck_missions`` by the view."""

    prefix = "deck"

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, missions=missions, **kwargs)
        self.fields["missions"].help_text = _(
            "A title slide and the portfolio heat table, then four slides per mission."
        )
