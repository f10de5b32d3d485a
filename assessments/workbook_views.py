"""The offline workbook of a response: download it, upload it back, choose per indicator
after a conflict. Fetched like the answering page (404 outside the user's view, 403 for
someone who may not answer)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.conflicts import with_keep_choices
from assessments.forms import AnswerForm, WorkbookUploadForm
from assessments.selectors import scope_label
from assessments.services import AnswerConflict, WorkflowError
from assessments.views import _get_response_scope, _ResponseScope
from assessments.workbook import (
    MAX_UPLOAD_BYTES,
    WorkbookRefused,
    workbook_build,
    workbook_filename,
    workbook_source,
)
from assessments.workbook_services import (
    WorkbookOutcome,
    response_workbook_apply,
    response_workbook_upload,
)
from imp_assess.http import found_then_method
from questionnaires.selectors import dimension_tags, questionnaire_indicators

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _writable(request: HttpRequest, scope: _ResponseScope) -> None:
    if not permissions.can_answer_component(request.user, scope.assessment, scope.component):
        raise PermissionDenied


def _page(request, scope, *, form=None, outcome=None, refusal="", status=200) -> HttpResponse:
    return render(
        request,
        "assessments/workbook.html",
        {
            "assessment": scope.assessment,
            "component": scope.component,
            "component_label": scope_label(scope.component),
            "form": form or WorkbookUploadForm(),
            "outcome": outcome,
            "refusal": refusal,
            "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status=status,
    )


def _outcome_page(request, scope, form, outcome: WorkbookOutcome) -> HttpResponse:
    status = 400 if outcome.errors else 409 if outcome.conflicts else 200
    return _page(request, scope, form=form, outcome=outcome, status=status)


@login_required
@found_then_method(_get_response_scope, method="GET")
def workbook_download(request: HttpRequest, scope: _ResponseScope) -> HttpResponse:
    _writable(request, scope)
    source = workbook_source(
        assessment=scope.assessment,
        component=scope.component,
        response=scope.response,
        show_bands=permissions.can_set_bands(request.user, scope.assessment),
    )
    reply = HttpResponse(workbook_build(source), content_type=XLSX)
    reply["Content-Disposition"] = f'attachment; filename="{workbook_filename(source)}"'
    return reply


@login_required
def workbook_page(request: HttpRequest, assessment_id: int, component: str) -> HttpResponse:
    scope = _get_response_scope(request, assessment_id, component)
    _writable(request, scope)
    if request.method != "POST":
        return _page(request, scope)
    form = WorkbookUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, scope, form=form, status=400)
    try:
        outcome = response_workbook_upload(
            assessment=scope.assessment,
            component=scope.component,
            by=request.user,
            data=form.file_bytes(),
        )
    except (WorkbookRefused, WorkflowError) as refusal:
        return _page(request, scope, form=form, refusal=str(refusal), status=400)
    return _outcome_page(request, scope, WorkbookUploadForm(), outcome)


@login_required
@found_then_method(_get_response_scope, method="POST")
def workbook_resolve(request: HttpRequest, scope: _ResponseScope) -> HttpResponse:
    """The user's keep-mine / keep-theirs choice for each conflicted indicator, applied as on
    the answering page: "theirs" writes nothing, "mine" overwrites only the version shown."""
    _writable(request, scope)
    codes = request.POST.getlist("conflict")
    indicators = {
        i.code: i
        for i in questionnaire_indicators(questionnaire=scope.assessment.questionnaire)
        if i.code in codes
    }
    if (
        scope.response is None
        or not indicators
        or any(not request.POST.get(f"{code}-keep") for code in codes)
    ):
        return _page(request, scope, refusal=_no_choice_message(), status=400)
    data = with_keep_choices(request.POST, scope.response, list(indicators))
    forms = [
        AnswerForm(data, indicator=i, tags=dimension_tags(dimension=i.dimension))
        for i in indicators.values()
    ]
    if not all(form.is_valid() for form in forms):
        return _page(request, scope, refusal=_no_choice_message(), status=400)
    try:
        outcome = response_workbook_apply(
            assessment=scope.assessment,
            component=scope.component,
            by=request.user,
            answers=[form.to_input() for form in forms],
        )
    except (AnswerConflict, WorkflowError) as refusal:
        return _page(request, scope, refusal=str(refusal), status=400)
    return _outcome_page(request, scope, WorkbookUploadForm(), outcome)


def _no_choice_message() -> str:
    return _("Choose, for each answer, which version to keep.")
