"""Writes of the quarterly workflow: open, answer, complete, set targets, submit, reopen, approve.

Every write runs in one transaction and locks the rows it checks, so a rule that
held when checked still holds when saved. Who may do what is decided by
``assessments.permissions``; a refused action raises ``PermissionDenied``.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessments import permissions
from assessments.history import history_author_set
from assessments.models import (
    EVIDENCE_MAX_LENGTH,
    HIGHLIGHTS_MAX_LENGTH,
    OTHER_TAGS_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Answer,
    AnswerChoice,
    Assessment,
    AssessmentStatus,
    DimensionTarget,
    IndicatorBandOverride,
    IndicatorNotApplicable,
    Response,
    ResponseStatus,
)
from assessments.selectors import (
    assessment_expected_cells,
    assessment_expected_components,
    assessment_not_asked_by_profile,
    assessment_previous,
    response_previous_answers,
)
from assessments.signals import (
    assessment_reopened,
    components_completed,
    scoring_wanted,
    status_changed,
)
from missions.models import MISSION_WIDE, Membership, MembershipRole, Mission, Period
from missions.periods import quarter_of
from missions.roles import User, account_of
from missions.services import period_get_or_create
from questionnaires.applicability import applies_to_component
from questionnaires.models import Dimension, Indicator, Questionnaire, QuestionnaireStatus
from questionnaires.selectors import (
    questionnaire_current_published,
    questionnaire_has_mission_level_indicators,
)
from security.models import EventKind
from security.services import security_event_record


class WorkflowError(Exception):
    """The action is not possible in the assessment's current state; the message says why."""


class IncompleteResponse(WorkflowError):
    def __init__(self, missing: list[str]):
        super().__init__(_("Some indicators have no answer yet."))
        self.missing = missing


class SubmissionRefused(WorkflowError):
    def __init__(self, unjustified: list[str]):
        super().__init__(
            _("Every component must be complete, or its absence justified in writing.")
        )
        self.unjustified = unjustified


@dataclass(frozen=True)
class AnswerInput:
    indicator_code: str
    choice: str = ""
    evidence: str = ""
    tag_codes: tuple[str, ...] = ()
    other_tags: str = ""
    # The answer's revision the user's page was built on; None skips the check.
    base_revision: int | None = None
    # Why the indicator does not apply (with choice "na"; required on IMP-CORE v3 and later).
    na_reason: str = ""

    def same_values_as(self, answer: Answer | None) -> bool:
        if answer is None:
            return not (
                self.choice or self.evidence or self.tag_codes or self.other_tags or self.na_reason
            )
        return (
            self.choice == answer.choice
            and self.evidence == answer.evidence
            and sorted(self.tag_codes) == sorted(answer.tag_codes)
            and self.other_tags == answer.other_tags
            and self.kept_na_reason() == answer.na_reason
        )

    def kept_na_reason(self) -> str:
        """The reason kept: only with an N/A answer."""
        return self.na_reason.strip() if self.choice == AnswerChoice.NOT_APPLICABLE else ""


@dataclass(frozen=True)
class Conflict:
    indicator_code: str
    yours: AnswerInput
    saved: Answer | None  # None: no answer is stored for it now


class AnswerConflict(WorkflowError):
    """Someone saved these answers after the page was loaded; nothing was saved."""

    def __init__(self, conflicts: list[Conflict]):
        super().__init__(
            _(
                "Someone else saved some of these answers after you opened the page. "
                "Nothing was saved."
            )
        )
        self.conflicts = conflicts


@dataclass
class SaveResult:
    saved: list[Answer] = field(default_factory=list)
    revisions: dict[str, int] = field(default_factory=dict)


def _questionnaire_current() -> Questionnaire:
    questionnaire = questionnaire_current_published()
    if questionnaire is None:
        raise WorkflowError(_("No questionnaire is published yet."))
    return questionnaire


