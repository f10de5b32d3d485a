"""The assessment board: what blocks submission, the findings by dimension with their
controls folded per dimension, and the board's form actions (targets, bands, not
applicable, phase, submit, reopen, approve, highlights) and the activity page. Fetched
through the same permission-scoped helper as the answering pages."""

import dataclasses
import functools
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import permissions
from assessments.activity import assessment_activity
from assessments.board import board_components, board_dimensions
from assessments.forms import (
    BandClearForm,
    BandOverrideForm,
    HighlightsForm,
    NotApplicableForm,
    PhaseForm,
    ReasonForm,
    SubmitForm,
    TargetsForm,
    WithdrawNotApplicableForm,
    revisions_field_value,
)
from assessments.models import Assessment, ResponseStatus
from assessments.panels import board_actions, board_scores
from assessments.quarter_services import (
    BandOverrideConflict,
    assessment_phase_set,
    band_override_clear,
    band_override_set,
    indicator_not_applicable_declare,
    indicator_not_applicable_withdraw,
)
from assessments.selectors import (
    assessment_band_revisions,
    assessment_bands,
    assessment_context_reasons,
    assessment_declared_not_applicable,
    assessment_is_overdue,
    assessment_progress,
    assessment_safeguard_not_applicable,
    assessment_targets,
    questionnaire_has_bands,
    scope_label,
)
from assessments.services import (
    HighlightsConflict,
    SubmissionRefused,
    WorkflowError,
    assessment_approve,
    assessment_highlights_set,
    assessment_reopen,
    assessment_submit,
    dimension_targets_set,
)
from assessments.views import _get_assessment_for_user, _refuse_unless
from imp_assess.http import found_then_method
from missions.models import MISSION_WIDE
from missions.selectors import context_profile_is_recorded, mission_respondent_names
from questionnaires.selectors import (
    questionnaire_indicators,
)


def _scores_readable_by(scores, readable: frozenset[str] | None):
    """The drill-down's per-component answers cut to the components the user may read
    (component confidentiality); the aggregates that would give them back were withheld by
    the provider (``scoring.confidentiality``)."""
    if scores is None or readable is None:
        return scores
    dimensions = []
    for dim in scores.dimensions:
        indicators = []
        for ind in dim.get("indicators", []):
            per_component = {c: v for c, v in ind.get("per_component", {}).items() if c in readable}
            indicators.append(
                {
                    **ind,
                    "per_component": per_component,
                    "answers": [(scope_label(c), v) for c, v in sorted(per_component.items())],
                }
            )
        dimensions.append({**dim, "indicators": indicators})
    return dataclasses.replace(scores, dimensions=dimensions)


