"""Cases: the list the user may see, the case page, releasing a late unit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.core.http import safe_next
from kinerja.workflow.services import case_release_unit

from ..forms import ReleaseUnitForm
from ..permissions import access_case_for_view, may_release_units, request_scope
from ..selectors import case_page, cases_for_scope
from .common import application_errors


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = cases_for_scope(request_scope(request))
    return render(request, "web/case_list.html", {"cases": cases})


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case, units = access_case_for_view(request, case_id)
    page = case_page(case, units)
    may_release = may_release_units(request, case) and case.status == case.Status.OPEN
    return render(
        request,
        "web/case.html",
        {
            "case": case,
            "page": page,
            "may_release": may_release,
            "release_form": ReleaseUnitForm(),
            "executors": page.spec.executors,
        },
    )


@login_required
@require_POST
@application_errors(lambda request, case_id: reverse("web:case", args=[case_id]))
def case_release(request: HttpRequest, case_id: int) -> HttpResponse:
    """Go on without a late unit (reason required); the engine checks who may."""
    case, _units = access_case_for_view(request, case_id)
    form = ReleaseUnitForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("web:case", case.pk)
    case_release_unit(
        actor=request.user,
        case_id=case.pk,
        unit_id=form.cleaned_data["unit"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("Unit dilepas; proses dilanjutkan tanpa unit tersebut."))
    return redirect(safe_next(request, reverse("web:case", args=[case.pk])))