@transaction.atomic
def assessment_open(
    *, mission: Mission, period: Period, questionnaire: Questionnaire | None = None
) -> Assessment:
    """The mission's assessment for the period, created with default targets if new."""
    existing = Assessment.objects.filter(mission=mission, period=period).first()
    if existing is not None:
        return existing
    questionnaire = questionnaire or _questionnaire_current()
    if questionnaire.status != QuestionnaireStatus.PUBLISHED:
        raise WorkflowError(_("Only a published questionnaire can be answered."))
    previous = assessment_previous(mission_id=mission.pk, period=period)
    assessment = Assessment.objects.create(
        mission=mission,
        period=period,
        questionnaire=questionnaire,
        # The phase starts where last quarter left it; the focal point confirms or changes it.
        phase=previous.phase if previous is not None else "",
    )
    # With history rows, so the activity tab shows where each target started.
    bulk_create_with_history(
        [
            DimensionTarget(
                assessment=assessment, dimension=dim, target_step=dim.default_target_step
            )
            for dim in Dimension.objects.filter(questionnaire=questionnaire)
        ],
        DimensionTarget,
    )
    components = set(
        Membership.objects.filter(mission=mission, role=MembershipRole.RESPONDENT).values_list(
            "component", flat=True
        )
    )
    if questionnaire_has_mission_level_indicators(questionnaire=questionnaire):
        # The focal point answers the mission-level indicators once, in this response.
        components.add(MISSION_WIDE)
    bulk_create_with_history(
        [Response(assessment=assessment, component=c) for c in sorted(components)], Response
    )
    if previous is not None:
        _carry_forward_declarations(previous, assessment)
    return assessment


def _carry_forward_declarations(previous: Assessment, assessment: Assessment) -> None:
    """Last quarter's N/A declarations and band overrides continue until withdrawn, matched
    by indicator code so they survive a new questionnaire version. An override keeps its
    rationale and says which quarter it was set in, so identical answers in an unchanged
    context give identical findings (no false decline when a quarter turns)."""
    indicators = {
        i.code: i for i in Indicator.objects.filter(questionnaire_id=assessment.questionnaire_id)
    }
    overrides = IndicatorBandOverride.objects.filter(assessment=previous).select_related(
        "indicator", "assessment__period"
    )
    bulk_create_with_history(
        [
            IndicatorBandOverride(
                assessment=assessment,
                indicator=indicators[row.indicator.code],
                band_min=row.band_min,
                band_max=row.band_max,
                rationale=row.rationale,
                carried_from=row.carried_from or row.assessment.period.label,
                revision=1,
                updated_by=row.updated_by,
            )
            for row in overrides
            if row.indicator.code in indicators
        ],
        IndicatorBandOverride,
    )
    declarations = IndicatorNotApplicable.objects.filter(assessment=previous).select_related(
        "indicator"
    )
    bulk_create_with_history(
        [
            IndicatorNotApplicable(
                assessment=assessment,
                indicator=indicators[row.indicator.code],
                reason=row.reason,
                carried_forward=True,
                declared_by=row.declared_by,
            )
            for row in declarations
            if row.indicator.code in indicators
        ],
        IndicatorNotApplicable,
    )


