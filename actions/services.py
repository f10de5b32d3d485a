"""Writes about actions: agree one, change it, add a progress note.

Each checks every rule before it writes anything, and writes in one transaction: bad input
raises a ValidationError naming the field, and nothing is half-saved. The user who made the
change goes to django-simple-history (``_history_user``), as for answers.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import permissions
from actions.models import (
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OWNER_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Action,
    ActionNote,
    ActionStatus,
)
from actions.selectors import assessment_flagged_indicators
from assessments.history import history_author_set
from assessments.models import Assessment
from missions.models import Membership
from missions.periods import quarter_label
from missions.roles import User, account_of
from questionnaires.models import Dimension, DimensionTag, TagKind

Quarter = tuple[int, int]


def _text(errors: dict[str, list[str]], name: str, value: str, limit: int, label: str) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(name, []).append(_("%(field)s: this is required.") % {"field": label})
    elif len(value) > limit:
        errors.setdefault(name, []).append(
            _("%(field)s: at most %(n)d characters.") % {"field": label, "n": limit}
        )
    return value


def _owner_user_valid(owner_user: Any, mission_id: int, errors: dict[str, list[str]]) -> None:
    if owner_user is None:
        return
    if not Membership.objects.filter(user=owner_user, mission_id=mission_id).exists():
        errors.setdefault("owner_user", []).append(
            _("Owner: choose a user of this mission, or leave it empty.")
        )


def _due_valid(due: Quarter, agreed: Quarter, errors: dict[str, list[str]]) -> None:
    year, number = due
    if not 1 <= number <= 4:
        errors.setdefault("due", []).append(_("Due quarter: not a quarter."))
    elif due < agreed:
        errors.setdefault("due", []).append(
            _("Due quarter: it cannot be before %(quarter)s, when the action is agreed.")
            % {"quarter": quarter_label(*agreed)}
        )


def _links(
    assessment: Assessment,
    dimension_code: str,
    indicator_codes: Sequence[str],
    barrier_codes: Sequence[str],
    errors: dict[str, list[str]],
) -> tuple[str, list[str], list[str]]:
    """The dimension, indicators and barriers, checked against the quarter's findings and the
    questionnaire version of the assessment."""
    flagged = {f.code: f for f in assessment_flagged_indicators(assessment=assessment, user=None)}
    indicators = list(dict.fromkeys(indicator_codes))
    unflagged = [code for code in indicators if code not in flagged]
    if unflagged:
        errors.setdefault("indicators", []).append(
            _("Indicators: %(codes)s not flagged in this quarter's findings.")
            % {"codes": ", ".join(unflagged)}
        )
    dims_of_indicators = {flagged[c].dimension_code for c in indicators if c in flagged}
    if len(dims_of_indicators) > 1:
        errors.setdefault("indicators", []).append(
            _("Indicators: choose indicators of one dimension per action.")
        )
    elif dims_of_indicators:
        (derived,) = dims_of_indicators
        if dimension_code and dimension_code != derived:
            errors.setdefault("dimension", []).append(
                _("Dimension: the indicators chosen belong to %(code)s.") % {"code": derived}
            )
        dimension_code = derived
    if not dimension_code and not indicators:
        errors.setdefault("dimension", []).append(
            _("Dimension: choose the flagged indicators the action addresses, or a dimension.")
        )
    elif (
        dimension_code
        and not Dimension.objects.filter(
            questionnaire_id=assessment.questionnaire_id, code=dimension_code
        ).exists()
    ):
        errors.setdefault("dimension", []).append(
            _("Dimension: %(code)s is not in this questionnaire.") % {"code": dimension_code}
        )
    barriers = list(dict.fromkeys(barrier_codes))
    if barriers:
        known = set(
            DimensionTag.objects.filter(
                dimension__questionnaire_id=assessment.questionnaire_id,
                dimension__code=dimension_code,
                kind=TagKind.BARRIER,
            ).values_list("code", flat=True)
        )
        unknown = [code for code in barriers if code not in known]
        if unknown:
            errors.setdefault("barriers", []).append(
                _("Barriers: %(codes)s not barriers of the dimension %(dimension)s.")
                % {"codes": ", ".join(unknown), "dimension": dimension_code or "—"}
            )
    return dimension_code, indicators, barriers


def _status_valid(status: str, reason: str, errors: dict[str, list[str]]) -> str:
    if status not in ActionStatus.values:
        errors.setdefault("status", []).append(_("Status: not a known status."))
    reason = (reason or "").strip()
    if status == ActionStatus.DROPPED and not reason:
        errors.setdefault("dropped_reason", []).append(
            _("Reason for dropping: say why the action is dropped.")
        )
    if len(reason) > REASON_MAX_LENGTH:
        errors.setdefault("dropped_reason", []).append(
            _("Reason for dropping: at most %(n)d characters.") % {"n": REASON_MAX_LENGTH}
        )
    return reason if status == ActionStatus.DROPPED else ""


def action_create(
    *,
    assessment: Assessment,
    by: User | None,
    description: str,
    owner: str,
    due: Quarter,
    indicator_codes: Sequence[str] = (),
    dimension_code: str = "",
    barrier_codes: Sequence[str] = (),
    owner_user: Any = None,
) -> Action:
    """Agree an action in the assessment's quarter (submitted or approved), on flagged
    indicators of one dimension or on the dimension as a whole. ``by=None`` is the system
    (demo data, a management command): no permission check, no user in the history."""
    if by is not None and not permissions.can_record_action(by, assessment):
        raise PermissionDenied
    if assessment.status not in permissions.RECORDING_STATUSES:
        raise ValidationError(
            _("Actions are agreed once the assessment is submitted, and while it is approved.")
        )
    errors: dict[str, list[str]] = {}
    description = _text(
        errors, "description", description, DESCRIPTION_MAX_LENGTH, _("What will be done")
    )
    owner = _text(errors, "owner", owner, OWNER_MAX_LENGTH, _("Owner (office or post)"))
    dimension_code, indicators, barriers = _links(
        assessment, dimension_code, indicator_codes, barrier_codes, errors
    )
    _owner_user_valid(owner_user, assessment.mission_id, errors)
    period = assessment.period
    _due_valid(due, (period.year, period.quarter), errors)
    if errors:
        raise ValidationError(errors)
    action = Action(
        mission_id=assessment.mission_id,
        assessment=assessment,
        description=description,
        dimension_code=dimension_code,
        indicator_codes=indicators,
        barrier_codes=barriers,
        owner=owner,
        owner_user=owner_user,
        due_year=due[0],
        due_quarter=due[1],
        status=ActionStatus.PLANNED,
        created_by=account_of(by),
    )
    history_author_set(action, by=by)
    with transaction.atomic():
        action.save()
    return action


def action_update(
    *,
    action: Action,
    by: User | None,
    description: str,
    owner: str,
    due: Quarter,
    status: str,
    dropped_reason: str = "",
    owner_user: Any = None,
) -> bool:
    """Change what an action says, its owner, due quarter and status (dropped needs a
    reason). Its links to indicators, dimension and barriers stay as agreed. Returns whether
    anything changed; an unchanged save writes no history."""
    if by is not None and not permissions.can_edit_action(by, action):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    description = _text(
        errors, "description", description, DESCRIPTION_MAX_LENGTH, _("What will be done")
    )
    owner = _text(errors, "owner", owner, OWNER_MAX_LENGTH, _("Owner (office or post)"))
    dropped_reason = _status_valid(status, dropped_reason, errors)
    _owner_user_valid(owner_user, action.mission_id, errors)
    period = action.assessment.period
    _due_valid(due, (period.year, period.quarter), errors)
    if errors:
        raise ValidationError(errors)
    new = {
        "description": description,
        "owner": owner,
        "owner_user_id": owner_user.pk if owner_user is not None else None,
        "due_year": due[0],
        "due_quarter": due[1],
        "status": status,
        "dropped_reason": dropped_reason,
    }
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if all(getattr(locked, name) == value for name, value in new.items()):
            return False
        for name, value in new.items():
            setattr(locked, name, value)
        history_author_set(locked, by=by)
        locked.save()
    for name, value in new.items():
        setattr(action, name, value)
    return True


def action_note_add(
    *, action: Action, by: User | None, text: str, noted_on: datetime.date | None = None
) -> ActionNote:
    """A dated progress note; the date defaults to today and may not be in the future."""
    if by is not None and not permissions.can_edit_action(by, action):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    text = _text(errors, "text", text, NOTE_MAX_LENGTH, _("Progress note"))
    today = timezone.localdate()
    noted_on = noted_on or today
    if noted_on > today:
        errors.setdefault("noted_on", []).append(
            _("Date: a progress note cannot be dated in the future.")
        )
    if errors:
        raise ValidationError(errors)
    note = ActionNote(action=action, noted_on=noted_on, text=text, created_by=account_of(by))
    history_author_set(note, by=by)
    with transaction.atomic():
        note.save()
    return note
