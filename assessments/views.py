"""Pages of answering: the user's assessments, the answering page and its autosave, a
response's completion and copy-forward. Each view fetches through a permission-scoped
helper (404 outside the user's missions), validates a form and calls one service."""

import dataclasses
import functools
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import permissions
from assessments.conflicts import saved_answer_json, with_keep_choices
from assessments.forms import (
    AnswerForm,
    CopyForwardForm,
)
from assessments.models import Assessment, Response
from assessments.panels import indicator_actions
from assessments.selectors import (
    assessment_get_for_user,
    assessment_is_overdue,
    assessment_progress,
    dimension_indicators_for,
    my_assessments,
    past_assessments_for_user,
    period_for_today,
    response_answers,
    response_applicable_indicators,
    response_for_component,
    response_previous_answers,
    scope_label,
)
from assessments.services import (
    AnswerConflict,
    Conflict,
    IncompleteResponse,
    WorkflowError,
    response_answers_save,
    response_copy_forward,
    response_get_or_create,
    response_mark_complete,
    response_missing_indicators,
)
from imp_assess.http import found_then_method
from missions.models import MISSION_WIDE, Component
from questionnaires.models import Dimension
from questionnaires.selectors import (
    dimension_indicator_codes,
    dimension_tags,
    questionnaire_dimension,
    questionnaire_has_mission_level_indicators,
    questionnaire_indicators,
)


def _get_assessment_for_user(request: HttpRequest, assessment_id: int) -> Assessment:
    try:
        return assessment_get_for_user(user=request.user, assessment_id=assessment_id)
    except Assessment.DoesNotExist:
        raise Http404 from None


def _get_response_for_user(
    request: HttpRequest, assessment_id: int, component: str
) -> tuple[Assessment, Response | None]:
    """The component's response, or None if nobody started it. 404 outside the user's view.

    Never writes: a response row is created by the first save (a POST), not by a visit."""
    assessment = _get_assessment_for_user(request, assessment_id)
    if not _is_response_scope(assessment, component) or not permissions.can_view_response(
        request.user, assessment, component
    ):
        raise Http404
    return assessment, response_for_component(assessment=assessment, component=component)


def _is_response_scope(assessment: Assessment, component: str) -> bool:
    """A component, or the whole mission when the questionnaire asks anything of it."""
    if component == MISSION_WIDE:
        return questionnaire_has_mission_level_indicators(questionnaire=assessment.questionnaire)
    return component in Component.values


@login_required
def my_assessments_page(request: HttpRequest) -> HttpResponse:
    current = period_for_today()
    rows = my_assessments(user=request.user)
    for row in rows:
        row.accepts_answers = row.assessment is not None and permissions.accepts_answers(
            row.assessment
        )
    return render(
        request,
        "assessments/my_assessments.html",
        {
            "period": current,
            "rows": rows,
            "past": past_assessments_for_user(user=request.user, before=current)[:40],
        },
    )


def _answer_forms(assessment, response, dimension, data=None, *, component=None):
    """One form per indicator of the dimension asked of the component and not declared
    not applicable for the mission."""
    component = component or response.component
    asked, _declared = dimension_indicators_for(
        assessment=assessment, component=component, dimension=dimension
    )
    saved = response_answers(response=response) if response else {}
    previous = response_previous_answers(response=response) if response else {}
    tags = dimension_tags(dimension=dimension)
    return [
        AnswerForm(
            data,
            indicator=indicator,
            tags=tags,
            answer=saved.get(indicator.code),
            previous=previous.get(indicator.code),
        )
        for indicator in asked
    ]


def _save_page(request, response, forms) -> tuple[int, list, dict]:
    """Validate and save the page; returns (HTTP status, conflicts, revisions)."""
    if not all(form.is_valid() for form in forms):
        return 400, [], {}
    try:
        result = response_answers_save(
            response=response,
            by=request.user,
            answers=[form.to_input() for form in forms],
            force=request.POST.get("overwrite") == "1",
        )
    except AnswerConflict as conflict:
        return 409, conflict.conflicts, {}
    except ValidationError as error:
        # The service names the indicator: show each message on that indicator's form.
        by_code = {form.indicator.code: form for form in forms}
        if hasattr(error, "error_dict"):
            for code, messages_ in error.message_dict.items():
                by_code.get(code, forms[0]).add_error(None, messages_)
        else:
            forms[0].add_error(None, error)
        return 400, [], {}
    except WorkflowError as error:
        forms[0].add_error(None, str(error))
        return 400, [], {}
    return 200, [], result.revisions