def _board_context(request, assessment, **forms) -> dict:
    user = request.user
    targets = assessment_targets(assessment=assessment)
    progress = assessment_progress(assessment=assessment)
    readable = permissions.readable_components(user, assessment)
    incomplete = [
        (p.component, scope_label(p.component))
        for p in progress
        if p.response is None or p.response.status != ResponseStatus.COMPLETE
    ]
    uses_bands = questionnaire_has_bands(questionnaire=assessment.questionnaire)
    bands = assessment_bands(assessment=assessment) if uses_bands else []
    revisions = revisions_field_value(assessment_band_revisions(assessment=assessment))
    declared = assessment_declared_not_applicable(assessment=assessment)
    mission_response = next((p.response for p in progress if p.component == MISSION_WIDE), None)
    scores = _scores_readable_by(
        board_scores(assessment=assessment, own_components=readable), readable
    )
    actions_panel = board_actions(assessment=assessment, user=user)
    if scores is not None and actions_panel is not None:
        # The drill-down shows each indicator's agreed actions beside it.
        for dim in scores.dimensions:
            for ind in dim.get("indicators", []):
                ind["agreed_actions"] = actions_panel.by_indicator.get(ind.get("code"), [])
    context_reasons = assessment_context_reasons(assessment=assessment)
    if scores is not None and context_reasons:
        # The drill-down says why the context profile asks each indicator and sets its band.
        for dim in scores.dimensions:
            for ind in dim.get("indicators", []):
                ind["asked_because"], ind["band_reason"] = context_reasons.get(
                    ind.get("code"), ("", "")
                )
    indicators = list(questionnaire_indicators(questionnaire=assessment.questionnaire))
    band_initial = {"phase": assessment.phase, "revisions": revisions}
    # Forms sent back with errors go to the dimension they came from (its ``dimension``
    # field), unfolded; one without it shows its errors above the dimensions.
    bound = {
        name: forms[name]
        for name in ("band_form", "not_applicable_form")
        if forms.get(name) is not None
    }
    dimensions = board_dimensions(
        indicators=indicators,
        bands=bands,
        scores=scores,
        declared=declared,
        band_form=lambda group: BandOverrideForm(
            dimensions=[group],
            initial=band_initial,
            auto_id=f"band-{group.dimension.code}-%s",
        ),
        not_applicable_form=lambda asked: NotApplicableForm(
            indicators=asked, auto_id=f"na-{asked[0].dimension.code}-%s" if asked else "na-%s"
        ),
        bound=bound,
    )
    placed = {name for d in dimensions for name, form in bound.items() if getattr(d, name) is form}
    return {
        "assessment": assessment,
        "progress": progress,
        "targets": targets,
        "targets_form": forms.get("targets_form") or TargetsForm(targets=targets),
        "uses_bands": uses_bands,
        "bands": bands,
        # For every place that shows a gap: the band, its rationale and the phase.
        "bands_by_indicator": {b.indicator.code: b for d in bands for b in d.indicators},
        "band_form": forms.get("band_form")
        or BandOverrideForm(
            dimensions=bands, initial={"phase": assessment.phase, "revisions": revisions}
        ),
        "band_revisions": revisions,
        "band_conflicts": forms.get("band_conflicts", []),
        "phase_form": forms.get("phase_form") or PhaseForm(initial={"phase": assessment.phase}),
        "declared_not_applicable": list(declared.values()),
        "not_applicable_form": forms.get("not_applicable_form")
        or NotApplicableForm(indicators=[i for i in indicators if i.code not in declared]),
        "components": board_components(
            progress,
            readable=readable,
            # Whom to chase: only the people who manage the quarter see the names.
            respondents=mission_respondent_names(mission=assessment.mission)
            if permissions.can_manage(user, assessment)
            else None,
        ),
        "dimensions": dimensions,
        # Errors of a form that names no dimension (a hand-made request), shown above them.
        "unplaced_band_form": "band_form" in bound and "band_form" not in placed,
        "unplaced_not_applicable_form": "not_applicable_form" in bound
        and "not_applicable_form" not in placed,
        # Respondents' N/A on safeguard indicators waiting for the focal point's confirmation
        # (method v3 reads them only once confirmed).
        "safeguard_na_unconfirmed": sum(
            1
            for answer in assessment_safeguard_not_applicable(assessment=assessment)
            if answer.na_confirmed_at is None
        ),
        "context_profile_recorded": context_profile_is_recorded(
            mission=assessment.mission, period=assessment.period
        ),
        "submit_form": forms.get("submit_form") or SubmitForm(incomplete_components=incomplete),
        "reopen_form": forms.get("reopen_form") or ReasonForm(),
        "highlights_form": forms.get("highlights_form")
        or HighlightsForm(
            initial={
                "highlights": assessment.highlights,
                "revision": assessment.highlights_revision,
            }
        ),
        "can_manage": permissions.can_manage(user, assessment),
        "can_set_targets": permissions.can_set_targets(user, assessment),
        "can_set_bands": permissions.can_set_bands(user, assessment),
        "can_declare_not_applicable": permissions.can_declare_not_applicable(user, assessment),
        "can_answer_mission": mission_response is not None
        and permissions.can_answer(user, mission_response),
        "can_reopen": permissions.can_reopen(user, assessment),
        "can_submit": permissions.can_submit(user, assessment),
        "can_edit_highlights": permissions.can_edit_highlights(user, assessment),
        "can_approve": permissions.can_approve_now(user, assessment),
        "can_view_activity": permissions.can_view_activity(user, assessment),
        "viewable_components": [
            p.component for p in progress if readable is None or p.component in readable
        ],
        "overdue": assessment_is_overdue(assessment),
        "incomplete": incomplete,
        "scores": scores,
        "actions_panel": actions_panel,
    }


