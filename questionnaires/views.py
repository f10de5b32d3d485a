from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from missions.roles import user_is_administrator, user_sees_all_missions
from questionnaires.diff import questionnaire_diff
from questionnaires.models import Questionnaire, QuestionnaireStatus
from questionnaires.selectors import (
    questionnaire_list_published,
    questionnaire_spec,
    questionnaire_with_content,
)


def _questionnaires_for_user(request: HttpRequest):
    """Administrators read drafts too; everybody else the published and retired versions."""
    if user_is_administrator(request.user):
        return Questionnaire.objects.all()
    return Questionnaire.objects.exclude(status=QuestionnaireStatus.DRAFT)


@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "questionnaires/questionnaire_list.html",
        {
            "published": questionnaire_list_published(),
            "all_versions": _questionnaires_for_user(request).order_by("code", "-version"),
        },
    )


@login_required
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not _questionnaires_for_user(request).filter(pk=pk).exists():
        raise Http404
    questionnaire = questionnaire_with_content(questionnaire_id=pk)
    return render(
        request, "questionnaires/questionnaire_detail.html", {"questionnaire": questionnaire}
    )


@login_required
def questionnaire_compare(request: HttpRequest) -> HttpResponse:
    if not user_sees_all_missions(request.user):
        raise Http404
    visible = _questionnaires_for_user(request)
    versions = list(visible.order_by("code", "version"))
    old = new = changes = None
    error = None
    if "old" in request.GET or "new" in request.GET:
        try:
            old = visible.get(pk=int(request.GET.get("old", "")))
            new = visible.get(pk=int(request.GET.get("new", "")))
        except (ValueError, Questionnaire.DoesNotExist):
            error = "choose"
        else:
            changes = questionnaire_diff(
                questionnaire_spec(questionnaire=old), questionnaire_spec(questionnaire=new)
            )
    return render(
        request,
        "questionnaires/questionnaire_compare.html",
        {"versions": versions, "old": old, "new": new, "changes": changes, "error": error},
        status=400 if error else 200,
    )