@login_required
def answer_page(
    request: HttpRequest, assessment_id: int, component: str, dimension_code: str
) -> HttpResponse:
    assessment, response = _get_response_for_user(request, assessment_id, component)
    progress = assessment_progress(assessment=assessment, components=[component])[0]
    # Only dimensions with something asked of this component (or of the focal point).
    dimensions = [dp.dimension for dp in progress.dimensions]
    dimension = next((d for d in dimensions if d.code == dimension_code), None)
    if dimension is None:
        raise Http404
    editable = permissions.can_answer_component(request.user, assessment, component)
    status = 200
    conflicts: list[Conflict] = []
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if response is None:
            response = response_get_or_create(assessment=assessment, component=component)
        forms = _answer_forms(
            assessment,
            response,
            dimension,
            with_keep_choices(
                request.POST, response, dimension_indicator_codes(dimension=dimension)
            ),
            component=component,
        )
        status, conflicts, _revisions = _save_page(request, response, forms)
        if status == 200:
            messages.success(request, _("Answers saved."))
            return redirect(_destination(request, assessment, component, dimensions, dimension))
        # On a conflict the page keeps what the user typed and the revisions it was built
        # on, so neither autosave nor Save can overwrite the other person's answer until
        # the user chooses, per indicator, which version to keep.
    else:
        forms = _answer_forms(assessment, response, dimension, component=component)
    _asked, declared_not_applicable = dimension_indicators_for(
        assessment=assessment, component=component, dimension=dimension
    )
    # Open actions of earlier quarters, beside their indicators: what was tried.
    agreed = indicator_actions(assessment=assessment, user=request.user)
    for form in forms:
        form.agreed_actions = agreed.by_indicator.get(form.indicator.code, []) if agreed else []
    index = dimensions.index(dimension)
    return render(
        request,
        "assessments/answer.html",
        {
            "assessment": assessment,
            "response": response,
            "component": component,
            "component_label": scope_label(component),
            "dimension": dimension,
            "declared_not_applicable": declared_not_applicable,
            "dimension_actions": agreed.by_dimension.get(dimension.code, []) if agreed else [],
            "dimensions": dimensions,
            "progress": progress,
            "previous_dimension": dimensions[index - 1] if index > 0 else None,
            "next_dimension": dimensions[index + 1] if index + 1 < len(dimensions) else None,
            "forms": forms,
            "has_last_quarter": any(form.previous for form in forms),
            "editable": editable,
            "conflicts": [(c, json.dumps(saved_answer_json(c.saved))) for c in conflicts],
            "storage_key": f"imp-assess:answers:{request.user.pk}:{assessment.pk}:"
            f"{component}:{dimension.code}",
            "overdue": assessment_is_overdue(assessment),
        },
        status=status,
    )


def _destination(request, assessment, component, dimensions, dimension) -> str:
    go = request.POST.get("go", "")
    codes = [d.code for d in dimensions]
    if go == "complete":
        return reverse("assessments:complete", args=[assessment.pk, component])
    if go in codes:
        target = go
    elif go == "next" and codes.index(dimension.code) + 1 < len(codes):
        target = codes[codes.index(dimension.code) + 1]
    elif go == "previous" and codes.index(dimension.code) > 0:
        target = codes[codes.index(dimension.code) - 1]
    else:
        target = dimension.code
    return reverse("assessments:answer", args=[assessment.pk, component, target])


@dataclasses.dataclass(frozen=True)
class _ResponseScope:
    """What a response URL names, fetched for the user (``found_then_method``'s object)."""

    assessment: Assessment
    response: Response | None
    component: str
    dimension_code: str = ""


def _get_response_scope(
    request: HttpRequest, assessment_id: int, component: str, dimension_code: str = ""
) -> _ResponseScope:
    assessment, response = _get_response_for_user(request, assessment_id, component)
    return _ResponseScope(assessment, response, component, dimension_code)


