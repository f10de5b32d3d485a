"""The upload of a response's workbook: matched to its response, validated as a whole, then
saved in one transaction through the same save as the answering page (revisions, history,
conflicts)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Answer, Assessment
from assessments.selectors import assessment_declared_not_applicable, response_applicable_indicators
from assessments.services import (
    AnswerConflict,
    AnswerInput,
    Conflict,
    response_answers_save,
    response_get_or_create,
)
from assessments.workbook import CellError, WorkbookRefused, workbook_read
from missions.roles import User
from questionnaires.selectors import dimension_tags

# The history's reason on every answer an upload changes (shown on the activity tab).
UPLOAD_REASON = "uploaded from workbook"


@dataclass
class WorkbookOutcome:
    errors: list[CellError] = field(default_factory=list)
    saved: list[Answer] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def _identity_check(meta: dict[str, str], assessment: Assessment, component: str) -> None:
    """Refuse a workbook of another mission, quarter, component or questionnaire version,
    saying which."""
    expected = {
        "mission": assessment.mission.code,
        "period": assessment.period.label,
        "component": component,
        "questionnaire": assessment.questionnaire.code,
        "version": str(assessment.questionnaire.version),
    }
    messages = {
        "mission": _("This workbook is for mission %(theirs)s, not %(ours)s."),
        "period": _("This workbook is for %(theirs)s, not %(ours)s."),
        "component": _("This workbook is for the %(theirs)s response, not %(ours)s."),
        "questionnaire": _(
            "This workbook is for questionnaire %(theirs)s, not %(ours)s. Download a new one."
        ),
        "version": _(
            "This workbook was made for questionnaire version %(theirs)s; this assessment "
            "uses version %(ours)s. Download a new one."
        ),
    }
    for key, ours in expected.items():
        if meta.get(key, "") != ours:
            raise WorkbookRefused(messages[key] % {"theirs": meta.get(key) or "?", "ours": ours})
    if meta.get("assessment") != str(assessment.pk):
        raise WorkbookRefused(_("This workbook belongs to another assessment."))


def _tags_by_indicator(assessment: Assessment, component: str) -> dict[str, set[str]]:
    declared = assessment_declared_not_applicable(assessment=assessment)
    tags: dict[int, set[str]] = {}
    allowed = {}
    for indicator in response_applicable_indicators(assessment=assessment, component=component):
        if indicator.code in declared:
            continue
        if indicator.dimension_id not in tags:
            tags[indicator.dimension_id] = {
                t.code for t in dimension_tags(dimension=indicator.dimension)
            }
        allowed[indicator.code] = tags[indicator.dimension_id]
    return allowed


def response_workbook_upload(
    *, assessment: Assessment, component: str, by: User, data: bytes
) -> WorkbookOutcome:
    """Check, validate and save an uploaded workbook. Any cell error: nothing is saved and
    every error is returned. Answers changed on the server since the download and different
    in the file are returned as conflicts, unsaved; the rest is saved in one transaction.
    Raises ``WorkbookRefused`` for a file that is not this response's workbook."""
    allowed = _tags_by_indicator(assessment, component)
    content = workbook_read(data, tags_by_indicator=allowed)
    _identity_check(content.meta, assessment, component)
    outcome = WorkbookOutcome(errors=content.errors)
    for item in content.inputs:
        if item.indicator_code not in allowed:
            outcome.errors.append(
                CellError("", 0, item.indicator_code, _("This indicator is no longer asked."))
            )
    if outcome.errors:
        return outcome
    return response_workbook_apply(
        assessment=assessment, component=component, by=by, answers=content.inputs
    )


@transaction.atomic
def response_workbook_apply(
    *, assessment: Assessment, component: str, by: User, answers: list[AnswerInput]
) -> WorkbookOutcome:
    """Save the answers that do not conflict; return the conflicts for the user to choose."""
    outcome = WorkbookOutcome()
    response = response_get_or_create(assessment=assessment, component=component)
    try:
        result = response_answers_save(
            response=response, by=by, answers=answers, reason=UPLOAD_REASON
        )
    except AnswerConflict as conflict:
        outcome.conflicts = conflict.conflicts
        conflicted = {c.indicator_code for c in conflict.conflicts}
        result = response_answers_save(
            response=response,
            by=by,
            answers=[a for a in answers if a.indicator_code not in conflicted],
            reason=UPLOAD_REASON,
        )
    outcome.saved = result.saved
    return outcome
