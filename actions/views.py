"""Pages of action plans: agree an action on a quarter's findings, follow one action (edit,
notes, history), and the follow-up of a mission's actions. Each fetches through a
permission-scoped helper (404 outside the user's missions), validates a form and calls one
service. The analysts' cross-mission view is a dashboard (``dashboards.views.actions_page``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actions import permissions
from actions.forms import ActionCreateForm, ActionEditForm, ActionNoteForm
from actions.models import Action
from actions.selectors import (
    action_followup,
    action_get_for_user,
    action_history,
    action_notes,
    assessment_flagged_indicators,
    barrier_tags,
    dimensions_of,
    mission_get_for_user,
    mission_members,
)
from actions.services import action_create, action_note_add, action_update
from assessments.models import Assessment
from assessments.selectors import assessment_get_for_user
from imp_assess.http import found_then_method
from missions.models import Mission


def _get_assessment_for_user(request: HttpRequest, assessment_id: int) -> Assessment:
    try:
        return assessment_get_for_user(user=request.user, assessment_id=assessment_id)
    except Assessment.DoesNotExist:
        raise Http404 from None


def _get_action_for_user(request: HttpRequest, action_id: int) -> Action:
    try:
        return action_get_for_user(user=request.user, action_id=action_id)
    except Action.DoesNotExist:
        raise Http404 from None


def _service_errors(form: Any, error: ValidationError) -> None:
    """A service's error under the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _create_form(
    request: HttpRequest, assessment: Assessment, data: Any = None, initial: Any = None
) -> ActionCreateForm:
    period = assessment.period
    return ActionCreateForm(
        data,
        initial=initial,
        flagged=assessment_flagged_indicators(assessment=assessment, user=request.user),
        dimensions=dimensions_of(questionnaire_id=assessment.questionnaire_id),
        barriers=barrier_tags(questionnaire_id=assessment.questionnaire_id),
        members=mission_members(mission_id=assessment.mission_id),
        due_from=(period.year, period.quarter),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_create_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _get_assessment_for_user(request, assessment_id)
    if not permissions.can_record_action(request.user, assessment):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = _create_form(request, assessment, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action_create(
                    assessment=assessment,
                    by=request.user,
                    description=data["description"],
                    indicator_codes=data["indicators"],
                    dimension_code=data["dimension"],
                    barrier_codes=data["barriers"],
                    owner=data["owner"],
                    owner_user=data["owner_user"],
                    due=form.due_quarter(),
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, _("Action recorded."))
                return redirect("assessments:board", assessment.pk)
        status = 400
    else:
        code = request.GET.get("indicator", "")
        form = _create_form(request, assessment, initial={"indicators": [code]} if code else None)
    return render(
        request,
        "actions/create.html",
        {"assessment": assessment, "form": form},
        status=status,
    )


def _action_context(request: HttpRequest, action: Action, **forms: Any) -> dict[str, Any]:
    can_edit = permissions.can_edit_action(request.user, action)
    members = mission_members(mission_id=action.mission_id)
    return {
        "action": action,
        "can_edit": can_edit,
        "edit_form": forms.get("edit_form") or ActionEditForm.for_action(action, members=members),
        "note_form": forms.get("note_form") or ActionNoteForm(),
        "notes": action_notes(action=action),
        "history": action_history(action=action),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_page(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _get_action_for_user(request, action_id)
    if request.method != "POST":
        return render(request, "actions/detail.html", _action_context(request, action))
    if not permissions.can_edit_action(request.user, action):
        raise PermissionDenied
    members = mission_members(mission_id=action.mission_id)
    form = ActionEditForm.for_action(action, members=members, data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = action_update(
                action=action,
                by=request.user,
                description=data["description"],
                owner=data["owner"],
                owner_user=data["owner_user"],
                due=form.due_quarter(),
                status=data["status"],
                dropped_reason=data["dropped_reason"],
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Action saved.") if changed else _("Nothing changed."))
            return redirect("actions:detail", action.pk)
    context = _action_context(request, action, edit_form=form)
    return render(request, "actions/detail.html", context, status=400)


@login_required
@found_then_method(_get_action_for_user, method="POST")
def action_note_view(request: HttpRequest, action: Action) -> HttpResponse:
    if not permissions.can_edit_action(request.user, action):
        raise PermissionDenied
    form = ActionNoteForm(request.POST)
    if form.is_valid():
        try:
            action_note_add(
                action=action,
                by=request.user,
                text=form.cleaned_data["text"],
                noted_on=form.cleaned_data["noted_on"],
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Progress note added."))
            return redirect("actions:detail", action.pk)
    context = _action_context(request, action, note_form=form)
    return render(request, "actions/detail.html", context, status=400)


def _get_mission_for_user(request: HttpRequest, mission_id: int) -> Mission:
    try:
        return mission_get_for_user(user=request.user, mission_id=mission_id)
    except Mission.DoesNotExist:
        raise Http404 from None


@login_required
@found_then_method(_get_mission_for_user, method="GET")
def followup_page(request: HttpRequest, mission: Mission) -> HttpResponse:
    return render(
        request,
        "actions/followup.html",
        {
            "mission": mission,
            "rows": action_followup(mission_id=mission.pk, user=request.user),
            "can_edit": permissions.can_edit_mission_actions(request.user, mission.pk),
        },
    )
