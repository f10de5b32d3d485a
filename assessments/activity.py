"""The activity tab: every change to answers, targets, bands, N/A declarations and
statuses, with who, when, the old and the new value, read from django-simple-history's
tables."""

import datetime
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.utils.translation import gettext as _

from assessments.models import (
    Answer,
    Assessment,
    DimensionTarget,
    IndicatorBandOverride,
    IndicatorNotApplicable,
    Response,
)
from imp_assess.typography import join_clauses, labelled
from missions.models import RESPONSE_SCOPE_CHOICES

TRACKED = {
    Assessment: ["status", "status_reason", "missing_component_justifications", "phase"],
    Response: ["status"],
    Answer: ["choice", "evidence", "tag_codes", "other_tags"],
    DimensionTarget: ["target_step"],
    IndicatorBandOverride: ["band_min", "band_max", "rationale", "carried_from"],
    IndicatorNotApplicable: ["reason", "carried_forward"],
}


@dataclass
class ActivityEntry:
    when: datetime.datetime
    who: str
    subject: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    reason: str = ""


def _show(value, model_field=None) -> str:
    if model_field is not None and model_field.choices and value not in (None, ""):
        # The label the reader knows ("Submitted", « Soumise »), not the stored value.
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return join_clauses(labelled(k, v) for k, v in value.items())
    return str(value)


def _entries(records, fields, subject_of, deleted=None) -> list[ActivityEntry]:
    """``deleted``: the (what, before, after) change shown when a row was deleted (a
    withdrawn declaration, a cleared override)."""
    entries = []
    records = sorted(records, key=lambda r: (r.id, r.history_date, r.history_id))
    for _pk, versions in groupby(records, key=lambda r: r.id):
        previous = None
        for record in versions:
            changes = []
            if record.history_type == "-" and deleted is not None:
                changes.append(deleted)
            for name in fields:
                old: Any = getattr(previous, name) if previous is not None else None
                new = getattr(record, name)
                if previous is None and (new is False or new in (None, "", [], {})):
                    continue
                if old != new:
                    model_field = record.instance_type._meta.get_field(name)
                    changes.append(
                        (
                            str(model_field.verbose_name),
                            _show(old, model_field),
                            _show(new, model_field),
                        )
                    )
            if changes:
                user = record.history_user
                entries.append(
                    ActivityEntry(
                        when=record.history_date,
                        who=user.get_username() if user else _("system"),
                        subject=subject_of(record),
                        changes=changes,
                        reason=record.history_change_reason or "",
                    )
                )
            previous = record
    return entries


def assessment_activity(*, assessment: Assessment, limit: int = 500) -> list[ActivityEntry]:
    """Newest first. A fixed number of queries whatever the number of changes."""
    responses = dict(assessment.responses.values_list("id", "component"))
    indicator_codes = dict(assessment.questionnaire.indicators.values_list("id", "code"))
    dimension_codes = dict(assessment.questionnaire.dimensions.values_list("id", "code"))

    scopes: dict[str | None, Any] = dict(RESPONSE_SCOPE_CHOICES)

    def component(response_id) -> str:
        return str(scopes.get(responses.get(response_id), _("unknown component")))

    entries = _entries(
        Assessment.history.filter(id=assessment.pk).select_related("history_user"),
        TRACKED[Assessment],
        lambda r: _("Assessment"),
    )
    entries += _entries(
        Response.history.filter(assessment_id=assessment.pk).select_related("history_user"),
        TRACKED[Response],
        lambda r: _("Response: %(component)s") % {"component": component(r.id)},
    )
    entries += _entries(
        Answer.history.filter(response_id__in=list(responses)).select_related("history_user"),
        TRACKED[Answer],
        lambda r: (
            _("Answer %(code)s (%(component)s)")
            % {
                "code": indicator_codes.get(r.indicator_id, "?"),
                "component": component(r.response_id),
            }
        ),
    )
    entries += _entries(
        DimensionTarget.history.filter(assessment_id=assessment.pk).select_related("history_user"),
        TRACKED[DimensionTarget],
        lambda r: _("Target %(code)s") % {"code": dimension_codes.get(r.dimension_id, "?")},
    )
    entries += _entries(
        IndicatorBandOverride.history.filter(assessment_id=assessment.pk).select_related(
            "history_user"
        ),
        TRACKED[IndicatorBandOverride],
        lambda r: _("Target band %(code)s") % {"code": indicator_codes.get(r.indicator_id, "?")},
        deleted=(_("target band"), _("override"), _("default band")),
    )
    entries += _entries(
        IndicatorNotApplicable.history.filter(assessment_id=assessment.pk).select_related(
            "history_user"
        ),
        TRACKED[IndicatorNotApplicable],
        lambda r: (
            _("Not applicable to the mission: %(code)s")
            % {"code": indicator_codes.get(r.indicator_id, "?")}
        ),
        deleted=(_("declaration"), _("declared"), _("withdrawn")),
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
