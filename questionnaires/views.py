from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from missions.roles import user_sees_all_missions
from questionnaires.diff import questionnaire_diff
from questionnaires.models import Questionnaire
from questionnaires.selectors import (
    questionnaire_current_published,
    questionnaire_get_for_user,
    questionnaire_glossary,
    questionnaire_list_published,
    questionnaire_spec,
    questionnaire_versions_oldest_first,
    questionnaire_with_content,
    questionnaires_visible_to,
)


def _get_questionnaire_for_user(request: HttpRequest, pk: int) -> Questionnaire:
    """The version if this user may read it (drafts: administrators only), else 404."""
    try:
        return questionnaire_get_for_user(user=request.user, questionnaire_id=pk)
    except Questionnaire.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "questionnaires/questionnaire_list.html",
        {
            "published": questionnaire_list_published(),
            # by code, newest version first (Questionnaire's order)
            "all_versions": questionnaires_visible_to(user=request.user),
        },
    )


@login_required
@require_GET
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = questionnaire_with_content(
        questionnaire_id=_get_questionnaire_for_user(request, pk).pk
    )
    return render(
        request, "questionnaires/questionnaire_detail.html", {"questionnaire": questionnaire}
    )


def _render_glossary(request: HttpRequest, questionnaire: Questionnaire | None) -> HttpResponse:
    terms = [] if questionnaire is None else questionnaire_glossary(questionnaire=questionnaire)
    return render(
        request,
        "questionnaires/glossary.html",
        {"questionnaire": questionnaire, "terms": terms},
    )


@login_required
@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    """The glossary of the version new quarters use (the answering pages link here)."""
    return _render_glossary(request, questionnaire_current_published())


@login_required
@require_GET
def version_glossary(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_glossary(request, _get_questionnaire_for_user(request, pk))


@login_required
@require_GET
def questionnaire_compare(request: HttpRequest) -> HttpResponse:
    if not user_sees_all_missions(request.user):
        raise Http404
    versions = questionnaire_versions_oldest_first(user=request.user)
    old = new = changes = None
    error = None
    if "old" in request.GET or "new" in request.GET:
        try:
            old = questionnaire_get_for_user(
                user=request.user, questionnaire_id=int(request.GET.get("old", ""))
            )
            new = questionnaire_get_for_user(
                user=request.user, questionnaire_id=int(request.GET.get("new", ""))
            )
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