@transaction.atomic
def period_open_assessments(*, period: Period) -> int:
    """Open the period's assessment for every active mission that has none; returns how
    many. Records when the quarter was opened (the daily task then leaves it alone)."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    created = 0
    for mission in Mission.objects.filter(is_active=True).exclude(assessments__period=period):
        assessment_open(mission=mission, period=period)
        created += 1
    if period.assessments_opened_at is None:
        period.assessments_opened_at = timezone.now()
        period.save(update_fields=["assessments_opened_at"])
    return created


def periods_open_due(*, today: datetime.date) -> dict[str, int]:
    """The daily task: make sure the current quarter has its period (default dates), then
    open, once, every period whose answering window contains ``today`` and whose
    assessments were never opened. Returns the assessments opened, by period label.

    Safe to run twice or on two workers at once: the period row is locked and its
    ``assessments_opened_at`` checked under the lock. A window already over is never
    opened late (old periods stay as they are)."""
    year, quarter = quarter_of(today)
    period_get_or_create(year=year, quarter=quarter)
    opened: dict[str, int] = {}
    due = Period.objects.filter(
        assessments_opened_at__isnull=True, opens_on__lte=today, closes_on__gte=today
    ).order_by("year", "quarter")
    for period in due:
        with transaction.atomic():
            locked = Period.objects.select_for_update().get(pk=period.pk)
            if locked.assessments_opened_at is not None:
                continue
            opened[locked.label] = period_open_assessments(period=locked)
    return opened


def _locked_assessment(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)


def _require_open(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.OPEN:
        raise WorkflowError(
            _("This assessment is %(status)s and accepts no changes.")
            % {"status": assessment.get_status_display().lower()}
        )


@transaction.atomic
def response_get_or_create(*, assessment: Assessment, component: str) -> Response:
    response, _created = Response.objects.get_or_create(assessment=assessment, component=component)
    return response


def questionnaire_requires_na_reason(questionnaire_id: int) -> bool:
    """Whether a respondent's N/A needs a written reason: on a questionnaire with safeguards
    (IMP-CORE v3 and later), which method v3 reads; an N/A without one counts there as an
    answer not given."""
    return Indicator.objects.filter(questionnaire_id=questionnaire_id, safeguard=True).exists()


def _validate_inputs(response: Response, answers: Iterable[AnswerInput]) -> dict[str, Indicator]:
    indicators = {
        ind.code: ind
        for ind in response.assessment.questionnaire.indicators.select_related("dimension")
    }
    not_asked = assessment_not_asked_by_profile(assessment=response.assessment)
    reason_required = questionnaire_requires_na_reason(response.assessment.questionnaire_id)
    tags_by_dimension: dict[int, set[str]] = {}
    for dimension in response.assessment.questionnaire.dimensions.prefetch_related("tags"):
        tags_by_dimension[dimension.pk] = {t.code for t in dimension.tags.all()}
    errors: dict[str, list[str]] = {}
    for item in answers:
        indicator = indicators.get(item.indicator_code)
        if indicator is None:
            errors.setdefault(item.indicator_code, []).append(_("Unknown indicator."))
            continue
        if not applies_to_component(indicator.applies_to, response.component):
            errors.setdefault(item.indicator_code, []).append(
                _("This indicator is not asked of this component.")
            )
            continue
        if indicator.pk in not_asked:
            errors.setdefault(item.indicator_code, []).append(
                _(
                    "This indicator is not asked of this mission: its context profile rules it "
                    "out this quarter."
                )
            )
            continue
        if (
            reason_required
            and item.choice == AnswerChoice.NOT_APPLICABLE
            and not item.na_reason.strip()
        ):
            errors.setdefault(item.indicator_code, []).append(
                _("Say why this indicator does not apply (not applicable needs a reason).")
            )
        if len(item.na_reason) > REASON_MAX_LENGTH:
            errors.setdefault(item.indicator_code, []).append(
                _("The reason is limited to %(n)d characters.") % {"n": REASON_MAX_LENGTH}
            )
        if item.choice not in {"", *AnswerChoice.values}:
            errors.setdefault(item.indicator_code, []).append(
                _("Answer must be a step from 1 to 5, not applicable or don't know.")
            )
        if len(item.evidence) > EVIDENCE_MAX_LENGTH:
            errors.setdefault(item.indicator_code, []).append(
                _("Evidence is limited to %(n)d characters.") % {"n": EVIDENCE_MAX_LENGTH}
            )
        if len(item.other_tags) > OTHER_TAGS_MAX_LENGTH:
            errors.setdefault(item.indicator_code, []).append(
                _("Other barriers or enablers are limited to %(n)d characters.")
                % {"n": OTHER_TAGS_MAX_LENGTH}
            )
        unknown = set(item.tag_codes) - tags_by_dimension[indicator.dimension_id]
        if unknown:
            errors.setdefault(item.indicator_code, []).append(
                _("Unknown barrier or enabler: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
            )
    if errors:
        raise ValidationError(
            {code: [ValidationError(m) for m in messages] for code, messages in errors.items()}
        )
    return indicators


@transaction.atomic
def response_answers_save(
    *,
    response: Response,
    by: User,
    answers: list[AnswerInput],
    force: bool = False,
    reason: str | None = None,
) -> SaveResult:
    """Save a page of answers at once, or nothing; ``reason`` goes into their history.

    An answer whose revision moved on since the user's page was built, and whose
    saved values differ from what the user sends, is a conflict: nothing is saved
    and the conflicts are returned to be shown side by side.
    """
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("assessment")
        .get(pk=response.pk)
    )
    _require_open(_locked_assessment(response.assessment))
    if not permissions.can_answer(by, response):
        raise PermissionDenied
    indicators = _validate_inputs(response, answers)
    existing = {
        a.indicator.code: a
        # Lock only the answer rows (not the joined period, indicator... rows that every
        # mission shares), in one order, so concurrent saves neither wait nor deadlock.
        for a in Answer.objects.select_for_update(of=("self",))
        .filter(response=response, indicator__code__in=[i.indicator_code for i in answers])
        .order_by("pk")
        .select_related("indicator")
    }
    conflicts, changes = [], []
    for item in answers:
        answer = existing.get(item.indicator_code)
        if item.same_values_as(answer):
            continue
        current_revision = answer.revision if answer else 0
        if not force and item.base_revision is not None and item.base_revision != current_revision:
            conflicts.append(Conflict(item.indicator_code, item, answer))
            continue
        changes.append((item, answer))
    if conflicts:
        raise AnswerConflict(conflicts)

    result = SaveResult()
    for item, answer in changes:
        if answer is None:
            answer = Answer(response=response, indicator=indicators[item.indicator_code])
        answer.choice = item.choice
        answer.evidence = item.evidence
        answer.tag_codes = sorted(item.tag_codes)
        answer.other_tags = item.other_tags
        na_reason = item.kept_na_reason()
        if answer.na_reason != na_reason or answer.choice != AnswerChoice.NOT_APPLICABLE:
            # A changed N/A (or no N/A any more) needs the focal point's confirmation again.
            answer.na_confirmed_at = None
            answer.na_confirmed_by = None
        answer.na_reason = na_reason
        answer.revision += 1
        answer.updated_by = account_of(by)
        history_author_set(answer, by=by, reason=reason)
        answer.save()
        result.saved.append(answer)
    if result.saved and response.status == ResponseStatus.COMPLETE:
        # A changed answer needs the component to confirm completeness again.
        response.status = ResponseStatus.DRAFT
        response.completed_at = None
        history_author_set(response, by=by)
        response.save(update_fields=["status", "completed_at"])
    result.revisions = dict(
        Answer.objects.filter(
            response=response, indicator__code__in=[i.indicator_code for i in answers]
        ).values_list("indicator__code", "revision")
    )
    return result


@transaction.atomic
def answer_not_applicable_confirm(
    *, assessment: Assessment, answer_id: int, by: User, confirmed: bool = True
) -> Answer:
    """The focal point confirms (or withdraws the confirmation of) a respondent's N/A on a
    safeguard indicator: only then does method v3 leave it out of what it reads. Only an N/A
    with a written reason can be confirmed."""
    assessment = _locked_assessment(assessment)
    _require_open(assessment)
    if not permissions.can_declare_not_applicable(by, assessment):
        raise PermissionDenied
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("indicator")
        .filter(pk=answer_id, response__assessment=assessment)
        .first()
    )
    if answer is None:
        raise ValidationError({"answer": [_("No such answer in this assessment.")]})
    if confirmed:
        if answer.choice != AnswerChoice.NOT_APPLICABLE:
            raise ValidationError({"answer": [_("Only a not-applicable answer can be confirmed.")]})
        if not answer.indicator.safeguard:
            raise ValidationError(
                {"answer": [_("Only a not-applicable answer on a safeguard needs confirming.")]}
            )
        if not answer.na_reason.strip():
            raise ValidationError(
                {"answer": [_("A not-applicable answer without a reason cannot be confirmed.")]}
            )
        answer.na_confirmed_at = timezone.now()
        answer.na_confirmed_by = account_of(by)
    else:
        answer.na_confirmed_at = None
        answer.na_confirmed_by = None
    history_author_set(answer, by=by)
    answer.save(update_fields=["na_confirmed_at", "na_confirmed_by"])
    _enqueue_scoring(assessment.pk)
    return answer


def response_missing_indicators(*, response: Response) -> list[str]:
    """Expected indicators without an answer ("not applicable" and "don't know" are
    answers); indicators not asked of the component, or declared not applicable for the
    mission, are not expected."""
    answered = set(
        Answer.objects.filter(response=response)
        .exclude(choice="")
        .values_list("indicator__code", flat=True)
    )
    expected = assessment_expected_cells(
        assessment=response.assessment, components=[response.component]
    )[response.component]
    return [code for code in expected if code not in answered]


@transaction.atomic
def response_mark_complete(*, response: Response, by: User) -> Response:
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("assessment")
        .get(pk=response.pk)
    )
    _require_open(_locked_assessment(response.assessment))
    if not permissions.can_answer(by, response):
        raise PermissionDenied
    missing = response_missing_indicators(response=response)
    if missing:
        raise IncompleteResponse(missing)
    if response.status != ResponseStatus.COMPLETE:
        response.status = ResponseStatus.COMPLETE
        response.completed_at = timezone.now()
        history_author_set(response, by=by)
        response.save(update_fields=["status", "completed_at"])
        _enqueue_scoring(response.assessment_id)
        if _every_component_complete(response.assessment):
            components_completed.send(sender=Assessment, assessment_id=response.assessment_id)
    return response


def _every_component_complete(assessment: Assessment) -> bool:
    complete = set(
        assessment.responses.filter(status=ResponseStatus.COMPLETE).values_list(
            "component", flat=True
        )
    )
    expected = assessment_expected_components(assessment=assessment)
    return bool(expected) and complete.issuperset(expected)


def _answer_is_empty(answer: Answer | None) -> bool:
    return answer is None or not (
        answer.choice or answer.evidence or answer.tag_codes or answer.other_tags
    )


@transaction.atomic
def response_copy_forward(
    *, response: Response, by: User, dimension: Dimension, base_revisions: Mapping[str, int]
) -> int:
    """Copy last quarter's answers into this dimension's entirely empty answers.

    ``base_revisions`` are the revisions the user's page shows, by indicator code (a
    missing code counts as 0, never started). If any answer of the dimension moved on
    since, the page is stale: nothing is copied and the conflicts are raised.
    """
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("assessment")
        .get(pk=response.pk)
    )
    _require_open(_locked_assessment(response.assessment))
    if not permissions.can_answer(by, response):
        raise PermissionDenied
    # Only what this quarter's questionnaire asks of the component (a v1 answer to an
    # indicator that v2 asks of others is not carried over).
    indicators = [
        indicator
        for indicator in dimension.indicators.order_by("order")
        if applies_to_component(indicator.applies_to, response.component)
    ]
    current = {
        a.indicator.code: a
        # The same row locks, in the same order, as response_answers_save.
        for a in Answer.objects.select_for_update(of=("self",))
        .filter(response=response, indicator__in=indicators)
        .order_by("pk")
        .select_related("indicator")
    }
    conflicts = [
        Conflict(code, AnswerInput(code, base_revision=base_revisions.get(code, 0)), answer)
        for code, answer in current.items()
        if base_revisions.get(code, 0) != answer.revision
    ]
    if conflicts:
        raise AnswerConflict(conflicts)
    previous = response_previous_answers(response=response)
    tag_codes = {t.code for t in dimension.tags.all()}
    inputs = []
    for indicator in indicators:
        before = previous.get(indicator.code)
        now = current.get(indicator.code)
        if before is None or not _answer_is_empty(now):
            continue
        inputs.append(
            AnswerInput(
                indicator_code=indicator.code,
                choice=before.choice,
                evidence=before.evidence,
                tag_codes=tuple(c for c in before.tag_codes if c in tag_codes),
                other_tags=before.other_tags,
                base_revision=now.revision if now else 0,
                na_reason=before.na_reason,
            )
        )
    return len(response_answers_save(response=response, by=by, answers=inputs).saved)


@transaction.atomic
def dimension_targets_set(*, assessment: Assessment, by: User, targets: Mapping[str, int]) -> int:
    """Set target steps by dimension code; returns how many changed."""
    assessment = _locked_assessment(assessment)
    if not permissions.can_manage(by, assessment):
        raise PermissionDenied
    _require_open(assessment)
    current = {
        t.dimension.code: t
        for t in DimensionTarget.objects.select_for_update(of=("self",))
        .filter(assessment=assessment)
        .order_by("pk")
        .select_related("dimension")
    }
    unknown = set(targets) - set(current)
    bad = {code: step for code, step in targets.items() if step not in range(1, 6)}
    if unknown or bad:
        raise ValidationError(
            {code: _("Unknown dimension.") for code in unknown}
            | {code: _("Target step must be from 1 to 5.") for code in bad}
        )
    changed = 0
    for code, step in targets.items():
        target = current[code]
        if target.target_step != step:
            target.target_step = step
            history_author_set(target, by=by)
            target.save(update_fields=["target_step"])
            changed += 1
    return changed


class HighlightsConflict(WorkflowError):
    """Someone saved the highlights after the user's page was loaded; nothing was saved."""

    def __init__(self, saved_text: str, revision: int):
        super().__init__(
            _(
                "Someone else saved the highlights after you opened the page. Nothing was "
                "saved. Their text: “%(text)s”. Your text is kept below: save again to "
                "replace theirs, or reload the page to keep theirs."
            )
            % {"text": saved_text or "—"}
        )
        self.saved_text = saved_text
        self.revision = revision


