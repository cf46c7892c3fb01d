"""The coordinator runs the programme from the site: the programme's edit page (no Django admin, no
staff status needed; registry.views_access.coordinator_required)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from geo.errors import DomainError
from geo.models import Municipality
from registry.forms import form_add_domain_errors
from registry.forms_cockpit import ProgrammeForm
from registry.models import MunicipalTarget, Programme
from registry.selectors.programme import programme_municipalities
from registry.services.programme_edit import TARGET_KEYS, ProgrammeInput, programme_update
from registry.views_access import coordinator_required


@coordinator_required
@require_http_methods(["GET", "HEAD", "POST"])
def programme_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("region"), pk=pk)
    own = {
        row.municipality_id: {key: getattr(row, key) for key in TARGET_KEYS}
        for row in MunicipalTarget.objects.filter(programme=programme)
    }
    form = ProgrammeForm(
        request.POST or None,
        programme=programme,
        participating=programme_municipalities(programme=programme),
        own_targets=own,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme_update(
                user=request.user,
                programme=programme,
                data=ProgrammeInput(**{field: data[field] for field in ProgrammeInput.__dataclass_fields__}),
                municipalities=Municipality.objects.filter(pk__in=data["municipalities"]),
                municipal_targets=form.municipal_targets(),
            )
        except DomainError as error:
            form_add_domain_errors(form, error)
        else:
            messages.success(request, _("Программа сохранена."))
            return redirect("programme-edit", pk=programme.pk)
    return render(request, "registry/cockpit/programme_edit.html", {"programme": programme, "form": form})
