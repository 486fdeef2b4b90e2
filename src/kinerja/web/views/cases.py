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
from kinerja.performance.selectors import unit_locks
from kinerja.workflow.selectors import case_page, cases_for_scope
from kinerja.workflow.services import case_release_unit, dispositions_mark_read

from ..forms import ReleaseUnitForm, UnlockUnitForm
from ..permissions import (
    access_case_for_view,
    may_release_units,
    may_unlock_case_units,
    request_scope,
)
from ..selectors import request_nav_positions
from .common import application_errors


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = cases_for_scope(request_scope(request))
    return render(request, "web/case_list.html", {"cases": cases})


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case, units = access_case_for_view(request, case_id)
    page = case_page(case, units)
    # The case page shows every disposition: the recipient's first view records the read.
    dispositions_mark_read(
        actor=request.user,
        dispositions=page.dispositions,
        held={p["position_id"] for p in request_nav_positions(request)},
    )
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
            "locks": unit_locks(
                unit_ids=[row.case_unit.unit_id for row in page.unit_rows], period=case.period_obj
            ),
            "may_unlock": may_unlock_case_units(request, case),
        },
    )


@login_required
@require_POST
@application_errors(lambda request, case_id: reverse("web:case", args=[case_id]))
def case_unlock(request: HttpRequest, case_id: int) -> HttpResponse:
    """Unlock a unit's approved quarter (reason required). The performance service checks
    who may (agency administrators) and sends the unit back to report entry."""
    from django.http import Http404

    from kinerja.organization.models import Unit
    from kinerja.performance.services import unit_period_unlock

    case, units = access_case_for_view(request, case_id)
    if not may_unlock_case_units(request, case):
        from django.core.exceptions import PermissionDenied as Forbidden

        raise Forbidden  # 403: only the agency's administrators unlock
    form = UnlockUnitForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("web:case", case.pk)
    unit_id = form.cleaned_data["unit"]
    if (units is not None and unit_id not in units) or not case.case_units.filter(
        unit_id=unit_id
    ).exists():
        raise Http404
    lock = unit_period_unlock(
        actor=request.user,
        unit=Unit.objects.get(pk=unit_id),
        period=case.period_obj,
        reason=form.cleaned_data["reason"],
    )
    text = _("Kunci data %(unit)s %(period)s dibuka.") % {
        "unit": lock.unit,
        "period": case.period_obj.label,
    }
    if lock.reopened_task is not None:
        text += " " + _(
            "Unit kembali ke langkah %(step)s untuk diperbaiki; setelah disetujui lagi, "
            "datanya dikunci kembali."
        ) % {"step": lock.reopened_task.step}
    messages.success(request, text)
    return redirect(reverse("web:case", args=[case.pk]) + "#locks-h")


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