@transaction.atomic
def assessment_highlights_set(
    *, assessment: Assessment, by: User, text: str, base_revision: int
) -> Assessment:
    """The focal point's highlights for the quarter (plain text, shown on the scorecard).

    Editable until the assessment is approved and locked. ``base_revision`` is the
    highlights revision the user's page was built on: a stale page is a conflict."""
    assessment = _locked_assessment(assessment)
    if not permissions.can_manage(by, assessment):
        raise PermissionDenied
    if assessment.status == AssessmentStatus.APPROVED:
        raise WorkflowError(_("This assessment is approved and accepts no changes."))
    text = (text or "").strip().replace("\r\n", "\n")
    if len(text) > HIGHLIGHTS_MAX_LENGTH:
        raise ValidationError(
            {
                "highlights": _("Highlights are limited to %(n)d characters.")
                % {"n": HIGHLIGHTS_MAX_LENGTH}
            }
        )
    if text != assessment.highlights:
        if base_revision != assessment.highlights_revision:
            raise HighlightsConflict(assessment.highlights, assessment.highlights_revision)
        assessment.highlights = text
        assessment.highlights_revision += 1
        history_author_set(assessment, by=by)
        assessment.save(update_fields=["highlights", "highlights_revision"])
    return assessment


def _set_status(assessment: Assessment, status: str, by: User, reason: str = "") -> None:
    previous = assessment.status
    assessment.status = status
    history_author_set(assessment, by=by, reason=reason)
    assessment.save()
    security_event_record(
        kind=EventKind.STATUS_CHANGE,
        user=by,
        detail=f"{assessment}: {previous} → {status}" + (f" ({reason})" if reason else ""),
    )
    status_changed.send(
        sender=Assessment, assessment_id=assessment.pk, status=status, previous=previous
    )


