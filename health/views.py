from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from health.selectors import service_state


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    state = service_state()
    return JsonResponse(state.as_dict(), status=200 if state.healthy else 503)
