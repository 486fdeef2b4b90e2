"""The page where people list, create and revoke their personal API tokens; administrators
also revoke the tokens of the people they manage (:mod:`.permissions`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.core.errors import ApplicationError
from kinerja.core.http import parse_int

from .models import ApiToken
from .permissions import administered_tokens, may_revoke_token
from .services import DEFAULT_DAYS, MAX_DAYS, token_create, token_revoke


@login_required
def token_page(request: HttpRequest) -> HttpResponse:
    """GET: the caller's tokens (and, for administrators, the active tokens of the people
    they manage). POST: create a token; its secret is shown once, on the answer."""
    new_secret = None
    status = 200
    if request.method == "POST":
        name = request.POST.get("name", "")
        days = parse_int(
            request.POST.get("days"), name=_("masa berlaku"), minimum=1, maximum=MAX_DAYS
        )
        try:
            token, new_secret = token_create(
                actor=request.user, name=name, days=days or DEFAULT_DAYS
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = 400
        else:
            messages.success(
                request,
                _("Token %(name)s dibuat. Salin sekarang: token ini tidak ditampilkan lagi.")
                % {"name": token.name},
            )
    own = list(ApiToken.objects.filter(owner=request.user).select_related("revoked_by"))
    others = list(administered_tokens(request.user).filter(revoked_at__isnull=True)[:200])
    context = {
        "tokens": own,
        "others": others,
        "new_secret": new_secret,
        "default_days": DEFAULT_DAYS,
        "max_days": MAX_DAYS,
    }
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None or not may_revoke_token(request.user, token):
        raise Http404
    token_revoke(actor=request.user, token_id=token.pk)
    messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("api_tokens")
