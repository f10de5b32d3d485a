"""Writes of the focal point's settings for the quarter: indicators declared not applicable
to the mission, target bands per indicator, and the mission's phase.

Kept beside ``services.py`` (same rules: one transaction, rows locked, permissions from
``assessments.permissions``, ``PermissionDenied`` when refused, ``ValidationError`` naming
the field, nothing half-saved).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.history import history_author_set
from assessments.models import (
    REASON_MAX_LENGTH,
    Answer,
    Assessment,
    IndicatorBandOverride,
    IndicatorNotApplicable,
    Response,
    ResponseStatus,
)
from assessments.selectors import questionnaire_has_bands
from assessments.services import WorkflowError, _locked_assessment, _require_open
from missions.context import ContextProfile
from missions.models import MissionPhase
from missions.roles import User, account_of
from missions.services import context_profile_set
from questionnaires.applicability import applies_to_component
from questionnaires.models import Indicator


def _indicator(assessment: Assessment, code: str) -> Indicator:
    indicator = Indicator.objects.filter(
        questionnaire_id=assessment.questionnaire_id, code=code
    ).first()
    if indicator is None:
        raise ValidationError({"indicator": _("Unknown indicator: %(code)s.") % {"code": code}})
    return indicator


def _reason(text: str, *, field: str, required: str) -> str:
    text = (text or "").strip().replace("\r\n", "\n")
    if not text:
        raise ValidationError({field: required})
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError(
            {field: _("This text is limited to %(n)d characters.") % {"n": REASON_MAX_LENGTH}}
        )
    return text


# --- Indicators declared not applicable to the mission -----------------------------------


@transaction.atomic
def indicator_not_applicable_declare(
    *, assessment: Assessment, by: User, indicator_code: str, reason: str
) -> IndicatorNotApplicable:
    """Declare an indicator not applicable to the mission this quarter, with a reason (no
    Peacebuilding Commission engagement, no protection mandate …). Declaring again restates
    the reason. The declaration is carried forward to the next quarter until withdrawn."""
    assessment = _locked_assessment(assessment)
    if not permissions.can_manage(by, assessment):
        raise PermissionDenied
    _require_open(assessment)
    indicator = _indicator(assessment, indicator_code)
    reason = _reason(
        reason,
        field="reason",
        required=_("Give the reason why this indicator does not apply to the mission."),
    )
    declaration = (
        IndicatorNotApplicable.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, indicator=indicator)
        .first()
    )
    if declaration is None:
        declaration = IndicatorNotApplicable(assessment=assessment, indicator=indicator)
    elif declaration.reason == reason and not declaration.carried_forward:
        return declaration
    declaration.reason = reason
    declaration.carried_forward = False
    declaration.declared_by = account_of(by)
    history_author_set(declaration, by=by)
    declaration.save()
    return declaration


@transaction.atomic
def indicator_not_applicable_withdraw(
    *, assessment: Assessment, by: User, indicator_code: str
) -> bool:
    """Withdraw a declaration (the history keeps it); False if there was none.

    The indicator is expected again: a complete response that has no answer to it returns
    to draft, so its component confirms completeness again."""
    assessment = _locked_assessment(assessment)
    if not permissions.can_manage(by, assessment):
        raise PermissionDenied
    _require_open(assessment)
    indicator = _indicator(assessment, indicator_code)
    declaration = (
        IndicatorNotApplicable.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, indicator=indicator)
        .first()
    )
    if declaration is None:
        return False
    history_author_set(declaration, by=by)
    declaration.delete()
    answered = set(
        Answer.objects.filter(response__assessment=assessment, indicator=indicator)
        .exclude(choice="")
        .values_list("response_id", flat=True)
    )
    for response in (
        Response.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, status=ResponseStatus.COMPLETE)
        .order_by("pk")
    ):
        if response.pk not in answered and applies_to_component(
            indicator.applies_to, response.component
        ):
            response.status = ResponseStatus.DRAFT
            response.completed_at = None
            history_author_set(response, by=by)
            response.save(update_fields=["status", "completed_at"])
    return True


# --- The mission's phase ------------------------------------------------------------------


def _phase_set(assessment: Assessment, by: User, phase: str) -> None:
    if phase not in MissionPhase.values:
        raise ValidationError({"phase": _("Choose the mission's phase this quarter.")})
    if phase != assessment.phase:
        assessment.phase = phase
        history_author_set(assessment, by=by)
        assessment.save(update_fields=["phase"])


@transaction.atomic
def assessment_phase_set(*, assessment: Assessment, by: User, phase: str) -> Assessment:
    """Record the mission's phase this quarter (start-up, consolidation, drawdown)."""
    assessment = _locked_assessment(assessment)
    if not permissions.can_manage(by, assessment):
        raise PermissionDenied
    _require_open(assessment)
    _phase_set(assessment, by, phase)
    return assessment