@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, by: User, justifications: Mapping[str, str] | None = None
) -> Assessment:
    assessment = _locked_assessment(assessment)
    if not permissions.can_manage(by, assessment):
        raise PermissionDenied
    _require_open(assessment)
    justifications = {k: v.strip() for k, v in (justifications or {}).items() if v and v.strip()}
    complete = set(
        assessment.responses.filter(status=ResponseStatus.COMPLETE).values_list(
            "component", flat=True
        )
    )
    incomplete = [
        c for c in assessment_expected_components(assessment=assessment) if c not in complete
    ]
    unjustified = [c for c in incomplete if c not in justifications]
    if unjustified:
        raise SubmissionRefused(unjustified)
    if not complete:
        raise WorkflowError(_("At least one component must have completed its response."))
    for text in justifications.values():
        if len(text) > REASON_MAX_LENGTH:
            raise ValidationError(
                _("A justification is limited to %(n)d characters.") % {"n": REASON_MAX_LENGTH}
            )
    assessment.missing_component_justifications = {c: justifications[c] for c in incomplete}
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = account_of(by)
    assessment.status_reason = ""
    _set_status(assessment, AssessmentStatus.SUBMITTED, by)
    _enqueue_scoring(assessment.pk)
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, by: User, reason: str) -> Assessment:
    assessment = _locked_assessment(assessment)
    if assessment.status == AssessmentStatus.OPEN:
        raise WorkflowError(_("This assessment is already open."))
    if not permissions.can_reopen(by, assessment):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("The reason is limited to %(n)d characters.") % {"n": REASON_MAX_LENGTH}}
        )
    assessment.status_reason = reason
    assessment.approved_at = None
    _set_status(assessment, AssessmentStatus.OPEN, by, reason)
    assessment_reopened.send(sender=Assessment, assessment_id=assessment.pk, reason=reason)
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: Assessment, by: User) -> Assessment:
    assessment = _locked_assessment(assessment)
    if not permissions.can_approve(by, assessment):
        raise PermissionDenied
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise WorkflowError(_("Only a submitted assessment can be approved."))
    assessment.approved_at = timezone.now()
    _set_status(assessment, AssessmentStatus.APPROVED, by)
    return assessment


def _enqueue_scoring(assessment_id: int) -> None:
    """Ask for scoring; the scoring app stores the request in this transaction and sends
    it after the commit (nothing is sent if it rolls back)."""
    scoring_wanted.send(sender=Assessment, assessment_id=assessment_id)
