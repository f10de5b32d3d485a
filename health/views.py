from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from health.permissions import can_see_health_details
from health.selectors import service_state


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """``{"healthy": …}`` with 200 or 503 for anyone; which services answer and the worker
    mode only for a monitoring token or a verified staff session (``health.permissions``)."""
    state = service_state()
    body = state.as_dict() if can_see_health_details(request) else {"healthy": state.healthy}
    return JsonResponse(body, status=200 if state.healthy else 503)