# --- Target bands -------------------------------------------------------------------------


@dataclass(frozen=True)
class BandInput:
    indicator_code: str
    band_min: int
    band_max: int
    rationale: str
    # The band's revision the user's page was built on (0: the default band); None skips it.
    base_revision: int | None = None


@dataclass(frozen=True)
class BandConflict:
    indicator_code: str
    yours: BandInput | None  # None: you were clearing the override
    saved: IndicatorBandOverride | None  # None: someone cleared it


class BandOverrideConflict(WorkflowError):
    """Someone changed these bands after the page was loaded; nothing was saved."""

    def __init__(self, conflicts: list[BandConflict]):
        super().__init__(
            _(
                "Someone else changed some of these target bands after you opened the page. "
                "Nothing was saved."
            )
        )
        self.conflicts = conflicts


def _require_bands(assessment: Assessment) -> None:
    if not questionnaire_has_bands(questionnaire=assessment.questionnaire):
        raise WorkflowError(
            _(
                "This questionnaire version has one target step per dimension, not target "
                "bands: set the dimension targets instead."
            )
        )


def _validate_bands(bands: list[BandInput], known: set[str]) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        if message not in errors.get(field, []):
            errors.setdefault(field, []).append(message)

    if not bands:
        add("indicator", _("Choose an indicator or a dimension."))
    for item in bands:
        if item.indicator_code not in known:
            add("indicator", _("Unknown indicator: %(code)s.") % {"code": item.indicator_code})
        steps_ok = True
        for field, step in (("band_min", item.band_min), ("band_max", item.band_max)):
            if not isinstance(step, int) or step not in range(1, 6):
                add(field, _("A target band runs from step 1 to step 5."))
                steps_ok = False
        if steps_ok and item.band_min > item.band_max:
            add("band_max", _("The band must end at or above the step it starts from."))
        rationale = (item.rationale or "").strip()
        if not rationale:
            add("rationale", _("Give a written rationale for overriding the target band."))
        elif len(rationale) > REASON_MAX_LENGTH:
            add(
                "rationale",
                _("The rationale is limited to %(n)d characters.") % {"n": REASON_MAX_LENGTH},
            )
    if errors:
        raise ValidationError(
            {field: [ValidationError(m) for m in messages] for field, messages in errors.items()}
        )


def _locked_overrides(assessment: Assessment, codes: list[str]) -> dict[str, IndicatorBandOverride]:
    return {
        o.indicator.code: o
        for o in IndicatorBandOverride.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, indicator__code__in=codes)
        .order_by("pk")
        .select_related("indicator", "updated_by")
    }