@login_required
@found_then_method(_get_assessment_for_user, method="GET")
def assessment_board(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    return render(request, "assessments/board.html", _board_context(request, assessment))


def _board_action(may):
    """A POST-only action of the assessment board, allowed when ``may(user, assessment)``.

    Outside the user's missions it is a 404 before anything else (outsiders learn
    nothing, not even the method), then 405 for other methods, then 403 if not allowed.
    The view receives the assessment instead of its id.
    """

    def decorate(view):
        @login_required
        @found_then_method(_get_assessment_for_user, method="POST")
        @functools.wraps(view)
        def wrapper(request: HttpRequest, assessment: Assessment) -> HttpResponse:
            _refuse_unless(may(request.user, assessment))
            return view(request, assessment)

        return wrapper

    return decorate


def _add_service_error(form, error: ValidationError | WorkflowError) -> None:
    """A service's error on the form: under the field it names, else above the form."""
    if isinstance(error, WorkflowError):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _board_form_post(request, assessment, *, form, form_name: str, action) -> HttpResponse:
    """Validate a board form and run ``action(cleaned_data)``, which returns the success
    message; on any error the board is shown again with the form and its errors."""
    if form.is_valid():
        try:
            message = action(form.cleaned_data)
        except BandOverrideConflict as conflict:
            # Keep what the user typed, on the current revisions: saving again overwrites.
            data = request.POST.copy()
            data["revisions"] = revisions_field_value(
                assessment_band_revisions(assessment=assessment)
            )
            retyped = type(form)(data, dimensions=assessment_bands(assessment=assessment))
            retyped.is_valid()
            context = _board_context(
                request,
                assessment,
                **{form_name: retyped, "band_conflicts": conflict.conflicts},
            )
            return render(request, "assessments/board.html", context, status=409)
        except (ValidationError, WorkflowError) as error:
            _add_service_error(form, error)
        else:
            messages.success(request, message)
            return redirect("assessments:board", assessment.pk)
    context = _board_context(request, assessment, **{form_name: form})
    return render(request, "assessments/board.html", context, status=400)


@_board_action(permissions.can_manage)
def targets_update(request: HttpRequest, assessment: Assessment) -> HttpResponse:

    def save(data) -> str:
        changed = dimension_targets_set(assessment=assessment, by=request.user, targets=data)
        return ngettext("%(n)d target step changed.", "%(n)d target steps changed.", changed) % {
            "n": changed
        }

    form = TargetsForm(request.POST, targets=assessment_targets(assessment=assessment))
    return _board_form_post(request, assessment, form=form, form_name="targets_form", action=save)


@_board_action(permissions.can_manage)
def assessment_submit_view(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    context = _board_context(request, assessment)
    form = SubmitForm(request.POST, incomplete_components=context["incomplete"])
    if form.is_valid():
        try:
            assessment_submit(
                assessment=assessment, by=request.user, justifications=form.justifications()
            )
        except SubmissionRefused as refused:
            for component in refused.unjustified:
                form.add_error(
                    f"justify_{component}",
                    _("Complete this component's response, or explain here why it is missing."),
                )
        except (ValidationError, WorkflowError) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Assessment submitted. Scores are being computed."))
            return redirect("assessments:board", assessment.pk)
    context["submit_form"] = form
    return render(request, "assessments/board.html", context, status=400)


@_board_action(permissions.can_reopen)
def assessment_reopen_view(request: HttpRequest, assessment: Assessment) -> HttpResponse:

    def reopen(data) -> str:
        assessment_reopen(assessment=assessment, by=request.user, reason=data["reason"])
        return _("Assessment reopened.")

    return _board_form_post(
        request, assessment, form=ReasonForm(request.POST), form_name="reopen_form", action=reopen
    )


@_board_action(permissions.can_manage)
def highlights_update(request: HttpRequest, assessment: Assessment) -> HttpResponse:

    form = HighlightsForm(request.POST)

    def save(data) -> str:
        try:
            assessment_highlights_set(
                assessment=assessment,
                by=request.user,
                text=data["highlights"],
                base_revision=data["revision"],
            )
        except HighlightsConflict as conflict:
            # The form keeps the user's text; with the current revision, saving it again
            # (after reading theirs in the error) is a deliberate replacement.
            data = cast(QueryDict, form.data).copy()
            data["revision"] = str(conflict.revision)
            form.data = data
            raise
        return _("Highlights saved.")

    return _board_form_post(
        request, assessment, form=form, form_name="highlights_form", action=save
    )


@_board_action(permissions.can_approve)
def assessment_approve_view(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    try:
        assessment_approve(assessment=assessment, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Assessment approved and locked."))
    return redirect("assessments:board", assessment.pk)


@login_required
@found_then_method(_get_assessment_for_user, method="GET")
def activity_page(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    _refuse_unless(permissions.can_view_activity(request.user, assessment))
    return render(
        request,
        "assessments/activity.html",
        {"assessment": assessment, "entries": assessment_activity(assessment=assessment)},
    )


@_board_action(permissions.can_manage)
def bands_update(request: HttpRequest, assessment: Assessment) -> HttpResponse:

    def save(data) -> str:
        written = band_override_set(
            assessment=assessment, by=request.user, bands=form.to_inputs(), phase=data["phase"]
        )
        return ngettext(
            "%(n)d target band overridden for this quarter.",
            "%(n)d target bands overridden for this quarter.",
            len(written),
        ) % {"n": len(written)}

    form = BandOverrideForm(request.POST, dimensions=assessment_bands(assessment=assessment))
    return _board_form_post(request, assessment, form=form, form_name="band_form", action=save)


@_board_action(permissions.can_manage)
def bands_clear(request: HttpRequest, assessment: Assessment) -> HttpResponse:

    def clear(data) -> str:
        cleared = band_override_clear(
            assessment=assessment,
            by=request.user,
            indicator_codes=form.indicator_codes(),
            base_revisions=data["revisions"],
        )
        return ngettext(
            "%(n)d target band back to the questionnaire's default.",
            "%(n)d target bands back to the questionnaire's default.",
            cleared,
        ) % {"n": cleared}

    form = BandClearForm(request.POST, dimensions=assessment_bands(assessment=assessment))
    return _board_form_post(
        request, assessment, form=form, form_name="band_clear_form", action=clear
    )


@_board_action(permissions.can_manage)
def phase_update(request: HttpRequest, assessment: Assessment) -> HttpResponse:

    def save(data) -> str:
        assessment_phase_set(assessment=assessment, by=request.user, phase=data["phase"])
        return _("Mission phase recorded.")

    return _board_form_post(
        request, assessment, form=PhaseForm(request.POST), form_name="phase_form", action=save
    )


@_board_action(permissions.can_manage)
def not_applicable_declare(request: HttpRequest, assessment: Assessment) -> HttpResponse:

    def declare(data) -> str:
        indicator_not_applicable_declare(
            assessment=assessment,
            by=request.user,
            indicator_code=data["indicator"],
            reason=data["reason"],
        )
        return _("%(code)s declared not applicable to the mission this quarter.") % {
            "code": data["indicator"]
        }

    form = NotApplicableForm(
        request.POST, indicators=questionnaire_indicators(questionnaire=assessment.questionnaire)
    )
    return _board_form_post(
        request, assessment, form=form, form_name="not_applicable_form", action=declare
    )


@_board_action(permissions.can_manage)
def not_applicable_withdraw(request: HttpRequest, assessment: Assessment) -> HttpResponse:

    def withdraw(data) -> str:
        indicator_not_applicable_withdraw(
            assessment=assessment, by=request.user, indicator_code=data["indicator"]
        )
        return _("Declaration withdrawn: %(code)s is asked again.") % {"code": data["indicator"]}

    return _board_form_post(
        request,
        assessment,
        form=WithdrawNotApplicableForm(request.POST),
        form_name="withdraw_form",
        action=withdraw,
    )
