"""The focal point's confirmation of respondents' N/A answers on safeguard indicators: method
v3 leaves such an N/A out of what it reads only once the focal point confirms it (with the
respondent's written reason), so that no respondent can make a safeguard disappear alone."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.selectors import assessment_safeguard_not_applicable
from assessments.services import WorkflowError, answer_not_applicable_confirm
from assessments.views import _get_assessment_for_user


class ConfirmNotApplicableForm(forms.Form):
    answer = forms.IntegerField(min_value=1)
    confirm = forms.TypedChoiceField(
        choices=[("1", "confirm"), ("0", "withdraw")], coerce=lambda value: value == "1"
    )


@login_required
def not_applicable_confirm_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _get_assessment_for_user(request, assessment_id)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    can_confirm = assessment.is_open and permissions.can_declare_not_applicable(
        request.user, assessment
    )
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        if not permissions.can_declare_not_applicable(request.user, assessment):
            raise PermissionDenied
        form = ConfirmNotApplicableForm(request.POST)
        if form.is_valid():
            try:
                answer = answer_not_applicable_confirm(
                    assessment=assessment,
                    answer_id=form.cleaned_data["answer"],
                    by=request.user,
                    confirmed=form.cleaned_data["confirm"],
                )
            except ValidationError as error:
                errors = [str(m) for m in error.messages]
            except WorkflowError as error:
                errors = [str(error)]
            else:
                messages.success(
                    request,
                    (
                        _("N/A on %(code)s confirmed.")
                        if answer.na_confirmed
                        else _("Confirmation of N/A on %(code)s withdrawn.")
                    )
                    % {"code": answer.indicator.code},
                )
                return redirect("assessments:not_applicable_confirm", assessment.pk)
        else:
            errors = [_("Choose an answer, and confirm or withdraw.")]
        status = 400
    return render(
        request,
        "assessments/not_applicable_confirm.html",
        {
            "assessment": assessment,
            "answers": assessment_safeguard_not_applicable(assessment=assessment),
            "can_confirm": can_confirm,
            "errors": errors,
        },
        status=status,
    )
