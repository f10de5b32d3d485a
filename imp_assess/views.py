from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.csrf import csrf_failure as django_csrf_failure


def server_error(request: HttpRequest) -> HttpResponse:
    """500 in the product's layout; falls back to a bare page if even that fails
    (the database may be what is down)."""
    from django.template import loader

    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 - the error page must not fail
        return HttpResponse(loader.get_template("500_bare.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a page's script (fetch/XHR) gets a JSON 403 with a
    machine-readable reason, so it can keep the user's typing and say what happened;
    a browser navigation gets Django's usual page."""
    if request.headers.get("X-Requested-With") or "application/json" in request.headers.get(
        "Accept", ""
    ):
        return JsonResponse({"status": "forbidden", "reason": "csrf_failed"}, status=403)
    return django_csrf_failure(request, reason=reason)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links; send them to the static file."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
