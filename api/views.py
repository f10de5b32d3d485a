"""The "API tokens" page and the API reference (Swagger UI from our own static files)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User as AccountUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from drf_spectacular.views import SpectacularSwaggerSplitView

from api.forms import ApiTokenForm
from api.models import ApiToken
from api.selectors import api_token_of_user, api_tokens_for_user
from api.services import api_token_create, api_token_revoke
from security.permissions import user_is_verified


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, AccountUser)  # noqa: S101 (login_required)
    created_key = None
    form = ApiTokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, created_key = api_token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    expires_on=form.cleaned_data["expires_on"],
                    second_factor_verified=user_is_verified(request.user),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
                status = 400
            else:
                form = ApiTokenForm()
        else:
            status = 400
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created_key": created_key,
            "tokens": api_tokens_for_user(user=request.user),
        },
        status=status,
    )


def _own_token(request: HttpRequest, token_id: int) -> ApiToken:
    token = api_token_of_user(user=request.user, token_id=token_id)
    if token is None:
        raise Http404
    return token


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = api_token_revoke(token=_own_token(request, token_id), by=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api:tokens")


class ApiReference(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script as a separate file (no inline script: our CSP),
    all from drf-spectacular-sidecar's static files."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "imp-assess API"


api_reference = login_required(require_GET(ApiReference.as_view()))