@transaction.atomic
def band_override_set(
    *, assessment: Assessment, by: User, bands: list[BandInput], phase: str | None = None
) -> list[IndicatorBandOverride]:
    """Override the target band of one or more indicators, each with a written rationale,
    and record the mission's phase with them (``phase``, or the one already recorded). The
    override is carried forward to later quarters until cleared; changing a carried one makes
    it this quarter's. All or nothing; a band changed since the user's page was built, to
    other values, is a conflict and nothing is saved."""
    assessment = _locked_assessment(assessment)
    if not permissions.can_manage(by, assessment):
        raise PermissionDenied
    _require_open(assessment)
    _require_bands(assessment)
    indicators = {
        i.code: i for i in Indicator.objects.filter(questionnaire_id=assessment.questionnaire_id)
    }
    _validate_bands(bands, set(indicators))
    if phase is not None:
        _phase_set(assessment, by, phase)
    if not assessment.phase:
        raise ValidationError({"phase": _("Record the mission's phase with the override.")})
    current = _locked_overrides(assessment, [b.indicator_code for b in bands])
    conflicts, changes = [], []
    for item in bands:
        saved = current.get(item.indicator_code)
        rationale = item.rationale.strip().replace("\r\n", "\n")
        if saved is not None and (saved.band_min, saved.band_max, saved.rationale) == (
            item.band_min,
            item.band_max,
            rationale,
        ):
            continue
        saved_revision = saved.revision if saved is not None else 0
        if item.base_revision is not None and item.base_revision != saved_revision:
            conflicts.append(BandConflict(item.indicator_code, item, saved))
            continue
        changes.append((item, rationale, saved))
    if conflicts:
        raise BandOverrideConflict(conflicts)
    written = []
    for item, rationale, override in changes:
        indicator = indicators[item.indicator_code]
        if override is None:
            # Revisions never repeat for an indicator, even after a clear, so a page built
            # on an earlier override still conflicts with a new one.
            last = IndicatorBandOverride.history.filter(
                assessment_id=assessment.pk, indicator_id=indicator.pk
            ).aggregate(last=Max("revision"))["last"]
            override = IndicatorBandOverride(
                assessment=assessment, indicator=indicator, revision=last or 0
            )
        override.band_min = item.band_min
        override.band_max = item.band_max
        override.rationale = rationale
        override.carried_from = ""
        override.revision += 1
        override.updated_by = account_of(by)
        history_author_set(override, by=by)
        override.save()
        written.append(override)
    return written


@transaction.atomic
def band_override_clear(
    *,
    assessment: Assessment,
    by: User,
    indicator_codes: list[str],
    base_revisions: Mapping[str, int] | None = None,
) -> int:
    """Return indicators to the file's default band; returns how many were overridden.

    With ``base_revisions`` (what the user's page showed), an override changed since is a
    conflict and nothing is cleared."""
    assessment = _locked_assessment(assessment)
    if not permissions.can_manage(by, assessment):
        raise PermissionDenied
    _require_open(assessment)
    known = set(
        Indicator.objects.filter(questionnaire_id=assessment.questionnaire_id).values_list(
            "code", flat=True
        )
    )
    unknown = sorted(set(indicator_codes) - known)
    if unknown or not indicator_codes:
        raise ValidationError(
            {
                "indicator": _("Unknown indicator: %(code)s.") % {"code": ", ".join(unknown)}
                if unknown
                else _("Choose an indicator or a dimension.")
            }
        )
    current = _locked_overrides(assessment, indicator_codes)
    base_revisions = base_revisions or {}
    conflicts = [
        BandConflict(code, None, override)
        for code, override in current.items()
        if code in base_revisions and base_revisions[code] != override.revision
    ]
    if conflicts:
        raise BandOverrideConflict(conflicts)
    for override in current.values():
        history_author_set(override, by=by)
        override.delete()
    return len(current)


# --- The mission's context profile ----------------------------------------------------------


@transaction.atomic
def assessment_context_profile_set(
    *, assessment: Assessment, by: User, profile: ContextProfile, reason: str
) -> bool:
    """Record the mission's context profile from the assessment's quarter on (it carries
    forward), and keep the quarter's recorded phase (read by scoring method v2) the profile's
    phase. True when the profile changed. ``ValidationError`` names the field."""
    assessment = _locked_assessment(assessment)
    if not permissions.can_set_context_profile(by, assessment):
        raise PermissionDenied
    recorded = context_profile_set(
        mission=assessment.mission,
        period=assessment.period,
        profile=profile,
        reason=reason,
        by=by,
    )
    _phase_set(assessment, by, profile.phase)
    return recorded is not None