def _answerable(
    request: HttpRequest, scope: _ResponseScope
) -> tuple[Assessment, Response, Dimension]:
    """(assessment, response, dimension) the user may answer now: 404 for an unknown
    dimension, 403 for someone who may not answer."""
    assessment, response, component = scope.assessment, scope.response, scope.component
    dimension = questionnaire_dimension(
        questionnaire=assessment.questionnaire, code=scope.dimension_code
    )
    if dimension is None:
        raise Http404
    if not permissions.can_answer_component(request.user, assessment, component):
        raise PermissionDenied
    if response is None:  # these URLs are POST-only: the first save starts the response
        response = response_get_or_create(assessment=assessment, component=component)
    return assessment, response, dimension


def _login_required_json(view):
    """login_required for the page's fetch endpoints: a signed-out request gets a JSON 401
    with a machine-readable reason (the script keeps the typing and says so), not the
    login page's HTML."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"status": "signed_out", "reason": "login_required"}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


@_login_required_json
@found_then_method(_get_response_scope, method="POST")
def answer_autosave(request: HttpRequest, scope: _ResponseScope) -> HttpResponse:
    assessment, response, dimension = _answerable(request, scope)
    forms = _answer_forms(
        assessment,
        response,
        dimension,
        with_keep_choices(request.POST, response, dimension_indicator_codes(dimension=dimension)),
    )
    status, conflicts, revisions = _save_page(request, response, forms)
    body: dict[str, Any] = {"status": {200: "saved", 400: "invalid", 409: "conflict"}[status]}
    if status == 200:
        body["revisions"] = revisions
    elif status == 409:
        body["conflicts"] = [c.indicator_code for c in conflicts]
        body["saved"] = {c.indicator_code: saved_answer_json(c.saved) for c in conflicts}
    else:
        body["errors"] = {form.prefix: form.errors.get_json_data() for form in forms if form.errors}
    return JsonResponse(body, status=status)


@login_required
@found_then_method(_get_response_scope, method="GET")
def response_entry(request: HttpRequest, scope: _ResponseScope) -> HttpResponse:
    assessment, component = scope.assessment, scope.component
    asked = response_applicable_indicators(assessment=assessment, component=component)
    if not asked:
        raise Http404
    return redirect("assessments:answer", assessment.pk, component, asked[0].dimension.code)


@login_required
def response_complete(request: HttpRequest, assessment_id: int, component: str) -> HttpResponse:
    assessment, response = _get_response_for_user(request, assessment_id, component)
    editable = permissions.can_answer_component(request.user, assessment, component)
    status = 200
    if request.method == "POST":
        if response is None:
            _refuse_unless(editable)
            response = response_get_or_create(assessment=assessment, component=component)
        try:
            response_mark_complete(response=response, by=request.user)
        except IncompleteResponse:
            status = 400
        except WorkflowError as error:
            messages.error(request, str(error))
            status = 400
        else:
            if component == MISSION_WIDE:
                messages.success(request, _("The mission-level answers are complete."))
                return redirect("assessments:board", assessment.pk)
            messages.success(request, _("Your component's response is complete. Thank you."))
            return redirect("assessments:mine")
    indicators = {
        i.code: i for i in questionnaire_indicators(questionnaire=assessment.questionnaire)
    }
    missing = response_missing_indicators(response=response) if response else list(indicators)
    return render(
        request,
        "assessments/complete.html",
        {
            "assessment": assessment,
            "response": response,
            "component": component,
            "component_label": scope_label(component),
            "missing": [indicators[code] for code in missing],
            "editable": editable,
            "refused": status == 400,
        },
        status=status,
    )


@login_required
@found_then_method(_get_response_scope, method="POST")
def copy_forward(request: HttpRequest, scope: _ResponseScope) -> HttpResponse:
    assessment, response, dimension = _answerable(request, scope)
    form = CopyForwardForm(
        request.POST,
        indicator_codes=dimension_indicator_codes(dimension=dimension),
    )
    try:
        if not form.is_valid():
            raise ValidationError(_("The page sent no valid revisions."))
        copied = response_copy_forward(
            response=response,
            by=request.user,
            dimension=dimension,
            base_revisions=form.base_revisions(),
        )
    except AnswerConflict:
        messages.error(
            request,
            _(
                "Nothing was copied: answers of this dimension were saved after you opened "
                "the page. The page now shows them; copy again if you still want to."
            ),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d answer copied from last quarter into an unanswered indicator.",
                "%(n)d answers copied from last quarter into unanswered indicators.",
                copied,
            )
            % {"n": copied},
        )
    return redirect("assessments:answer", assessment.pk, scope.component, dimension.code)


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
