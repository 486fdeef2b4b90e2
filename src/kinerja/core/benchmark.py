"""The floor of ``benchmarks/scale.py``: the cheapest page the project can answer.

It goes through the same server and middleware as every page (session, user, CSRF, CSP,
locale) and reads the signed-in user, as every page does, then answers a few bytes without
a template. It exists only when ``KINERJA_BENCHMARK=1`` (the benchmark's server); otherwise
it is a 404 like any unknown address.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def floor(request):
    if not settings.KINERJA_BENCHMARK:
        raise Http404
    return HttpResponse(
        f"ok {int(request.user.is_authenticated)}", content_type="text/plain; charset=utf-8"
    )
